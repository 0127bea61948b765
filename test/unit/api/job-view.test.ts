import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiStatus, changeKey, jobView, labelsFromKeywords, type JobFacts } from '../../../api/job-view.js';
import type { JobProgress } from '../../../workflows/progress.js';

const created = new Date('2026-01-01T00:00:00.000Z');

function facts(progress: JobProgress | undefined, over: Partial<JobFacts> = {}): JobFacts {
  return { id: 'job-1', progress, executionStatus: 'RUNNING', searchStatus: 'WAITING_FOR_OFFER', memo: {}, createdAt: created, closedAt: undefined, labels: {}, name: undefined, ...over };
}

const base = (over: Partial<JobProgress> = {}): JobProgress => ({ jobId: 'job-1', status: 'WAITING', phase: 'pending', attempts: [], ...over });

test('phases map to the API statuses', () => {
  assert.equal(apiStatus(base(), 'RUNNING'), 'QUEUED');
  assert.equal(apiStatus(base({ phase: 'waiting-for-offer' }), 'RUNNING'), 'WAITING_FOR_OFFER');
  assert.equal(apiStatus(base({ phase: 'launching' }), 'RUNNING'), 'LAUNCHING');
  assert.equal(apiStatus(base({ phase: 'staging', status: 'RUNNING' }), 'RUNNING'), 'LAUNCHING');
  assert.equal(apiStatus(base({ phase: 'running', status: 'RUNNING' }), 'RUNNING'), 'RUNNING');
  assert.equal(apiStatus(base({ phase: 'killing', status: 'RUNNING' }), 'RUNNING'), 'RUNNING');
  for (const s of ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] as const) assert.equal(apiStatus(base({ phase: 'terminal', status: s }), 'COMPLETED'), s);
});

test('a closed workflow whose progress did not finish takes the execution status', () => {
  assert.equal(apiStatus(base({ phase: 'running', status: 'RUNNING' }), 'TERMINATED'), 'CANCELLED');
  assert.equal(apiStatus(base(), 'FAILED'), 'FAILED');
  assert.equal(apiStatus(undefined, 'COMPLETED'), 'SUCCEEDED');
  assert.equal(apiStatus(undefined, 'TIMED_OUT'), 'TIMED_OUT');
});

test('without progress, open workflows fall back to the search attribute', () => {
  assert.equal(apiStatus(undefined, 'RUNNING', 'RUNNING'), 'RUNNING');
  assert.equal(apiStatus(undefined, 'RUNNING', 'LAUNCHING'), 'LAUNCHING');
  assert.equal(apiStatus(undefined, 'RUNNING', 'WAITING_FOR_OFFER'), 'WAITING_FOR_OFFER');
  // Written by jobs started before the one vocabulary.
  assert.equal(apiStatus(undefined, 'RUNNING', 'WAITING'), 'WAITING_FOR_OFFER');
  assert.equal(apiStatus(undefined, 'RUNNING', undefined), 'QUEUED');
  // A closed job's attribute tells TIMED_OUT from FAILED.
  assert.equal(apiStatus(undefined, 'FAILED', 'TIMED_OUT'), 'TIMED_OUT');
  assert.equal(apiStatus(undefined, 'TERMINATED', 'RUNNING'), 'CANCELLED');
});

test('a list row of a succeeded job says exit code 0 without a memo', () => {
  const v = jobView(facts(undefined, { executionStatus: 'COMPLETED', searchStatus: 'SUCCEEDED', closedAt: created }));
  assert.equal(v.exitCode, 0);
  assert.equal(v.message, 'task finished');
});

test('a list row (no progress) shows the memo written at the end', () => {
  const v = jobView(facts(undefined, { executionStatus: 'FAILED', searchStatus: 'FAILED', closedAt: created, memo: { exitCode: 3, message: 'all 1 attempts used; last attempt: TASK_FAILED', startedAt: '2026-01-01T00:00:01.000Z' } }));
  assert.equal(v.status, 'FAILED');
  assert.equal(v.exitCode, 3);
  assert.equal(v.message, 'all 1 attempts used; last attempt: TASK_FAILED');
  assert.equal(v.startedAt, '2026-01-01T00:00:01.000Z');
});

