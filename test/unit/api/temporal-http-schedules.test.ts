// The HTTP TemporalAccess's pure parts for schedules: proto JSON durations,
// the description read from a DescribeScheduleResponse, and the retry of 429
// answers (RESOURCE_EXHAUSTED) within the call's deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemporalError } from '../../../api/temporal/access.js';
import { HttpTemporalAccess } from '../../../api/temporal/http-access.js';
import { encodePayload } from '../../../api/temporal/payload-json.js';
import { durationJson, durationMs, scheduleDescriptionOf } from '../../../api/temporal/schedule-json.js';

test('durations: milliseconds to proto JSON and back', () => {
  assert.equal(durationJson(3_600_000), '3600s');
  assert.equal(durationJson(500), '0.5s');
  assert.equal(durationMs('3600s'), 3_600_000);
  assert.equal(durationMs('0.500s'), 500);
  assert.equal(durationMs('1.000000001s'), 1000);
  assert.equal(durationMs('10m'), undefined);
  assert.equal(durationMs(undefined), undefined);
});

test('a DescribeScheduleResponse read into the neutral description (defaults as the SDK reads them)', () => {
  const d = scheduleDescriptionOf('s', {
    schedule: {
      spec: {
        structuredCalendar: [{ minute: [{ start: 0 }], hour: [{ start: 2 }], dayOfMonth: [{ start: 1, end: 31 }], comment: 'cron: 0 2 * * *' }],
        interval: [{ interval: '5400s', phase: '300s' }],
        timezoneName: 'Europe/Berlin',
      },
      action: { startWorkflow: { workflowId: 's', workflowType: { name: 'batchWorkflow' }, taskQueue: { name: 'q' }, input: { payloads: [encodePayload({ spec: { a: [] } })] } } },
      policies: { overlapPolicy: 'SCHEDULE_OVERLAP_POLICY_BUFFER_ONE' },
      state: { limitedActions: true, remainingActions: '3' },
    },
    info: { actionCount: '2', createTime: '2026-12-06T00:00:00.123456789Z', recentActions: [{ scheduleTime: '2026-12-06T01:00:00Z', actualTime: '2026-12-06T01:00:01Z', startWorkflowResult: { workflowId: 's-2026-12-06T01:00:00Z' } }] },
  });
  assert.deepEqual(d.spec.calendars[0]?.hour, [{ start: 2, end: 0, step: 0 }]);
  assert.equal(d.spec.calendars[0]?.comment, 'cron: 0 2 * * *');
  assert.deepEqual(d.spec.intervals, [{ everyMs: 5_400_000, offsetMs: 300_000 }]);
  assert.deepEqual(d.action.args, [{ spec: { a: [] } }]);
  assert.deepEqual(d.policies, { overlap: 'BUFFER_ONE', catchupWindowMs: 60_000, pauseOnFailure: false });
  assert.deepEqual(d.state, { paused: false, note: undefined, remainingActions: 3 });
  assert.equal(d.info.numActionsTaken, 2);
  assert.equal(d.info.createdAt.toISOString(), '2026-12-06T00:00:00.123Z');
  assert.deepEqual(d.info.recentActions.map((a) => a.workflowId), ['s-2026-12-06T01:00:00Z']);
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

test('HTTP access: a 429 is tried again within the deadline; other errors are not', async () => {
  let calls = 0;
  const busy = { code: 8, message: 'consistent query buffer is full' };
  const access = new HttpTemporalAccess({
    baseUrl: 'http://temporal.invalid',
    namespace: 'default',
    fetch: (async () => (++calls <= 2 ? json(429, busy) : json(200, { schedule: {}, info: {} }))) as typeof fetch,
  });
  const d = await access.describeSchedule('s');
  assert.equal(calls, 3, 'two 429s, then the answer');
  assert.equal(d?.scheduleId, 's');

  let refused = 0;
  const bad = new HttpTemporalAccess({ baseUrl: 'http://temporal.invalid', namespace: 'default', fetch: (async () => (refused++, json(400, { code: 3, message: 'bad' }))) as typeof fetch });
  await assert.rejects(bad.deleteSchedule('s'), (e: unknown) => e instanceof TemporalError && e.kind === 'invalid-argument');
  assert.equal(refused, 1);

  let tries = 0;
  const always = new HttpTemporalAccess({ baseUrl: 'http://temporal.invalid', namespace: 'default', timeoutMs: 300, fetch: (async () => (tries++, json(429, busy))) as typeof fetch });
  const t0 = Date.now();
  await assert.rejects(always.patchSchedule('s', { pause: 'x' }), (e: unknown) => e instanceof TemporalError && e.kind === 'unavailable' && /buffer is full/.test(e.message));
  assert.ok(Date.now() - t0 < 2000, 'gave up at its deadline');
  assert.ok(tries >= 2, `tried again (${tries})`);
});
