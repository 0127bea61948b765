import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlanNode } from '../../../workflows/batch-plan.js';
import type { FailurePolicy } from '../../../workflows/batch-scheduler.js';
import { countsOf, finalStatus, initialState, isFinished, nextLaunches, recordEnd, stopLaunching, waitingFor } from '../../../workflows/batch-scheduler.js';

const cont: FailurePolicy = { mode: 'continue', cancelRunning: false };

test('an array starts in index order and never holds more than maxParallel slots', () => {
  const plan: PlanNode[] = [{ name: undefined, count: 7, deps: [] }];
  const s = initialState(plan);
  assert.deepEqual(nextLaunches(plan, s, 3).map((r) => r.index), [0, 1, 2]);
  assert.deepEqual(nextLaunches(plan, s, 3), [], 'all slots held');
  recordEnd(plan, s, cont, { node: 0, index: 1 }, 'SUCCEEDED', 'b.1');
  assert.deepEqual(nextLaunches(plan, s, 3).map((r) => r.index), [3]);
  recordEnd(plan, s, cont, { node: 0, index: 0 }, 'FAILED', 'b.0');
  recordEnd(plan, s, cont, { node: 0, index: 2 }, 'SUCCEEDED', 'b.2');
  assert.deepEqual(nextLaunches(plan, s, 3).map((r) => r.index), [4, 5]);
  for (const i of [3, 4, 5]) recordEnd(plan, s, cont, { node: 0, index: i }, 'SUCCEEDED', `b.${i}`);
  assert.deepEqual(nextLaunches(plan, s, 3).map((r) => r.index), [6]);
  assert.equal(isFinished(plan, s), false);
  recordEnd(plan, s, cont, { node: 0, index: 6 }, 'SUCCEEDED', 'b.6');
  assert.equal(isFinished(plan, s), true);
  assert.deepEqual(countsOf(plan, s), { total: 7, PENDING: 0, RUNNING: 0, SUCCEEDED: 6, FAILED: 1, TIMED_OUT: 0, CANCELLED: 0, SKIPPED: 0 });
  assert.equal(finalStatus(plan, s), 'FAILED', 'continue policy: everything ran, one failure fails the batch');
});

// a -> {b, c} -> d
const diamond: PlanNode[] = [
  { name: 'a', count: 1, deps: [] },
  { name: 'b', count: 1, deps: [0] },
  { name: 'c', count: 1, deps: [0] },
  { name: 'd', count: 1, deps: [1, 2] },
];

test('a graph starts a node only when all its dependencies succeeded, in submission order', () => {
  const s = initialState(diamond);
  assert.deepEqual(nextLaunches(diamond, s, 10), [{ node: 0, index: 0 }]);
  assert.deepEqual(waitingFor(diamond, s, 3), [1, 2]);
  recordEnd(diamond, s, cont, { node: 0, index: 0 }, 'SUCCEEDED', 'x.a');
  assert.deepEqual(nextLaunches(diamond, s, 10).map((r) => r.node), [1, 2]);
  recordEnd(diamond, s, cont, { node: 2, index: 0 }, 'SUCCEEDED', 'x.c');
  assert.deepEqual(nextLaunches(diamond, s, 10), [], 'd still waits for b');
  recordEnd(diamond, s, cont, { node: 1, index: 0 }, 'SUCCEEDED', 'x.b');
  assert.deepEqual(nextLaunches(diamond, s, 10), [{ node: 3, index: 0 }]);
  recordEnd(diamond, s, cont, { node: 3, index: 0 }, 'SUCCEEDED', 'x.d');
  assert.equal(isFinished(diamond, s), true);
  assert.equal(finalStatus(diamond, s), 'SUCCEEDED');
});

