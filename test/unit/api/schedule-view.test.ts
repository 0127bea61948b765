import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyCalendar, type ScheduleDescription } from '../../../api/temporal/access.js';
import { scheduleView } from '../../../api/schedule-view.js';

const at = (s: string) => new Date(`2026-12-06T${s}Z`);

function description(): ScheduleDescription {
  return {
    scheduleId: 'nightly',
    spec: {
      calendars: [
        { ...emptyCalendar(), comment: 'cron: 0 2 * * *' },
        { ...emptyCalendar(), comment: 'added in the Web UI' },
      ],
      intervals: [{ everyMs: 5_400_000, offsetMs: 300_000 }],
      timezone: 'Europe/Berlin',
      startAt: undefined,
      endAt: undefined,
      jitterMs: 30_000,
    },
    action: { workflowType: 'batchWorkflow', taskQueue: 'q', workflowId: 'nightly', args: [{ spec: { maxParallel: 50 }, frameworkName: 'f' }], memo: {}, searchAttributes: {} },
    policies: { overlap: 'BUFFER_ONE', catchupWindowMs: 3_600_000, pauseOnFailure: true },
    state: { paused: true, note: 'maintenance', remainingActions: 3 },
    info: {
      recentActions: [
        { scheduledAt: at('01:00:00'), takenAt: at('01:00:01'), workflowId: 'nightly-2026-12-06T01:00:00Z' },
        { scheduledAt: at('02:00:00'), takenAt: at('02:00:01'), workflowId: 'nightly-2026-12-06T02:00:00Z' },
      ],
      nextActionTimes: [at('03:00:00'), at('04:00:00'), at('05:00:00'), at('06:00:00'), at('07:00:00'), at('08:00:00'), at('09:00:00')],
      numActionsTaken: 2,
      numActionsMissedCatchupWindow: 1,
      numActionsSkippedOverlap: 4,
      createdAt: at('00:00:00'),
      lastUpdatedAt: undefined,
      runningWorkflowIds: ['nightly-2026-12-06T02:00:00Z'],
    },
  };
}

test('a Temporal schedule as the API shows it', () => {
  const runs = new Map([['nightly-2026-12-06T01:00:00Z', { kind: 'batch' as const, status: 'SUCCEEDED' }]]);
  const v = scheduleView(description(), { temporalUiUrl: 'http://ui:8233/', namespace: 'default', runs }, at('02:30:00'));
  assert.deepEqual(v.spec, { cron: ['0 2 * * *'], intervals: [{ every: '1h30m', offset: '5m' }], timeZone: 'Europe/Berlin', startAt: null, endAt: null, jitter: '30s' });
  assert.deepEqual(v.action, { batch: { maxParallel: 50 } });
  assert.equal(v.overlap, 'buffer-one');
  assert.equal(v.catchupWindow, '1h');
  assert.equal(v.paused, true);
  assert.equal(v.note, 'maintenance');
  assert.equal(v.remainingRuns, 3);
  assert.equal(v.nextRuns.length, 5);
  assert.equal(v.nextRuns[0], '2026-12-06T03:00:00.000Z');
  assert.deepEqual(
    v.recentRuns.map((r) => [r.id, r.kind, r.status, r.link]),
    [
      ['nightly-2026-12-06T01:00:00Z', 'batch', 'SUCCEEDED', '/v1/batches/nightly-2026-12-06T01%3A00%3A00Z'],
      // Not looked up (yet): a job of unknown status.
      ['nightly-2026-12-06T02:00:00Z', 'job', 'UNKNOWN', '/v1/jobs/nightly-2026-12-06T02%3A00%3A00Z'],
    ],
  );
  assert.deepEqual(v.running, ['nightly-2026-12-06T02:00:00Z']);
  assert.deepEqual(v.counts, { started: 2, skippedOverlap: 4, missedCatchupWindow: 1 });
  assert.deepEqual(v.links, { self: '/v1/schedules/nightly', temporal: 'http://ui:8233/namespaces/default/schedules/nightly' });
});
