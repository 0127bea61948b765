import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExitCode, parseTermSignal } from '../../../workflows/exit-status.js';
import { deriveTaskId, parseTaskId } from '../../../workflows/task-id.js';
import { acceptsTransition, endsAttempt, phaseForState } from '../../../workflows/task-states.js';
import { applyUpdate, beginAttempt, finish, initialProgress } from '../../../workflows/progress.js';

test('exit codes and signals are read from the command executor messages', () => {
  assert.equal(parseExitCode('Command exited with status 0'), 0);
  assert.equal(parseExitCode('Command exited with status 3'), 3);
  assert.equal(parseExitCode('Command exited with status 127 (pid: 4)'), 127);
  assert.equal(parseExitCode('Command terminated with signal Killed'), undefined);
  assert.equal(parseExitCode(undefined), undefined);
  assert.equal(parseTermSignal('Command terminated with signal Terminated'), 'Terminated');
  assert.equal(parseTermSignal('Command exited with status 1'), undefined);
});

test('task ids are derived from workflow id and attempt, and parse back', () => {
  assert.equal(deriveTaskId('job-abc', 1), 'job-abc.1');
  for (const wf of ['job-abc', 'a/b/c', 'with%percent', 'dots.in.2', 'x\u0001y', 'é']) {
    for (const n of [1, 2, 17]) {
      const id = deriveTaskId(wf, n);
      assert.ok(!id.includes('/'), id);
      assert.deepEqual(parseTaskId(id), { workflowId: wf, attempt: n });
    }
  }
  assert.notEqual(deriveTaskId('a/b', 1), deriveTaskId('a%2Fb', 1));
  assert.equal(parseTaskId('no-attempt'), undefined);
  assert.equal(parseTaskId('x.0'), undefined);
  assert.throws(() => deriveTaskId('x', 0));
});

test('the state machine: terminal states end an attempt and are never left', () => {
  assert.ok(endsAttempt('TASK_FINISHED'));
  assert.ok(endsAttempt('TASK_UNKNOWN'));
  assert.ok(!endsAttempt('TASK_UNREACHABLE'));
  assert.ok(!endsAttempt('TASK_RUNNING'));
  assert.equal(phaseForState('TASK_STARTING'), 'staging');
  assert.equal(phaseForState('TASK_RUNNING'), 'running');
  assert.equal(phaseForState('TASK_KILLING'), 'killing');
  assert.equal(phaseForState('TASK_FAILED'), 'terminal');
  assert.ok(acceptsTransition(undefined, 'TASK_RUNNING'));
  assert.ok(acceptsTransition('TASK_RUNNING', 'TASK_FINISHED'));
  assert.ok(!acceptsTransition('TASK_FINISHED', 'TASK_RUNNING'));
});

test('progress records every update up to the terminal one and the exit code, and ignores other tasks', () => {
  const p = initialProgress('job-1');
  beginAttempt(p, 1, 'job-1.1');
  assert.equal(p.phase, 'waiting-for-offer');
  assert.equal(applyUpdate(p, { taskId: 'job-1.1', state: 'TASK_STARTING', timestamp: 1700000000.5, agentId: 'A1', source: 'SOURCE_EXECUTOR' }), true);
  assert.equal(p.phase, 'staging');
  assert.equal(p.status, 'RUNNING');
  applyUpdate(p, { taskId: 'job-1.1', state: 'TASK_RUNNING', timestamp: 1700000001 });
  assert.equal(p.phase, 'running');
  assert.equal(applyUpdate(p, { taskId: 'other.1', state: 'TASK_FAILED', timestamp: 1 }), false);
  assert.equal(applyUpdate(p, { taskId: 'job-1.1', state: 'TASK_FAILED', timestamp: 1700000002, message: 'Command exited with status 3' }), true);
  assert.equal(applyUpdate(p, { taskId: 'job-1.1', state: 'TASK_RUNNING', timestamp: 1700000003, reason: 'REASON_RECONCILIATION' }), false);
  const a = p.attempts[0];
  // The late RUNNING answer is stale after the terminal FAILED: not recorded (the record never shows the task running again).
  assert.deepEqual(a?.statuses.map((x) => x.state), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
  assert.equal(a?.statuses[0]?.time, '2023-11-14T22:13:20.500Z');
  assert.equal(a?.exitCode, 3);
  assert.equal(a?.state, 'TASK_FAILED');
  assert.equal(a?.agentId, 'A1');
  finish(p, 'FAILED', 'exit 3');
  assert.equal(p.exitCode, 3);
  assert.equal(p.phase, 'terminal');
});

test('an update delivered twice (same uuid) is recorded once', () => {
  const p = initialProgress('job-2');
  beginAttempt(p, 1, 'job-2.1');
  const u = { taskId: 'job-2.1', state: 'TASK_RUNNING', timestamp: 1, uuid: 'abc=' };
  assert.equal(applyUpdate(p, u), true);
  assert.equal(applyUpdate(p, u), false);
  assert.equal(p.attempts[0]?.statuses.length, 1);
  assert.equal(p.attempts[0]?.statuses[0]?.uuid, 'abc=');
  // Master-generated updates have no uuid: each is kept.
  applyUpdate(p, { taskId: 'job-2.1', state: 'TASK_RUNNING', timestamp: 2, reason: 'REASON_RECONCILIATION' });
  applyUpdate(p, { taskId: 'job-2.1', state: 'TASK_RUNNING', timestamp: 3, reason: 'REASON_RECONCILIATION' });
  assert.equal(p.attempts[0]?.statuses.length, 3);
});
