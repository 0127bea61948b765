// An array batch through the API against the real Temporal dev server and
// the devcluster: maxParallel holds on the master, every outcome is recorded,
// every job saw its index, and the jobs carry their batch id.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, postJson, startApiStack, type ApiStack } from '../api/api-stack.js';
import { batchJobs, batchUntil, ended, sampleActive, type Batch, type JobView } from './batch-support.js';

let s: ApiStack;
before(async () => {
  s = await startApiStack();
});
after(async () => {
  await s?.stop();
});

test('an array of 20 with maxParallel 5: never more than 5 tasks running on the master, 20 outcomes, each job saw its index', async () => {
  const id = `arr-${Date.now()}`;
  const r = await postJson(`${s.url}/v1/batches`, {
    id,
    name: 'twenty',
    labels: { suite: 'batch' },
    maxParallel: 5,
    array: { template: { command: 'echo "index=$MESOFLOW_BATCH_INDEX batch=$MESOFLOW_BATCH_ID"; sleep 1', resources: { cpus: 0.1, mem: 16 } }, count: 20 },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.location, `/v1/batches/${id}`);
  const sampler = sampleActive(s.stack, id);
  const done = await batchUntil(s.url, id, ended, 'the batch to end').finally(() => undefined);
  const { max, samples } = await sampler.stop();
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done));
  assert.deepEqual(done.counts, { total: 20, PENDING: 0, RUNNING: 0, SUCCEEDED: 20, FAILED: 0, TIMED_OUT: 0, CANCELLED: 0, SKIPPED: 0 });
  assert.ok(samples > 20, `sampled the master ${samples} times`);
  assert.ok(max <= 5, `at most 5 tasks at once on the master, saw ${max}`);
  assert.ok(max >= 2, `the batch ran jobs in parallel (saw ${max})`);
  assert.deepEqual(done.jobIds, Array.from({ length: 20 }, (_, i) => `${id}.${i}`));

  const jobs = await batchJobs(s.url, id, 20);
  assert.deepEqual(jobs.map((j) => j.id).sort(), [...done.jobIds].sort());
  for (const j of jobs) {
    assert.equal(j.status, 'SUCCEEDED');
    assert.equal(j.batchId, id);
    assert.equal(j.attempts.length, 1, `${j.id} ran once`);
  }
  // Each job saw its own index and the batch id, read back from its stdout.
  const outs = await Promise.all(done.jobIds.map((j) => http(`${s.url}/v1/jobs/${j}/logs?stream=stdout`)));
  outs.forEach((o, i) => assert.equal(o.text, `index=${i} batch=${id}\n`, `stdout of ${id}.${i}`));
  // A job shows its batch and can be found by it in /v1/jobs.
  const one = (await http(`${s.url}/v1/jobs/${id}.7`)).json as JobView;
  assert.equal(one.batchId, id);
  const filtered = (await http(`${s.url}/v1/jobs?batch=${id}&limit=200`)).json as { jobs: JobView[] };
  assert.equal(filtered.jobs.length, 20);
  // The batch is listed by status and label.
  const listed = (await http(`${s.url}/v1/batches?status=SUCCEEDED&label=suite=batch`)).json as { batches: Batch[] };
  assert.ok(listed.batches.some((b) => b.id === id), JSON.stringify(listed));
});

test('parameter sets: each job gets its parameters as env vars and in {{placeholders}}; same id + same spec is 200, another spec 409', async () => {
  const id = `par-${Date.now()}`;
  const body = {
    id,
    maxParallel: 3,
    array: { template: { command: ['/bin/sh', '-c', 'echo "{{CITY}} $CITY $MESOFLOW_BATCH_INDEX"'] }, parameters: [{ CITY: 'Berlin' }, { CITY: 'Lyon' }, { CITY: 'Porto' }] },
  };
  const r = await postJson(`${s.url}/v1/batches`, body);
  assert.equal(r.status, 201, r.text);
  const again = await postJson(`${s.url}/v1/batches`, body);
  assert.equal(again.status, 200, again.text);
  assert.equal((again.json as Batch).id, id);
  const other = await postJson(`${s.url}/v1/batches`, { ...body, maxParallel: 2 });
  assert.equal(other.status, 409, other.text);
  assert.match(String(other.headers['content-type']), /problem\+json/);
  const done = await batchUntil(s.url, id, ended, 'the parameter batch to end');
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done));
  const outs = await Promise.all([0, 1, 2].map((i) => http(`${s.url}/v1/jobs/${id}.${i}/logs`)));
  assert.deepEqual(
    outs.map((o) => o.text),
    ['Berlin Berlin 0\n', 'Lyon Lyon 1\n', 'Porto Porto 2\n'],
  );
});

test('bad batch input is a 400 problem naming the field path', async () => {
  const cases: Array<[unknown, string]> = [
    [{ graph: [{ name: 'a', job: { command: 'true' }, dependsOn: ['b'] }, { name: 'b', job: { command: 'true' }, dependsOn: ['a'] }] }, 'graph.'],
    [{ graph: [{ name: 'a', job: { command: 'true' }, dependsOn: ['nope'] }] }, 'graph.0.dependsOn.0'],
    [{ graph: [{ name: 'a', job: { command: 'true' } }, { name: 'a', job: { command: 'true' } }] }, 'graph.1.name'],
    [{ array: { template: { command: 'true' }, count: 0 } }, 'array.count'],
    [{ array: { template: { command: 'true', resources: { cpus: -1 } }, count: 2 } }, 'array.template.resources.cpus'],
    [{ id: 'bad id!', array: { template: { command: 'true' }, count: 1 } }, 'id'],
    [{ array: { template: { command: 'true' }, count: 1 }, maxParallel: 0 }, 'maxParallel'],
    [{ array: { template: { command: 'true' }, count: 1 }, bogus: 1 }, 'bogus'],
  ];
  for (const [body, path] of cases) {
    const r = await postJson(`${s.url}/v1/batches`, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${r.text}`);
    assert.match(String(r.headers['content-type']), /application\/problem\+json/);
    const errs = (r.json as { errors: Array<{ path: string; message: string }> }).errors;
    assert.ok(errs.some((e) => e.path.startsWith(path)), `${path} in ${JSON.stringify(errs)}`);
  }
  const cyc = await postJson(`${s.url}/v1/batches`, cases[0]?.[0]);
  assert.match(JSON.stringify(cyc.json), /cycle/);
  assert.equal((await http(`${s.url}/v1/batches/nope-${Date.now()}`)).status, 404);
});

test('/openapi.json describes every batch route and the batch request (array and graph forms)', async () => {
  const doc = (await http(`${s.url}/openapi.json`)).json as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
  for (const [p, m] of [
    ['/v1/batches', 'post'],
    ['/v1/batches', 'get'],
    ['/v1/batches/{id}', 'get'],
    ['/v1/batches/{id}/jobs', 'get'],
    ['/v1/batches/{id}/cancel', 'post'],
    ['/v1/batches/{id}/events', 'get'],
  ] as const) {
    assert.ok(doc.paths[p]?.[m], `${m} ${p}`);
  }
  const req = doc.components.schemas.BatchRequest?.properties ?? {};
  for (const k of ['id', 'maxParallel', 'failurePolicy', 'array', 'graph', 'labels']) assert.ok(req[k], k);
  assert.ok(doc.components.schemas.Batch?.properties?.counts);
});
