import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { jobSpec } from '../../../workflows/job-spec.js';
import { batchSpecSchema } from '../../../workflows/batch-spec.js';
import { batchStartOptions, jobStartOptions } from '../../../workflows/job-start.js';
import { JOB_STEPS_VERSION } from '../../../workflows/job-version.js';
import { canonicalJson, sha256Hex, specHash } from '../../../workflows/spec-hash.js';

test('the pure SHA-256 gives node:crypto digests (so memo hashes written before still match)', () => {
  for (const s of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'ü€😀'.repeat(100), 'a'.repeat(1000)]) {
    assert.equal(sha256Hex(s), createHash('sha256').update(s).digest('hex'), `length ${s.length}`);
  }
  assert.equal(specHash({ b: 1, a: [2] }), createHash('sha256').update(canonicalJson({ a: [2], b: 1 })).digest('hex'));
});

test('jobStartOptions: workflow type, id, memo hash, search attributes, id-reuse policy; batch info only for batch jobs', () => {
  const spec = jobSpec({ command: 'true', name: 'n', labels: { team: 'data' } });
  const o = jobStartOptions({ jobId: 'j1', spec, frameworkName: 'fw', taskQueue: 'q' });
  assert.equal(o.workflowType, 'jobWorkflow');
  assert.equal(o.workflowId, 'j1');
  assert.equal(o.taskQueue, 'q');
  assert.deepEqual(o.args, [{ spec, frameworkName: 'fw', steps: JOB_STEPS_VERSION }]);
  assert.deepEqual(o.memo, { specHash: specHash(spec), name: 'n' });
  assert.equal(o.workflowIdReusePolicy, 'REJECT_DUPLICATE');
  assert.deepEqual(
    o.typedSearchAttributes.map((p) => [p.key.name, p.value]),
    [
      ['MesoflowJobStatus', 'WAITING_FOR_OFFER'],
      ['MesoflowFramework', 'fw'],
      ['MesoflowLabels', ['team=data']],
    ],
  );
  const b = jobStartOptions({ jobId: 'b.0', spec, frameworkName: 'fw', taskQueue: 'q', tuning: { offerPollSeconds: 1 }, batch: { batchId: 'b', index: 0, node: 'x' } });
  assert.deepEqual(b.memo, { specHash: specHash(spec), name: 'n', batchId: 'b', batchIndex: 0, batchJob: 'x' });
  assert.deepEqual(b.typedSearchAttributes.at(-1)?.key.name, 'MesoflowBatchId');
  assert.deepEqual(b.args[0].tuning, { offerPollSeconds: 1 });
});

test('batchStartOptions: batchWorkflow with the spec hash and labels', () => {
  const spec = batchSpecSchema.parse({ name: 'nightly', labels: { a: 'b' }, array: { template: { command: 'true' }, count: 3 } });
  const o = batchStartOptions({ batchId: 'b1', spec, frameworkName: 'fw', taskQueue: 'q' });
  assert.equal(o.workflowType, 'batchWorkflow');
  assert.deepEqual(o.memo, { specHash: specHash(spec), kind: 'batch', name: 'nightly' });
  assert.deepEqual(o.args, [{ spec, frameworkName: 'fw' }]);
  assert.deepEqual(
    o.typedSearchAttributes.map((p) => p.key.name),
    ['MesoflowFramework', 'MesoflowLabels'],
  );
});
