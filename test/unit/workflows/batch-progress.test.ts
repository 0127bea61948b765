import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobIdsOf, skippedJobsOf } from '../../../api/batch-service.js';
import { batchSpecSchema } from '../../../workflows/batch-spec.js';
import { planOf } from '../../../workflows/batch-plan.js';
import { batchProgressOf } from '../../../workflows/batch-progress.js';
import { initialState, nextLaunches, recordEnd } from '../../../workflows/batch-scheduler.js';

const meta = { batchId: 'n', status: 'RUNNING' as const, createdAt: '2026-01-01T00:00:00.000Z', continuedAsNew: 0, draining: false };

test('every pending node says why it waits: dependencies, or no free slot', () => {
  const spec = batchSpecSchema.parse({
    maxParallel: 2,
    graph: [
      { name: 'shards', array: { template: { command: 'true' }, count: 5 } },
      { name: 'merge', dependsOn: ['shards'], job: { command: 'true' } },
    ],
  });
  const plan = planOf(spec);
  const state = initialState(plan);
  nextLaunches(plan, state, spec.maxParallel);
  const p = batchProgressOf(spec, plan, state, meta);
  assert.equal(p.nodes[0]?.pendingReason, 'waiting for a free slot (maxParallel 2, 2 running)');
  assert.equal(p.nodes[1]?.pendingReason, 'waiting for shards to succeed');
  assert.deepEqual(p.nodes[1]?.waitingFor, ['shards']);
  assert.equal(batchProgressOf(spec, plan, state, { ...meta, draining: true }).nodes[0]?.pendingReason, 'waiting for the running jobs to end before the batch continues as new');
  assert.deepEqual(jobIdsOf(p), ['n.shards.0', 'n.shards.1', 'n.shards.2', 'n.shards.3', 'n.shards.4', 'n.merge']);
  assert.deepEqual(jobIdsOf(p, 3), ['n.shards.0', 'n.shards.1', 'n.shards.2']);
});

test('skipped jobs are listed from the counts, paged, each with its reason', () => {
  const spec = batchSpecSchema.parse({ maxParallel: 1, failurePolicy: { mode: 'stop', maxFailures: 1 }, array: { template: { command: 'true' }, count: 5 } });
  const plan = planOf(spec);
  const state = initialState(plan);
  const [first] = nextLaunches(plan, state, 1);
  recordEnd(plan, state, spec.failurePolicy, first ?? { node: 0, index: 0 }, 'FAILED', 'n.0');
  const p = batchProgressOf(spec, plan, state, meta);
  assert.equal(p.nodes[0]?.pendingReason, null);
  const page1 = skippedJobsOf(p, 0, 3);
  assert.deepEqual(page1.jobs.map((j) => j.id), ['n.1', 'n.2', 'n.3']);
  assert.equal(page1.more, true);
  assert.match(page1.jobs[0]?.reason ?? '', /maxFailures \(1\) reached/);
  const page2 = skippedJobsOf(p, 3, 3);
  assert.deepEqual(page2.jobs.map((j) => j.id), ['n.4']);
  assert.equal(page2.more, false);
});