test('a failed dependency skips its dependents (transitively), each naming its cause; the rest still runs', () => {
  const plan: PlanNode[] = [...diamond, { name: 'e', count: 2, deps: [3] }];
  const s = initialState(plan);
  nextLaunches(plan, s, 10);
  recordEnd(plan, s, cont, { node: 0, index: 0 }, 'SUCCEEDED', 'x.a');
  nextLaunches(plan, s, 10);
  recordEnd(plan, s, cont, { node: 1, index: 0 }, 'FAILED', 'x.b');
  assert.equal(s.nodes[3]?.skipped, 1);
  assert.match(s.nodes[3]?.skipReason ?? '', /dependency b ended FAILED \(job x\.b\)/);
  assert.equal(s.nodes[4]?.skipped, 2);
  assert.match(s.nodes[4]?.skipReason ?? '', /dependency d was SKIPPED/);
  assert.equal(isFinished(plan, s), false, 'c is still running');
  recordEnd(plan, s, cont, { node: 2, index: 0 }, 'SUCCEEDED', 'x.c');
  assert.deepEqual(nextLaunches(plan, s, 10), []);
  assert.equal(isFinished(plan, s), true);
  assert.deepEqual(countsOf(plan, s), { total: 6, PENDING: 0, RUNNING: 0, SUCCEEDED: 2, FAILED: 1, TIMED_OUT: 0, CANCELLED: 0, SKIPPED: 3 });
  assert.equal(finalStatus(plan, s), 'FAILED');
});

test('an array dependency must succeed entirely: one failed shard skips the merge at once', () => {
  const plan: PlanNode[] = [
    { name: 'shards', count: 4, deps: [] },
    { name: 'merge', count: 1, deps: [0] },
  ];
  const s = initialState(plan);
  nextLaunches(plan, s, 2);
  recordEnd(plan, s, cont, { node: 0, index: 0 }, 'TIMED_OUT', 'x.shards.0');
  assert.equal(s.nodes[1]?.skipped, 1);
  assert.match(s.nodes[1]?.skipReason ?? '', /shards ended TIMED_OUT/);
  assert.deepEqual(nextLaunches(plan, s, 2), [{ node: 0, index: 2 }], 'the other shards still run');
});

test('stop policy: maxFailures failures stop launching, the rest is SKIPPED; cancelRunning asks to cancel the running ones', () => {
  const plan: PlanNode[] = [{ name: undefined, count: 10, deps: [] }];
  const policy: FailurePolicy = { mode: 'stop', maxFailures: 2, cancelRunning: true };
  const s = initialState(plan);
  nextLaunches(plan, s, 4);
  assert.equal(recordEnd(plan, s, policy, { node: 0, index: 0 }, 'FAILED', 'b.0').cancelRunning, false);
  nextLaunches(plan, s, 4);
  const fx = recordEnd(plan, s, policy, { node: 0, index: 1 }, 'FAILED', 'b.1');
  assert.equal(fx.cancelRunning, true);
  assert.match(s.stopReason ?? '', /maxFailures \(2\) reached/);
  assert.deepEqual(nextLaunches(plan, s, 4), []);
  assert.deepEqual(countsOf(plan, s), { total: 10, PENDING: 0, RUNNING: 3, SUCCEEDED: 0, FAILED: 2, TIMED_OUT: 0, CANCELLED: 0, SKIPPED: 5 });
  for (const i of [2, 3, 4]) recordEnd(plan, s, policy, { node: 0, index: i }, 'CANCELLED', `b.${i}`, true);
  assert.equal(s.failures, 2, 'jobs the batch cancelled are not failures of their own');
  assert.equal(isFinished(plan, s), true);
  assert.equal(finalStatus(plan, s), 'FAILED');
});

test('cancelling: pending jobs SKIPPED, the batch ends CANCELLED', () => {
  const plan: PlanNode[] = [{ name: undefined, count: 5, deps: [] }];
  const s = initialState(plan);
  nextLaunches(plan, s, 2);
  s.cancelled = true;
  stopLaunching(plan, s, 'the batch was cancelled');
  recordEnd(plan, s, cont, { node: 0, index: 0 }, 'CANCELLED', 'b.0', true);
  recordEnd(plan, s, cont, { node: 0, index: 1 }, 'SUCCEEDED', 'b.1', true);
  assert.equal(isFinished(plan, s), true);
  assert.equal(countsOf(plan, s).SKIPPED, 3);
  assert.equal(finalStatus(plan, s), 'CANCELLED');
});

test('the state stays the same size whatever the number of finished jobs (it is carried by continue-as-new)', () => {
  const plan: PlanNode[] = [{ name: undefined, count: 10_000, deps: [] }];
  const s = initialState(plan);
  const size0 = JSON.stringify(s).length;
  for (let done = 0; done < 10_000; ) {
    for (const r of nextLaunches(plan, s, 500)) {
      recordEnd(plan, s, cont, r, 'SUCCEEDED', `b.${r.index}`);
      done++;
    }
  }
  assert.equal(isFinished(plan, s), true);
  assert.ok(JSON.stringify(s).length < size0 + 20, JSON.stringify(s));
});