test('the job view carries attempts, exit code, timestamps and links', () => {
  const p = base({
    status: 'FAILED',
    phase: 'terminal',
    frameworkId: 'fw-1',
    exitCode: 3,
    message: 'task failed',
    attempts: [
      {
        attempt: 1,
        taskId: 'job-1.1',
        agentId: 'a1',
        hostname: 'h1',
        state: 'TASK_FAILED',
        exitCode: 3,
        outcome: 'failed',
        statuses: [
          { time: '2026-01-01T00:00:01.000Z', state: 'TASK_STARTING' },
          { time: '2026-01-01T00:00:02.000Z', state: 'TASK_RUNNING' },
          { time: '2026-01-01T00:00:03.000Z', state: 'TASK_FAILED', reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: 'Command exited with status 3' },
        ],
      },
    ],
  });
  const v = jobView(facts(p, { executionStatus: 'FAILED', closedAt: new Date('2026-01-01T00:00:04.000Z'), labels: { team: 'x' } }), { temporalUiUrl: 'http://localhost:8233/' });
  assert.equal(v.status, 'FAILED');
  assert.equal(v.exitCode, 3);
  assert.equal(v.frameworkId, 'fw-1');
  assert.equal(v.createdAt, '2026-01-01T00:00:00.000Z');
  assert.equal(v.startedAt, '2026-01-01T00:00:02.000Z');
  assert.equal(v.endedAt, '2026-01-01T00:00:04.000Z');
  assert.equal(v.attempts[0]?.reason, 'REASON_COMMAND_EXECUTOR_FAILED');
  assert.equal(v.attempts[0]?.statusUpdates.length, 3);
  assert.equal(v.waiting, null);
  assert.deepEqual(v.labels, { team: 'x' });
  assert.equal(v.links.temporal, 'http://localhost:8233/namespaces/default/workflows/job-1');
  assert.equal(v.links.logs, '/v1/jobs/job-1/logs');
});

test('a job whose progress is terminal before its workflow closed ends at its last update', () => {
  const p = base({
    status: 'SUCCEEDED',
    phase: 'terminal',
    attempts: [{ attempt: 1, taskId: 'job-1.1', state: 'TASK_FINISHED', statuses: [{ time: '2026-01-01T00:00:09.000Z', state: 'TASK_FINISHED' }] }],
  });
  const v = jobView(facts(p));
  assert.equal(v.status, 'SUCCEEDED');
  assert.equal(v.endedAt, '2026-01-01T00:00:09.000Z');
  assert.equal(jobView(facts(base({ phase: 'running', status: 'RUNNING' }))).endedAt, null);
});

test('a waiting job says why it waits', () => {
  const w = jobView(facts(base({ phase: 'waiting-for-offer', waiting: { offersSeen: 4, reasons: [{ reason: 'insufficient cpus', offers: 4 }], at: '2026-01-01T00:00:05.000Z' } })));
  assert.equal(w.status, 'WAITING_FOR_OFFER');
  assert.match(w.waiting?.reason ?? '', /4 offer\(s\) seen, none fits: insufficient cpus/);
  const first = jobView(facts(base({ phase: 'waiting-for-offer' })));
  assert.equal(first.waiting?.offersSeen, 0);
});

test('labels come back from key=value keywords; change keys move with status and task state', () => {
  assert.deepEqual(labelsFromKeywords(['a=1', 'b=x=y', 'junk', 3]), { a: '1', b: 'x=y' });
  const a = jobView(facts(base({ phase: 'waiting-for-offer' })));
  const b = jobView(facts(base({ phase: 'waiting-for-offer', waiting: { offersSeen: 9, reasons: [], at: 'x' } })));
  const c = jobView(facts(base({ phase: 'running', status: 'RUNNING' })));
  assert.equal(changeKey(a), changeKey(b));
  assert.notEqual(changeKey(a), changeKey(c));
});
