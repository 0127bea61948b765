import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFilesReadBody, sandboxPath } from '../../../api/logs.js';
import { canonicalJson, listQuery } from '../../../api/job-service.js';

test('a /files/read answer decodes to the exact bytes, partial UTF-8 included', () => {
  const bytes = Buffer.concat([Buffer.from('a"\\\n\t\x01'), Buffer.from([0xe2, 0x82])]);
  // Mesos writes raw bytes, escaping only quotes, backslashes and control characters.
  const body = Buffer.concat([Buffer.from('{"data":"a\\"\\\\\\n\\t\\u0001'), Buffer.from([0xe2, 0x82]), Buffer.from('","offset":7}')]);
  const r = decodeFilesReadBody(body);
  assert.deepEqual(r.data, bytes);
  assert.equal(r.offset, 7);
  assert.deepEqual(decodeFilesReadBody(Buffer.from('{"data":"","offset":6}')), { data: Buffer.alloc(0), offset: 6 });
  assert.throws(() => decodeFilesReadBody(Buffer.from('{}')));
});

test('sandbox paths are the virtual runs/latest paths of the command executor', () => {
  assert.equal(sandboxPath('fw-1', 'job-1.1', 'stdout'), '/frameworks/fw-1/executors/job-1.1/runs/latest/stdout');
});

test('canonical JSON ignores key order; list queries quote their values', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  assert.equal(
    listQuery('fw', { status: 'LAUNCHING', labels: ["k=it's"] }),
    "WorkflowType = 'jobWorkflow' AND MesoflowFramework = 'fw' AND ExecutionStatus != 'ContinuedAsNew' AND MesoflowJobStatus = 'LAUNCHING' AND ExecutionStatus = 'Running' AND MesoflowLabels = 'k=it\\'s'",
  );
  // The attribute holds the API's status: exact filters (and the value older jobs wrote for waiting ones).
  assert.match(listQuery('fw', { status: 'WAITING_FOR_OFFER', labels: [] }), /MesoflowJobStatus IN \('WAITING_FOR_OFFER', 'WAITING'\) AND ExecutionStatus = 'Running'$/);
  assert.match(listQuery('fw', { status: 'TIMED_OUT', labels: [] }), /AND MesoflowJobStatus = 'TIMED_OUT'$/);
});
