// Every HTTP error of the scheduler endpoint that applies without auth
// (spec §3), compared literally with the answers a real Mesos 1.12 master gave
// (mesos-transcripts/10-errors.json).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { EventStreamReader, call, cluster, frameworkInfo, http, subscribe, transcript, type HttpResult, type TranscriptExchange } from './master-support.js';
import { until } from '../../support/wait.js';

const errors = transcript('10-errors.json').exchanges;

function recorded(index: number): TranscriptExchange['response'] {
  const ex = errors[index];
  if (ex === undefined) throw new Error(`no exchange ${index} in 10-errors.json`);
  return ex.response;
}

function assertErrorAnswer(got: HttpResult, want: { status: number; headers: Record<string, string>; body: unknown }): void {
  assert.equal(got.status, want.status);
  assert.equal(got.body, want.body);
  assert.equal(got.headers['content-type'], want.headers['content-type']);
  assert.equal(got.headers['content-length'], want.headers['content-length']);
  assert.equal(got.headers.allow, want.headers.allow);
}

describe('devcluster master: scheduler endpoint errors', () => {
  let dc: DevCluster;
  before(async () => {
    dc = await cluster();
  });
  after(async () => {
    await dc.stop();
  });

  // Exchanges 0–19 do not depend on ids the recording's master generated: replay them byte for byte.
  for (let i = 0; i <= 19; i++) {
    const ex = errors[i];
    if (ex === undefined) continue;
    it(`answers like Mesos: ${ex.comment ?? `exchange ${i}`}`, async () => {
      const headers = { ...ex.request.headers };
      delete headers.Host;
      delete headers['Content-Length'];
      delete headers.Connection;
      const body = ex.request.body === null ? undefined : typeof ex.request.body === 'string' ? ex.request.body : JSON.stringify(ex.request.body);
      const got = await http(`${dc.masterUrl}${ex.request.path}`, { method: ex.request.method, headers, ...(body !== undefined ? { body } : {}) });
      assertErrorAnswer(got, ex.response);
    });
  }

  it('answers a protobuf body (which the devcluster does not speak) as Mesos answers one it cannot parse', async () => {
    const r = await http(`${dc.masterUrl}/api/v1/scheduler`, { headers: { 'Content-Type': 'application/x-protobuf' }, body: 'x' });
    assert.equal(r.status, 400);
    assert.equal(r.body, 'Failed to parse body into Call protobuf');
  });

  it('also answers /master/api/v1/scheduler, and 405 carries Allow: POST', async () => {
    const got = await http(`${dc.masterUrl}/master/api/v1/scheduler`, { method: 'PUT', headers: {} });
    assert.equal(got.status, 405);
    assert.equal(got.body, "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'PUT'.");
    assert.equal(got.headers.allow, 'POST');
  });

  it('checks stream ids, uuids and Accept of a subscribed framework like Mesos', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('errors', { failover_timeout: 60 }));
    const fid = { value: s.frameworkId };
    const noStream = await call(dc.masterUrl, { type: 'REVIVE', framework_id: fid });
    assertErrorAnswer(noStream, recorded(21));

    const wrong = 'a96736c7-2b36-49e5-93af-7871fdbc6419';
    const stale = await call(dc.masterUrl, { type: 'REVIVE', framework_id: fid }, wrong);
    assert.equal(stale.status, 400);
    assert.equal(stale.body, `The stream ID '${wrong}' included in this request didn't match the stream ID currently associated with framework ID ${s.frameworkId}`);

    const acceptIgnored = await http(`${dc.masterUrl}/api/v1/scheduler`, {
      headers: { 'Content-Type': 'application/json', Accept: 'text/plain', 'Mesos-Stream-Id': s.streamId },
      body: JSON.stringify({ type: 'REVIVE', framework_id: fid }),
    });
    assert.equal(acceptIgnored.status, 202);
    assert.equal(acceptIgnored.headers['content-length'], '0');
    assert.equal(acceptIgnored.headers['content-type'], undefined);
    assert.equal(acceptIgnored.body, '');

    const ackBody = (uuid: string, agent = 'a', taskId = 't') => ({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: agent }, task_id: { value: taskId }, uuid } });
    assertErrorAnswer(await s.call(ackBody('bm90LWEtdXVpZA==')), recorded(25));
    assertErrorAnswer(await s.call(ackBody('ab-_ab-_ab-_ab-_ab-_ag==')), recorded(27));
    const unknownAck = await s.call(ackBody('RmtlRKRvRNmXCetJUsF9qA==', 'no-such-agent', 'no-such-task'));
    assert.equal(unknownAck.status, 202);

    const subWithStream = await http(`${dc.masterUrl}/api/v1/scheduler`, {
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Mesos-Stream-Id': s.streamId },
      body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo('x') } }),
    });
    assertErrorAnswer(subWithStream, recorded(29));
    for (const [accept, index] of [['text/plain', 30], ['application/json;q=0, text/plain', 31]] as const) {
      const r = await http(`${dc.masterUrl}/api/v1/scheduler`, {
        headers: { 'Content-Type': 'application/json', Accept: accept },
        body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo('x') } }),
      });
      assertErrorAnswer(r, recorded(index));
    }
    for (const accept of ['*/*', 'application/*', 'text/html, application/json;q=0.5']) {
      const r = new EventStreamReader(dc.masterUrl, { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo(`accept-${accept}`) } }, { 'Content-Type': 'application/json', Accept: accept });
      await r.opened;
      assert.equal(r.status, 200, accept);
      assert.equal((await r.next()).type, 'SUBSCRIBED');
      r.close();
    }

    // Disconnected (failover_timeout 60): 403 with or without the old stream id.
    s.stream.close();
    await until(async () => (await call(dc.masterUrl, { type: 'REVIVE', framework_id: fid }, s.streamId)).status === 403, 'calls to be refused with 403', 10_000, 20);
    assertErrorAnswer(await call(dc.masterUrl, { type: 'REVIVE', framework_id: fid }, s.streamId), recorded(37));
    assertErrorAnswer(await call(dc.masterUrl, { type: 'REVIVE', framework_id: fid }), recorded(38));

    // Operator TEARDOWN → 200 empty; then 400 "Framework cannot be found" and SUBSCRIBE → ERROR "Framework has been removed".
    const teardown = await http(`${dc.masterUrl}/api/v1`, { headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ type: 'TEARDOWN', teardown: { framework_id: fid } }) });
    assert.equal(teardown.status, 200);
    assert.equal(teardown.body, '');
    assertErrorAnswer(await call(dc.masterUrl, { type: 'REVIVE', framework_id: fid }, s.streamId), recorded(40));
    const again = new EventStreamReader(dc.masterUrl, { type: 'SUBSCRIBE', framework_id: fid, subscribe: { framework_info: frameworkInfo('errors', { id: fid, failover_timeout: 60 }) } });
    await again.opened;
    assert.equal(again.status, 200);
    assert.deepEqual(await again.next(), { type: 'ERROR', error: { message: 'Framework has been removed' } });
    await again.waitEnd();
    assert.equal(again.events.length, 1);
  });

  it('refuses bad FrameworkInfo with 200, one ERROR event and the end of the stream', async () => {
    for (const index of [32, 33, 34, 35, 36]) {
      const ex = errors[index] as (typeof errors)[number];
      const r = new EventStreamReader(dc.masterUrl, ex.request.body);
      await r.opened;
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.match(String(r.headers['mesos-stream-id']), /^[0-9a-f-]{36}$/);
      await r.waitEnd();
      const want = (ex.events ?? []).map(({ t_ms: _t, ...e }) => e);
      assert.deepEqual(r.events, want, ex.comment);
    }
  });

  it('answers 501 to an explicit UNKNOWN call of a subscribed framework', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('unknown-call'));
    const r = await s.call({ type: 'UNKNOWN' });
    assert.equal(r.status, 501);
    s.stream.close();
  });

  it("answers 400 to malformed calls with Mesos's texts and never crashes on garbage", async () => {
    const bodies = ['{"type":"ACCEPT","framework_id":{"value":1}}', '{"type":"ACCEPT","framework_id":"x"}', '{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n","capabilities":"MULTI_ROLE"}}}', '\u0000\u0001', '{"type":["SUBSCRIBE"]}', 'null', '1e999', '{"type":"ACCEPT","framework_id":{"value":"f"},"accept":{"operations":[{"type":"LAUNCH","launch":{"task_infos":[{}]}}]}}'];
    for (const body of bodies) {
      const r = await http(`${dc.masterUrl}/api/v1/scheduler`, { headers: { 'Content-Type': 'application/json' }, body });
      assert.ok(r.status === 400, `${body} → ${r.status} ${r.body}`);
    }
    const missing = await http(`${dc.masterUrl}/api/v1/scheduler`, {
      headers: { 'Content-Type': 'application/json' },
      body: '{"type":"ACCEPT","framework_id":{"value":"f"},"accept":{"operations":[{"type":"LAUNCH","launch":{"task_infos":[{}]}}]}}',
    });
    assert.equal(missing.body, 'Failed to convert JSON into Call protobuf: Missing required fields: accept.operations[0].launch.task_infos[0].name, accept.operations[0].launch.task_infos[0].task_id, accept.operations[0].launch.task_infos[0].agent_id');
    const health = await http(`${dc.masterUrl}/health`, { method: 'GET' });
    assert.equal(health.status, 200);
  });
});
