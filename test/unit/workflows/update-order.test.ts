// The order a job records its task's updates in (workflows/update-gate.ts,
// progress.ts) and when a long run continues as new (history-bound.ts):
// pure rules of the job workflow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateGate } from '../../../workflows/update-gate.js';
import { applyUpdate, beginAttempt, initialProgress, isStaleAfterEnd } from '../../../workflows/progress.js';
import { STEP_HEADROOM_EVENTS, reachedLimit, shouldContinueAsNew } from '../../../workflows/history-bound.js';

const update = (state: string, uuid: string, timestamp: number) => ({ taskId: 'job-1.1', state, uuid, timestamp });

test("signals that arrive while placeAndLaunch is open are applied after the activity's own updates, in arrival order", () => {
  const p = initialProgress('job-1');
  beginAttempt(p, 1, 'job-1.1');
  const gate = new UpdateGate<ReturnType<typeof update>>();
  const apply = (u: ReturnType<typeof update>) => void applyUpdate(p, u);
  gate.hold();
  // Temporal runs the signal handler first, in the activation that also resolves the activity.
  gate.offer(update('TASK_FINISHED', 'u3', 3), apply);
  assert.equal(p.attempts[0]?.statuses.length, 0, 'held, not applied');
  assert.equal(gate.holding, true);
  gate.release([update('TASK_STARTING', 'u1', 1), update('TASK_RUNNING', 'u2', 2)], apply);
  assert.deepEqual(
    p.attempts[0]?.statuses.map((s) => s.state),
    ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED'],
  );
  assert.equal(p.attempts[0]?.state, 'TASK_FINISHED');
  // Open again: a later signal is applied at once.
  assert.equal(gate.holding, false);
  let applied = 0;
  gate.offer(update('TASK_RUNNING', 'u4', 4), () => applied++);
  assert.equal(applied, 1);
});

test('a gate released without updates (the activity failed or was cancelled) still applies what it held', () => {
  const gate = new UpdateGate<string>();
  const seen: string[] = [];
  gate.hold();
  gate.offer('a', (u) => seen.push(u));
  gate.offer('b', (u) => seen.push(u));
  gate.release([], (u) => seen.push(u));
  assert.deepEqual(seen, ['a', 'b']);
});

test('the record never shows a non-terminal state after the attempt ended', () => {
  assert.equal(isStaleAfterEnd('TASK_FINISHED', 'TASK_RUNNING'), true);
  assert.equal(isStaleAfterEnd('TASK_KILLED', 'TASK_STARTING'), true);
  assert.equal(isStaleAfterEnd('TASK_RUNNING', 'TASK_FINISHED'), false);
  assert.equal(isStaleAfterEnd(undefined, 'TASK_RUNNING'), false);
  const p = initialProgress('job-1');
  beginAttempt(p, 1, 'job-1.1');
  applyUpdate(p, update('TASK_RUNNING', 'u1', 1));
  applyUpdate(p, update('TASK_FINISHED', 'u2', 2));
  // A late reconciliation answer, or the activity's RUNNING applied after a FINISHED signal.
  assert.equal(applyUpdate(p, update('TASK_RUNNING', 'u3', 3)), false);
  assert.deepEqual(p.attempts[0]?.statuses.map((s) => s.state), ['TASK_RUNNING', 'TASK_FINISHED']);
});

test('a run continues as new before one more step could take it past the limit', () => {
  const at = (historyLength: number, continueAsNewSuggested = false) => ({ historyLength, continueAsNewSuggested });
  assert.equal(shouldContinueAsNew(at(24 - STEP_HEADROOM_EVENTS - 1), 24), false);
  assert.equal(shouldContinueAsNew(at(24 - STEP_HEADROOM_EVENTS), 24), true);
  assert.equal(shouldContinueAsNew(at(3, true), 24), true, "Temporal's suggestion is heeded");
  // The old rule (kept for recorded runs) waited for the limit itself.
  assert.equal(reachedLimit(at(23), 24), false);
  assert.equal(reachedLimit(at(24), 24), true);
});
