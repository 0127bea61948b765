// The recordings of a real Mesos 1.12 (mesos-transcripts/) as test vectors:
// every request body and every event parses (the malformed bodies of
// 10-errors.json fail, naming the field Mesos names), and everything
// re-serializes to what was recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  MesosSchemaError,
  isKnownEvent,
  parseEvent,
  parseMasterCall,
  parseMasterResponse,
  parseMesosJson,
  safeParseCall,
  stringifyMesosJson,
  type Event,
} from '../../../mesos/schemas/index.js';
import { exchangeTranscripts, TRANSCRIPTS_DIR } from '../../support/fixtures.js';

const dir = TRANSCRIPTS_DIR;
const files = exchangeTranscripts();

interface Exchange {
  comment?: string;
  request: { target: string; method: string; path: string; body?: unknown };
  response: { status: number; body?: unknown };
  events?: Array<Record<string, unknown>>;
}

function load(file: string): Exchange[] {
  return (parseMesosJson(readFileSync(`${dir}${file}`, 'utf8')) as { exchanges: Exchange[] }).exchanges;
}

const roundTrip = (v: unknown) => parseMesosJson(stringifyMesosJson(v));
const isScheduler = (ex: Exchange) => ex.request.target === 'master' && ex.request.path.startsWith('/api/v1/scheduler');
const isOperator = (ex: Exchange) => ex.request.target === 'master' && ex.request.path === '/api/v1';

/** The paths Mesos names in a body error, or undefined when the error is not about the body. */
function mesosBodyErrorPaths(status: number, body: unknown): string[] | undefined {
  if (status !== 400 || typeof body !== 'string') return undefined;
  const missing = /^Failed to convert JSON into Call protobuf: Missing required fields: (.*)$/.exec(body);
  if (missing) return (missing[1] ?? '').split(', ');
  if (body.includes('Expecting a JSON object')) return [''];
  if (body.includes("Not expecting a JSON number for field 'type'")) return ['type'];
  if (body.includes("Failed to base64 decode bytes field 'uuid'")) return ['acknowledge.uuid'];
  if (body.startsWith('Failed to parse body into JSON')) return [];
  const expecting = /^Failed to validate scheduler::Call: Expecting '(\w+)' to be present$/.exec(body);
  if (expecting) return [expecting[1] ?? ''];
  if (body.endsWith("'framework_id' differs from 'subscribe.framework_info.id'")) return ['framework_id'];
  if (body.endsWith('Not a valid UUID')) return ['acknowledge.uuid'];
  return undefined;
}

for (const file of files) {
  test(`${file}: every scheduler call body parses (or fails where Mesos rejected the body) and round-trips`, () => {
    let checked = 0;
    for (const [i, ex] of load(file).entries()) {
      if (!isScheduler(ex) || ex.request.body === undefined || ex.request.body === null) continue;
      const where = `${file} exchange ${i} (${ex.comment ?? ''})`;
      let body: unknown = ex.request.body;
      // Malformed-body cases were recorded as the raw text that was sent.
      if (typeof body === 'string') {
        try {
          body = parseMesosJson(body);
        } catch {
          assert.match(String(ex.response.body), /^Failed to parse body into JSON/, where);
          checked++;
          continue;
        }
      }
      const expectedPaths = mesosBodyErrorPaths(ex.response.status, ex.response.body);
      const r = safeParseCall(body);
      if (expectedPaths === undefined) {
        assert.ok(r.success, `${where}: ${r.success ? '' : r.error.message}`);
        assert.deepEqual(roundTrip(r.data), body, where);
      } else {
        assert.ok(!r.success, `${where} should be rejected like Mesos did: ${String(ex.response.body)}`);
        assert.ok(r.error instanceof MesosSchemaError);
        for (const p of expectedPaths) assert.ok(r.error.paths.includes(p), `${where}: ${r.error.message} should name '${p}'`);
      }
      checked++;
    }
    assert.ok(checked > 0);
  });

  test(`${file}: every event parses as a known event and round-trips`, () => {
    let checked = 0;
    for (const [i, ex] of load(file).entries()) {
      for (const [j, recorded] of (ex.events ?? []).entries()) {
        const { t_ms: _recorderTime, ...event } = recorded;
        const parsed: Event = parseEvent(event);
        assert.ok(isKnownEvent(parsed), `${file} exchange ${i} event ${j}`);
        assert.deepEqual(roundTrip(parsed), event, `${file} exchange ${i} event ${j}`);
        checked++;
      }
    }
    if (!file.startsWith('10-') && !file.startsWith('13-')) assert.ok(checked > 0);
  });
}

