// Graph batches, the failure policy and cancel, through the API against the
// real Temporal dev server and the devcluster.
import { after, before, test } from 'node:test';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { http, postJson, startApiStack, type ApiStack } from '../api/api-stack.js';
import { activeTasks, batchJobs, batchUntil, ended, type Batch, type JobView } from './batch-support.js';
import { until } from '../../support/wait.js';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../../worker/start-worker.js';

/** Batches whose histories the last test replays. */
const replay: string[] = [];

let s: ApiStack;
before(async () => {
  s = await startApiStack();
});
after(async () => {
  await s?.stop();
});

const diamond = (bCommand: string) => [
  { name: 'a', job: { command: 'sleep 0.3' } },
  { name: 'b', dependsOn: ['a'], job: { command: bCommand } },
  { name: 'c', dependsOn: ['a'], job: { command: 'sleep 0.3' } },
  { name: 'd', dependsOn: ['b', 'c'], job: { command: 'true' } },
];

test('a -> {b, c} -> d: each job starts after its dependencies ended', async () => {
  const id = `dia-${Date.now()}`;
  const r = await postJson(`${s.url}/v1/batches`, { id, maxParallel: 4, graph: diamond('sleep 0.3') });
  assert.equal(r.status, 201, r.text);
  const first = r.json as Batch;
  assert.deepEqual(first.status, 'RUNNING');
  const done = await batchUntil(s.url, id, ended, 'the diamond to end');
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done));
  assert.deepEqual(done.jobIds, [`${id}.a`, `${id}.b`, `${id}.c`, `${id}.d`]);
  const jobs = new Map((await batchJobs(s.url, id, 4)).map((j) => [j.id.slice(id.length + 1), j]));
  const t = (name: string, k: 'startedAt' | 'endedAt') => Date.parse(jobs.get(name)?.[k] ?? 'x');
  for (const [job, deps] of [['b', ['a']], ['c', ['a']], ['d', ['b', 'c']]] as const) {
    for (const dep of deps) assert.ok(t(job, 'startedAt') >= t(dep, 'endedAt'), `${job} started ${jobs.get(job)?.startedAt}, after ${dep} ended ${jobs.get(dep)?.endedAt}`);
  }
});

test('b failing ends d SKIPPED naming b (never launched); c still runs; the batch is FAILED', async () => {
  const id = `diaf-${Date.now()}`;
  replay.push(id);
  const r = await postJson(`${s.url}/v1/batches`, { id, maxParallel: 4, graph: diamond('exit 3') });
  assert.equal(r.status, 201, r.text);
  const done = await batchUntil(s.url, id, ended, 'the failing diamond to end');
  assert.equal(done.status, 'FAILED');
  assert.deepEqual(done.counts, { total: 4, PENDING: 0, RUNNING: 0, SUCCEEDED: 2, FAILED: 1, TIMED_OUT: 0, CANCELLED: 0, SKIPPED: 1 });
  const d = done.nodes.find((n) => n.name === 'd');
  assert.equal(d?.skipped, 1);
  assert.match(d?.skipReason ?? '', /dependency b ended FAILED/);
  const skipped = (await http(`${s.url}/v1/batches/${id}/jobs?status=SKIPPED`)).json as { skipped: Array<{ id: string; reason: string }> };
  assert.deepEqual(
    skipped.skipped.map((x) => x.id),
    [`${id}.d`],
  );
  assert.match(skipped.skipped[0]?.reason ?? '', /\bb\b/);
  const jobs = await batchJobs(s.url, id, 3);
  assert.deepEqual(jobs.map((j) => j.id).sort(), [`${id}.a`, `${id}.b`, `${id}.c`]);
  assert.equal((await http(`${s.url}/v1/jobs/${id}.d`)).status, 404, 'd was never launched');
});

