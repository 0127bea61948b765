// What a job costs in Temporal (issue 11): a successful one-attempt job
// takes at most 20 history events and 6 billable actions, and a task that
// runs long continues as new with its live attempt instead of growing one
// history without bound.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startJob } from '../../../worker/job-client.js';
import type { JobResult } from '../../../workflows/job-workflow.js';
import { historyBudget } from '../../support/history-budget.js';
import { fastTuning, startStack, type Stack } from './stack.js';

const MAX_EVENTS = 20;
const MAX_ACTIONS = 6;

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test(`a successful one-attempt job takes at most ${MAX_EVENTS} history events and ${MAX_ACTIONS} billable actions`, async () => {
  // Several, so that one lucky interleaving cannot pass alone.
  const handles = await Promise.all(['true', 'echo hi', 'sleep 0.5'].map((command) => stack.start({ command })));
  for (const h of handles) {
    const r = (await h.result()) as JobResult;
    assert.equal(r.status, 'SUCCEEDED');
    const b = await historyBudget(h);
    assert.ok(b.events <= MAX_EVENTS, `${h.workflowId}: ${b.events} events (${JSON.stringify(b.byKind)})`);
    assert.ok(b.actions <= MAX_ACTIONS, `${h.workflowId}: ${b.actions} actions (${JSON.stringify(b.byKind)})`);
    // The task's every update is still recorded.
    const p = await stack.progress(h);
    assert.deepEqual(p.attempts[0]?.statuses.map((s) => s.state).filter((s) => s !== 'TASK_STAGING'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    assert.equal(p.attempts[0]?.launchedAt !== undefined, true);
  }
});

test('a long task continues as new with its live attempt, several times, and ends once', async (t) => {
  const h = await startJob(stack.client, {
    spec: { command: 'sleep 7' },
    frameworkName: stack.frameworkName,
    taskQueue: stack.taskQueue,
    // Reconcile every second and continue as new past a small history.
    tuning: { ...fastTuning, reconcileAfterSeconds: 1, maxHistoryEvents: 24 },
  });
  const r = (await h.result()) as JobResult;
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.attempts, 1);
  assert.equal(r.taskId, `${h.workflowId}.1`);
  // Walk the chain of runs from the first.
  let runId: string | undefined = h.firstExecutionRunId;
  let runs = 0;
  let largest = 0;
  while (runId !== undefined) {
    runs++;
    const history = await stack.client.workflow.getHandle(h.workflowId, runId).fetchHistory();
    largest = Math.max(largest, history.events?.length ?? 0);
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  t.diagnostic(`${runs} runs, largest ${largest} events`);
  assert.ok(runs >= 3, `${runs} runs`);
  // Bounded: the limit plus what one wake-up adds.
  assert.ok(largest <= 24 + 12, `largest run: ${largest} events`);
  const p = await stack.progress(h);
  assert.equal(p.attempts.length, 1);
  assert.equal(p.status, 'SUCCEEDED');
  assert.deepEqual(p.attempts[0]?.statuses.map((s) => s.state).filter((s) => s === 'TASK_RUNNING' || s === 'TASK_FINISHED').slice(-1), ['TASK_FINISHED']);
  const desc = await h.describe();
  assert.deepEqual(desc.searchAttributes.MesoflowJobStatus, ['SUCCEEDED']);
});