test('operator API calls and answers parse and round-trip (12, 13)', () => {
  let checked = 0;
  for (const file of ['12-operator-and-state.json', '13-teardown-running.json', '10-errors.json']) {
    for (const ex of load(file)) {
      if (!isOperator(ex)) continue;
      const body = ex.request.body;
      if (ex.response.status === 400 && String(ex.response.body).includes("Expecting 'type' to be present")) {
        assert.throws(() => parseMasterCall(body), (e: unknown) => e instanceof MesosSchemaError && e.paths.includes('type'));
        continue;
      }
      parseMasterCall(body);
      if (ex.response.status === 200 && typeof ex.response.body === 'object' && ex.response.body !== null) {
        const resp = parseMasterResponse(ex.response.body);
        assert.deepEqual(roundTrip(resp), ex.response.body);
        checked++;
      }
    }
  }
  assert.ok(checked >= 7);
});

test('GET_STATE from 12 gives typed tasks, frameworks and agents with exact int64 times', () => {
  const ex = load('12-operator-and-state.json').find((e) => isOperator(e) && (e.request.body as { type?: string }).type === 'GET_STATE');
  assert.ok(ex);
  const resp = parseMasterResponse(ex.response.body);
  const state = resp.get_state;
  assert.ok(state);
  const task = state.get_tasks?.tasks?.[0];
  assert.equal(task?.state, 'TASK_RUNNING');
  assert.equal(task?.statuses?.at(-1)?.state, 'TASK_RUNNING');
  const fw = state.get_frameworks?.frameworks?.[0];
  assert.equal(typeof fw?.registered_time?.nanoseconds, 'bigint');
  assert.equal(state.get_agents?.agents?.[0]?.agent_info.hostname, '127.0.0.1');
});

test('unknown fields at every depth survive parse → stringify', () => {
  const ex = load('05-kill.json').find((e) => (e.events ?? []).some((ev) => ev.type === 'UPDATE'));
  const recorded = ex?.events?.find((ev) => ev.type === 'UPDATE');
  assert.ok(recorded);
  const { t_ms: _t, ...event } = structuredClone(recorded) as Record<string, unknown> & {
    update: Record<string, unknown> & {
      status: Record<string, unknown> & { container_status: Record<string, unknown> & { network_infos: Array<Record<string, unknown>> } };
    };
  };
  (event as Record<string, unknown>).future_top = { a: [1, { b: 2 }] };
  event.update.future_update = 'x';
  event.update.status.future_status = 12345678901234567890n;
  event.update.status.container_status.future_cs = true;
  const ni = event.update.status.container_status.network_infos[0];
  assert.ok(ni);
  ni.future_ni = { deep: { deeper: [] } };
  const parsed = parseEvent(event);
  assert.deepEqual(roundTrip(parsed), event);

  const sub = load('01-subscribe.json')[0]?.request.body as Record<string, unknown> & { subscribe: Record<string, unknown> & { framework_info: Record<string, unknown> } };
  const call = structuredClone(sub);
  call.subscribe.framework_info.future_field = { x: 1 };
  call.subscribe.future_sub = [1, 2];
  const r = safeParseCall(call);
  assert.ok(r.success);
  assert.deepEqual(roundTrip(r.data), call);
});