test('a graph node may be an array: shards then the merge', async () => {
  const id = `sm-${Date.now()}`;
  const r = await postJson(`${s.url}/v1/batches`, {
    id,
    maxParallel: 3,
    graph: [
      { name: 'shards', array: { template: { command: 'echo shard $MESOFLOW_BATCH_INDEX' }, count: 4 } },
      { name: 'merge', dependsOn: ['shards'], job: { command: 'echo merge' } },
    ],
  });
  assert.equal(r.status, 201, r.text);
  const done = await batchUntil(s.url, id, ended, 'shards and merge to end');
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done));
  const jobs = new Map((await batchJobs(s.url, id, 5)).map((j: JobView) => [j.id, j]));
  const merge = Date.parse(jobs.get(`${id}.merge`)?.startedAt ?? 'x');
  for (let i = 0; i < 4; i++) assert.ok(merge >= Date.parse(jobs.get(`${id}.shards.${i}`)?.endedAt ?? 'x'), `merge after shard ${i}`);
});

test('maxFailures: after 2 failed jobs nothing new is launched, the rest ends SKIPPED', async () => {
  const id = `mf-${Date.now()}`;
  replay.push(id);
  const r = await postJson(`${s.url}/v1/batches`, {
    id,
    maxParallel: 1,
    failurePolicy: { mode: 'stop', maxFailures: 2 },
    array: { template: { command: 'exit 1' }, count: 10 },
  });
  assert.equal(r.status, 201, r.text);
  const done = await batchUntil(s.url, id, ended, 'the failing batch to stop');
  assert.equal(done.status, 'FAILED');
  assert.deepEqual(done.counts, { total: 10, PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 2, TIMED_OUT: 0, CANCELLED: 0, SKIPPED: 8 });
  assert.match(done.stopReason ?? '', /maxFailures \(2\)/);
  const jobs = await batchJobs(s.url, id, 2);
  assert.deepEqual(jobs.map((j) => j.id).sort(), [`${id}.0`, `${id}.1`]);
});

test('maxFailures with cancelRunning: the running jobs are cancelled (killed) as soon as the limit is reached', async () => {
  const id = `mfc-${Date.now()}`;
  replay.push(id);
  const t0 = Date.now();
  const r = await postJson(`${s.url}/v1/batches`, {
    id,
    maxParallel: 3,
    failurePolicy: { mode: 'stop', maxFailures: 1, cancelRunning: true },
    array: { template: { command: 'if [ "$MESOFLOW_BATCH_INDEX" = 0 ]; then sleep 1; exit 1; fi; sleep 120', killGracePeriodSeconds: 1 }, count: 4 },
  });
  assert.equal(r.status, 201, r.text);
  const done = await batchUntil(s.url, id, ended, 'the batch to stop and cancel its running jobs', 100_000);
  assert.ok(Date.now() - t0 < 110_000, 'ended well before the 120 s sleeps would have');
  assert.equal(done.status, 'FAILED');
  assert.deepEqual(done.counts, { total: 4, PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 1, TIMED_OUT: 0, CANCELLED: 2, SKIPPED: 1 });
  assert.deepEqual(await activeTasks(s.stack, id), [], 'no task of the batch left running');
});

