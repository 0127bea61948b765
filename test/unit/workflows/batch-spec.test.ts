import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCycle, parseBatchSpec, batchSpecSchema } from '../../../workflows/batch-spec.js';
import { jobIdOf, jobSpecOf, planOf } from '../../../workflows/batch-plan.js';

function issues(input: unknown): Array<{ path: string; message: string }> {
  const r = parseBatchSpec(input);
  assert.equal(r.ok, false, 'expected the spec to be refused');
  return r.ok ? [] : r.issues;
}

const job = { command: 'true' };

test('graph mistakes are named by path: duplicate, unknown dependency, cycle', () => {
  assert.deepEqual(
    issues({ graph: [{ name: 'a', job }, { name: 'a', job }] }).map((i) => i.path),
    ['graph.1.name'],
  );
  assert.deepEqual(
    issues({ graph: [{ name: 'a', job, dependsOn: ['zz'] }] }).map((i) => i.path),
    ['graph.0.dependsOn.0'],
  );
  const cyc = issues({ graph: [{ name: 'a', job, dependsOn: ['c'] }, { name: 'b', job, dependsOn: ['a'] }, { name: 'c', job, dependsOn: ['b'] }] });
  assert.equal(cyc.length, 1);
  assert.match(cyc[0]?.path ?? '', /^graph\.\d\.dependsOn\.0$/);
  assert.match(cyc[0]?.message ?? '', /cycle: .*a.*->/);
  assert.deepEqual(issues({ graph: [{ name: 'a', job, dependsOn: ['a'] }] }).map((i) => i.path), ['graph.0.dependsOn.0']);
});

test('shape mistakes: neither or both forms, count and parameters, reserved parameter names, unknown placeholders', () => {
  assert.deepEqual(issues({}).map((i) => i.path), ['array']);
  assert.deepEqual(issues({ array: { template: job } }).map((i) => i.path), ['array.count']);
  assert.deepEqual(issues({ array: { template: job, count: 2, parameters: [{ A: '1' }] } }).map((i) => i.path), ['array.count']);
  assert.deepEqual(issues({ array: { template: job, parameters: [{ MESOFLOW_BATCH_ID: 'x' }] } }).map((i) => i.path), ['array.parameters.0.MESOFLOW_BATCH_ID']);
  assert.deepEqual(issues({ array: { template: { command: 'echo {{SHARD}}' }, parameters: [{ SHARD: '1' }, { OTHER: '2' }] } }).map((i) => i.path), ['array.template.command']);
  assert.deepEqual(issues({ array: { template: { command: 'x', cpus: 1 }, count: 1 } }).map((i) => i.path), ['array.template.cpus']);
  assert.deepEqual(issues({ array: { template: job, count: 1 }, failurePolicy: { maxFailures: 2 } }).map((i) => i.path), ['failurePolicy.maxFailures']);
  assert.deepEqual(issues({ graph: [{ name: 'a.b', job }] }).map((i) => i.path), ['graph.0.name']);
});

test('findCycle finds a long cycle without recursion and none in a long chain', () => {
  const n = 20_000;
  const chain = Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1]));
  assert.equal(findCycle(chain), undefined);
  chain[0] = [n - 1];
  assert.equal(findCycle(chain)?.nodes.length, n);
});

test('jobs of an array get the batch id, their index and parameters as env and in {{placeholders}}; ids are derived', () => {
  const spec = batchSpecSchema.parse({
    name: 'nightly',
    labels: { team: 'data' },
    array: { template: { command: ['/bin/echo', 'shard {{SHARD}} of {{MESOFLOW_BATCH_ID}}'], env: { K: 'v' } }, parameters: [{ SHARD: 'a' }, { SHARD: 'b' }] },
  });
  const s = jobSpecOf('b1', spec, 0, 1);
  assert.deepEqual(s.command, ['/bin/echo', 'shard b of b1']);
  assert.deepEqual(s.env, { K: 'v', SHARD: 'b', MESOFLOW_BATCH_ID: 'b1', MESOFLOW_BATCH_INDEX: '1' });
  assert.deepEqual(s.labels, { team: 'data' });
  assert.equal(s.name, 'nightly[1]');
  assert.equal(jobIdOf('b1', spec, 0, 1), 'b1.1');
  assert.deepEqual(planOf(spec), [{ name: undefined, count: 2, deps: [] }]);
});

test('graph nodes: single jobs are <batch>.<name>, array nodes <batch>.<name>.<index>, with MESOFLOW_BATCH_JOB', () => {
  const spec = batchSpecSchema.parse({
    graph: [
      { name: 'shards', array: { template: { command: 'echo $MESOFLOW_BATCH_INDEX' }, count: 3 } },
      { name: 'merge', dependsOn: ['shards'], job: { command: 'echo merge {{MESOFLOW_BATCH_JOB}}' } },
    ],
  });
  assert.deepEqual(planOf(spec), [
    { name: 'shards', count: 3, deps: [] },
    { name: 'merge', count: 1, deps: [0] },
  ]);
  assert.equal(jobIdOf('n', spec, 0, 2), 'n.shards.2');
  assert.equal(jobIdOf('n', spec, 1, 0), 'n.merge');
  const m = jobSpecOf('n', spec, 1, 0);
  assert.equal(m.command, 'echo merge merge');
  assert.equal(m.env.MESOFLOW_BATCH_JOB, 'merge');
  assert.equal(jobSpecOf('n', spec, 0, 2).name, 'shards[2]');
});
