// "No input crashes the devcluster": every request body recorded from real
// Mesos, mutated at random (seeded, so a failure replays), sent to the
// scheduler and operator endpoints with the live framework's id and stream
// id. Every answer must be one Mesos gives (never a 5xx), and afterwards the
// master must still serve its framework: its stream stays open and heartbeats.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { JSON_HEADERS, cluster, frameworkInfo, http, subscribe, transcript, type Subscription } from './master-support.js';
import { request } from 'node:http';
import { exchangeTranscripts } from '../../support/fixtures.js';
import { prng } from '../../support/prng.js';

let dc: DevCluster;
let sub: Subscription;
before(async () => {
  dc = await cluster({ heartbeatIntervalMs: 200 });
  sub = await subscribe(dc.masterUrl, frameworkInfo('fuzz', { failover_timeout: 600 }));
});
after(async () => {
  sub?.stream.close();
  await dc?.stop();
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const oddValues: Json[] = [null, true, 0, -1, 1e308, 'x', '', [], {}, [null], { value: 1 }, 'TASK_RUNNING', '////', '\u0000'];

/** One random change somewhere in the document: drop, replace, wrap or duplicate a value. */
function mutate(doc: Json, rnd: () => number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  if (doc === null || typeof doc !== 'object' || rnd() < 0.15) {
    return pick([() => pick(oddValues), () => [doc], () => ({ value: doc }), () => (typeof doc === 'string' ? doc.slice(1) : doc)])();
  }
  if (Array.isArray(doc)) {
    if (doc.length === 0 || rnd() < 0.2) return [...doc, pick(oddValues)];
    const i = Math.floor(rnd() * doc.length);
    return doc.map((v, j) => (j === i ? mutate(v, rnd) : v));
  }
  const keys = Object.keys(doc);
  if (keys.length === 0 || rnd() < 0.2) return { ...doc, [pick(['type', 'framework_id', 'value', 'extra', 'accept', 'task_id'])]: pick(oddValues) };
  const k = pick(keys);
  if (rnd() < 0.25) {
    const { [k]: _dropped, ...rest } = doc;
    return rest;
  }
  return { ...doc, [k]: mutate(doc[k] as Json, rnd) };
}

function recordedBodies(): Json[] {
  const out: Json[] = [];
  for (const name of exchangeTranscripts()) {
    for (const ex of transcript(name).exchanges) {
      const b = ex.request?.body;
      if (b !== null && typeof b === 'object' && ex.request.method === 'POST') out.push(b as Json);
    }
  }
  return out;
}

function statusOnly(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      resolve({ status: res.statusCode ?? 0, body: '' });
      res.destroy();
    });
    req.on('error', reject);
    req.end(body);
  });
}

const MESOS_STATUSES = new Set([200, 202, 307, 400, 401, 403, 404, 405, 406, 409, 413, 415, 501]);

test('mutated recorded calls never get a 5xx, and the master keeps serving its framework', async () => {
  const rnd = prng(0x5eed);
  const bodies = recordedBodies();
  assert.ok(bodies.length > 50, `recorded bodies: ${bodies.length}`);
  const seen = new Map<number, number>();
  let sent = 0;
  for (let i = 0; i < 600; i++) {
    let body = bodies[Math.floor(rnd() * bodies.length)] as Json;
    for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) body = mutate(body, rnd);
    // Mostly with the live framework's ids so the calls reach the deeper checks.
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && rnd() < 0.7 && body.type !== 'SUBSCRIBE') {
      body = { ...body, framework_id: { value: sub.frameworkId } };
    }
    let text = JSON.stringify(body);
    if (rnd() < 0.05) text = text.slice(0, Math.floor(rnd() * text.length));
    const operator = rnd() < 0.15;
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (!operator && rnd() < 0.8) headers['Mesos-Stream-Id'] = sub.streamId;
    // A SUBSCRIBE could take the live framework over and a TEARDOWN would end it
    // (both are valid calls, not bad input): keep those off the live id.
    if ((text.includes('"SUBSCRIBE"') || text.includes('TEARDOWN')) && text.includes(sub.frameworkId)) continue;
    sent++;
    const url = `${dc.masterUrl}${operator ? '/api/v1' : '/api/v1/scheduler'}`;
    // A SUBSCRIBE that succeeds answers with a stream that never ends: read its status only.
    const r = text.includes('"SUBSCRIBE"') ? await statusOnly(url, headers, text) : await http(url, { headers, body: text });
    seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
    assert.ok(MESOS_STATUSES.has(r.status), `#${i}: ${r.status} ${r.body.slice(0, 200)} for ${text.slice(0, 300)}`);
  }
  assert.ok(sent > 500, `sent ${sent}`);
  assert.ok((seen.get(400) ?? 0) > 100, `mostly rejected: ${JSON.stringify([...seen])}`);
  assert.equal((await http(`${dc.masterUrl}/health`, { method: 'GET' })).status, 200);
  // The live framework is still served: a fresh HEARTBEAT on its stream and its calls accepted.
  const count = sub.stream.events.filter((e) => e.type === 'HEARTBEAT').length;
  await sub.stream.next((e) => e.type === 'HEARTBEAT' && sub.stream.events.filter((x) => x.type === 'HEARTBEAT').length > count);
  assert.equal((await sub.call({ type: 'REVIVE' })).status, 202);
});