test('cancel mid-batch: running jobs are killed, pending ones end SKIPPED, the batch ends CANCELLED', async () => {
  const id = `cx-${Date.now()}`;
  replay.push(id);
  const r = await postJson(`${s.url}/v1/batches`, {
    id,
    maxParallel: 2,
    array: { template: { command: 'sleep 60', killGracePeriodSeconds: 1 }, count: 6 },
  });
  assert.equal(r.status, 201, r.text);
  await until(async () => (await activeTasks(s.stack, id)).length === 2, 'two tasks running on the master', 60_000);
  const waiting = await batchUntil(s.url, id, (b) => b.counts?.RUNNING === 2, 'two jobs running');
  assert.match(waiting.nodes[0]?.pendingReason ?? '', /free slot \(maxParallel 2, 2 running\)/, 'pending jobs say why they wait');
  const c = await postJson(`${s.url}/v1/batches/${id}/cancel`, {});
  assert.equal(c.status, 202, c.text);
  const done = await batchUntil(s.url, id, ended, 'the cancelled batch to end', 60_000);
  assert.equal(done.status, 'CANCELLED');
  assert.deepEqual(done.counts, { total: 6, PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, TIMED_OUT: 0, CANCELLED: 2, SKIPPED: 4 });
  assert.deepEqual(await activeTasks(s.stack, id), [], 'no task of the batch left running');
  const jobs = await batchJobs(s.url, id, 2);
  assert.ok(jobs.every((j) => j.status === 'CANCELLED'), JSON.stringify(jobs.map((j) => j.status)));
  const again = await postJson(`${s.url}/v1/batches/${id}/cancel`, {});
  assert.equal(again.status, 202);
  assert.equal((again.json as { cancel: string }).cancel, 'already-cancelled');
});

test('the event stream reports progress and ends with the terminal batch', async () => {
  const id = `ev-${Date.now()}`;
  const r = await postJson(`${s.url}/v1/batches`, { id, maxParallel: 2, array: { template: { command: 'sleep 0.2' }, count: 4 } });
  assert.equal(r.status, 201, r.text);
  const res = await http(`${s.url}/v1/batches/${id}/events`);
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /text\/event-stream/);
  const events = res.text
    .split('\n\n')
    .filter((b) => b.includes('event: batch'))
    .map((b) => JSON.parse(b.split('\n').find((l) => l.startsWith('data: '))?.slice(6) ?? 'null') as Batch);
  assert.ok(events.length >= 2, `several events: ${events.length}`);
  const last = events.at(-1);
  assert.equal(last?.status, 'SUCCEEDED');
  assert.equal(last?.counts?.SUCCEEDED, 4);
});

const bin = fileURLToPath(new URL('../../../cli/bin.js', import.meta.url));

function cli(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, MESOFLOW_API: s.url, MESOFLOW_API_TOKEN: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

test('mesoflow batch submit - --wait shows live counts and exits non-zero unless the batch succeeded; status and jobs show it', async () => {
  const ok = await cli(['batch', 'submit', '-', '--wait'], JSON.stringify({ maxParallel: 2, array: { template: { command: 'true' }, count: 3 } }));
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /SUCCEEDED 3\/3 done: 3 succeeded/);
  assert.match(ok.stdout, /status: +SUCCEEDED/);
  const id = `cli-${Date.now()}`;
  const bad = await cli(['batch', 'submit', '-', '--wait', '--id', id], JSON.stringify({ graph: diamond('exit 2') }));
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /FAILED 4\/4 done: 2 succeeded, 1 failed, 1 skipped/);
  const st = await cli(['batch', 'status', id], '');
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /node: +d \(1 job\) skipped: dependency b ended FAILED/);
  const sk = await cli(['batch', 'jobs', id, '--status', 'SKIPPED'], '');
  assert.match(sk.stdout, new RegExp(`^${id}\\.d\tSKIPPED\t`, 'm'));
  const invalid = await cli(['batch', 'submit', '-'], JSON.stringify({ graph: [{ name: 'a', job: { command: 'true' }, dependsOn: ['a'] }] }));
  assert.notEqual(invalid.code, 0);
  assert.match(invalid.stderr, /graph\.0\.dependsOn\.0/);
});

test('the histories of the failed, stopped (incl. cancelRunning) and cancelled batches replay with the current workflow code (determinism)', async () => {
  const bundle = await workflowBundle();
  assert.equal(replay.length, 4);
  for (const id of replay) {
    const history = await s.stack.client.workflow.getHandle(id).fetchHistory();
    await assert.doesNotReject(Worker.runReplayHistory({ workflowBundle: bundle }, history, id), id);
  }
});
