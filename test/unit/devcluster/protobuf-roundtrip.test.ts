// Every call and event recorded from a real Mesos 1.12 master, turned into
// protobuf with the official .proto definitions and back, is the same JSON:
// the protobuf mode of the devcluster loses nothing a framework or Mesos
// sends. Calls Mesos refused (4xx) and the agent's endpoints are left out.
// Numbers are compared by exact value (lossless parse of the recordings: a
// huge double may have parsed as a bigint), and an empty JSON array is the
// same as none: protobuf has no encoding for an empty repeated field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseMesosJson } from '../../../mesos/json.js';
import { decodeToJson, encodeFromJson, type ProtoMessageName } from '../../../devcluster/master/protobuf-codec.js';
import { exchangeTranscripts, transcriptPath } from '../../support/fixtures.js';

interface Exchange {
  request: { target: string; path: string; headers: Record<string, string>; body: unknown };
  response: { status: number; body: unknown };
  events?: Array<Record<string, unknown>>;
}

function canonical(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? BigInt(v).toString() : String(v);
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!(Array.isArray(x) && x.length === 0)) out[k] = canonical(x);
    return out;
  }
  return v;
}

/**
 * The one field a real master printed that the v1 .proto does not define:
 * AgentInfo.checkpoint (a v0 SlaveInfo field that reaches the JSON through
 * Mesos's v0 → v1 conversion). A protobuf message cannot carry it.
 */
function withoutV0Fields(reply: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(reply);
  type Agents = { agents?: Array<{ agent_info?: Record<string, unknown> }> } | undefined;
  const state = copy.get_state as { get_agents?: Agents } | undefined;
  for (const list of [copy.get_agents as Agents, state?.get_agents]) {
    for (const a of list?.agents ?? []) delete a.agent_info?.checkpoint;
  }
  return copy;
}

function assertSame(actual: unknown, expected: unknown, what: string): void {
  assert.deepStrictEqual(canonical(actual), canonical(expected), what);
}

function roundTrip(name: ProtoMessageName, value: Record<string, unknown>): Record<string, unknown> {
  return decodeToJson(name, encodeFromJson(name, value));
}

const files = exchangeTranscripts();

for (const file of files) {
  test(`protobuf round trip of ${file}`, () => {
    const transcript = parseMesosJson(readFileSync(transcriptPath(file), 'utf8')) as { exchanges: Exchange[] };
    let checked = 0;
    transcript.exchanges.forEach((x, i) => {
      const { request, response } = x;
      if (request.target !== 'master' || request.headers['Content-Type'] !== 'application/json') return;
      if (typeof request.body !== 'object' || request.body === null || response.status >= 400) return;
      const path = request.path.split('?')[0];
      const body = request.body as Record<string, unknown>;
      if (path === '/api/v1/scheduler') {
        assertSame(roundTrip('mesos.v1.scheduler.Call', body), body, `exchange ${i}: scheduler call ${String(body.type)}`);
        checked++;
        for (const [j, recorded] of (x.events ?? []).entries()) {
          const { t_ms: _t, ...event } = recorded;
          assertSame(roundTrip('mesos.v1.scheduler.Event', event), event, `exchange ${i}, event ${j}: ${String(event.type)}`);
          checked++;
        }
      } else if (path === '/api/v1') {
        assertSame(roundTrip('mesos.v1.master.Call', body), body, `exchange ${i}: operator call ${String(body.type)}`);
        checked++;
        if (typeof response.body === 'object' && response.body !== null) {
          const reply = response.body as Record<string, unknown>;
          assertSame(roundTrip('mesos.v1.master.Response', reply), withoutV0Fields(reply), `exchange ${i}: operator response ${String(reply.type)}`);
          checked++;
        }
      }
    });
    assert.ok(checked > 0, `${file} holds at least one master call`);
  });
}
