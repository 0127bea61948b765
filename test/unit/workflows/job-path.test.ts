// The pure rules of the one-activity job path (issue 11) and the seams of
// issue 10 that live there: an attempt never launched does not look
// launched, a failed job says why, and what the open activity heartbeated
// shows in the progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate, beginAttempt, initialProgress, isNeverLaunchedAnswer, withLiveAttempt } from '../../../workflows/progress.js';
import { failureMessage } from '../../../workflows/retry-decision.js';
import { isUnknownTaskAnswer } from '../../../workflows/task-states.js';
import { nextBeatGapMs } from '../../../activities/session/place-and-launch.js';

const gone = { taskId: 'job-1.1', state: 'TASK_GONE', reason: 'REASON_RECONCILIATION', message: 'Reconciliation: Task is unknown', timestamp: 1 };

test("the master's 'unknown task' answer is told apart from a task that was lost", () => {
  assert.equal(isUnknownTaskAnswer(gone), true);
  assert.equal(isUnknownTaskAnswer({ ...gone, state: 'TASK_UNKNOWN' }), true);
  assert.equal(isUnknownTaskAnswer({ ...gone, message: 'Reconciliation: Latest task state' }), false);
  assert.equal(isUnknownTaskAnswer({ ...gone, reason: 'REASON_AGENT_REMOVED' }), false);
  assert.equal(isUnknownTaskAnswer({ ...gone, state: 'TASK_RUNNING' }), false);
});

test('an attempt that was never launched does not take an unknown-task answer as its update', () => {
  const p = initialProgress('job-1');
  const a = beginAttempt(p, 1, 'job-1.1');
  assert.equal(isNeverLaunchedAnswer(p, gone), true);
  // Once launched (or once a real update arrived) the same answer is the task's fate.
  a.launchedAt = new Date(0).toISOString();
  assert.equal(isNeverLaunchedAnswer(p, gone), false);
  delete a.launchedAt;
  applyUpdate(p, { taskId: 'job-1.1', state: 'TASK_STARTING', timestamp: 1, uuid: 'u1' });
  assert.equal(isNeverLaunchedAnswer(p, gone), false);
  // Never for a task of another attempt or job.
  assert.equal(isNeverLaunchedAnswer(p, { ...gone, taskId: 'job-2.1' }), false);
});

test("a failed job's message carries its last attempt's state, reason and Mesos message", () => {
  const p = initialProgress('job-1');
  const a = beginAttempt(p, 1, 'job-1.1');
  applyUpdate(p, { taskId: 'job-1.1', state: 'TASK_FAILED', reason: 'REASON_EXECUTOR_TERMINATED', message: 'Abnormal executor termination: unknown container', timestamp: 1, uuid: 'u' });
  assert.equal(failureMessage('all 1 attempts used', a), 'all 1 attempts used; last attempt: TASK_FAILED (REASON_EXECUTOR_TERMINATED): Abnormal executor termination: unknown container');
  const lost = beginAttempt(p, 2, 'job-1.2');
  lost.message = 'offer lost, never launched: lease expired';
  assert.equal(failureMessage('bound reached', lost), 'bound reached; last attempt: offer lost, never launched: lease expired');
  assert.equal(failureMessage('no fitting offer within 5s', beginAttempt(p, 3, 'job-1.3')), 'no fitting offer within 5s');
  assert.equal(failureMessage('x', undefined), 'x');
});

test('the open activity of a waiting or launching attempt shows in the progress', () => {
  const p = initialProgress('job-1');
  beginAttempt(p, 1, 'job-1.1');
  const waiting = { offersSeen: 2, reasons: [{ reason: 'not enough cpus', offers: 2 }], at: new Date(0).toISOString() };
  assert.deepEqual(withLiveAttempt(p, { waiting, updates: [] }).waiting, waiting);
  assert.equal(p.phase, 'waiting-for-offer');
  const launching = withLiveAttempt(p, { lease: { leaseId: 'l' }, updates: [{ taskId: 'job-1.1', state: 'TASK_STARTING', timestamp: 2, uuid: 'u1' }] });
  assert.equal(launching.phase, 'staging');
  assert.equal(launching.waiting, undefined);
  assert.equal(launching.attempts[0]?.state, 'TASK_STARTING');
  // A recorded progress past waiting is left alone.
  assert.equal(withLiveAttempt(launching, { waiting, updates: [] }).waiting, undefined);
});

test('waiting reasons are heartbeated at once, then less often, never beyond the liveness period', () => {
  assert.equal(nextBeatGapMs(undefined, 1000, 6000), 1000);
  assert.equal(nextBeatGapMs(1000, 1000, 6000), 2000);
  assert.equal(nextBeatGapMs(4000, 1000, 6000), 6000);
  assert.equal(nextBeatGapMs(6000, 1000, 6000), 6000);
});
