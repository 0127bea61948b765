import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, jobUntil, postJson, startApiStack, type ApiStack } from './api-stack.js';
import { until } from '../../support/wait.js';

let s: ApiStack;
before(async () => {
  s = await startApiStack();
});
after(async () => {
  await s?.stop();
});

interface Job {
  id: string;
  status: string;
  exitCode: number | null;
  message: string | null;
  attempts: Array<{ taskId: string; agentId: string | null; hostname: string | null; state: string | null; statusUpdates: Array<{ state: string; time: string }> }>;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

test('a job submitted over HTTP succeeds, and its stdout is readable through /logs', async () => {
  const r = await postJson(`${s.url}/v1/jobs`, { command: 'echo hello from mesoflow; echo oops >&2', labels: { suite: 'api' } });
  assert.equal(r.status, 201, r.text);
  const job = r.json as Job;
  assert.match(job.id, /^job-/);
  assert.equal(r.headers.location, `/v1/jobs/${job.id}`);
  const done = (await jobUntil(s.url, job.id, (j) => j.status === 'SUCCEEDED' || j.status === 'FAILED')) as unknown as Job;
  assert.equal(done.status, 'SUCCEEDED');
  assert.equal(done.exitCode, 0);
  const a = done.attempts[0];
  assert.ok(a?.agentId && a.hostname);
  assert.equal(a.state, 'TASK_FINISHED');
  assert.ok(a.statusUpdates.some((u) => u.state === 'TASK_RUNNING'));
  assert.ok(done.startedAt && done.endedAt && done.createdAt);
  const out = await http(`${s.url}/v1/jobs/${job.id}/logs?stream=stdout`);
  assert.equal(out.status, 200);
  assert.equal(out.text, 'hello from mesoflow\n');
  assert.equal(out.headers['x-next-offset'], String(Buffer.byteLength('hello from mesoflow\n')));
  const part = await http(`${s.url}/v1/jobs/${job.id}/logs?stream=stdout&offset=6&length=4`);
  assert.equal(part.text, 'from');
  assert.equal(part.headers['x-next-offset'], '10');
  const err = await http(`${s.url}/v1/jobs/${job.id}/logs?stream=stderr`);
  assert.match(err.text, /oops/);
});

test('a failing command ends FAILED with its exit code', async () => {
  const r = await postJson(`${s.url}/v1/jobs`, { command: 'exit 5' });
  assert.equal(r.status, 201);
  const id = (r.json as Job).id;
  const done = (await jobUntil(s.url, id, (j) => ['SUCCEEDED', 'FAILED'].includes(j.status))) as unknown as Job;
  assert.equal(done.status, 'FAILED');
  assert.equal(done.exitCode, 5);
  // The job says why, with its last attempt's own words (issue 10).
  assert.match(done.message ?? '', /^all 1 attempts used; last attempt: TASK_FAILED( \(REASON_\w+\))?: Command exited with status 5$/);
  // A list row says the same, from visibility alone (the memo written at the end).
  const row = await until(async () => {
    const l = await http(`${s.url}/v1/jobs?status=FAILED&limit=100`);
    return (l.json as { jobs: Job[] }).jobs.find((j) => j.id === id);
  }, 'the failed job in the list');
  assert.equal(row.exitCode, 5);
  assert.equal(row.message, done.message);
});

test('a client-chosen id is idempotent: same spec 200, other spec 409', async () => {
  const id = `idem-${Date.now()}`;
  const first = await postJson(`${s.url}/v1/jobs`, { id, command: 'true', resources: { cpus: 0.2 } });
  assert.equal(first.status, 201, first.text);
  assert.equal((first.json as Job).id, id);
  // The same spec, with a default spelled out and keys in another order.
  const again = await postJson(`${s.url}/v1/jobs`, { resources: { mem: 32, cpus: 0.2 }, command: 'true', id });
  assert.equal(again.status, 200, again.text);
  assert.equal((again.json as Job).id, id);
  assert.equal(again.headers.location, `/v1/jobs/${id}`);
  const other = await postJson(`${s.url}/v1/jobs`, { id, command: 'false' });
  assert.equal(other.status, 409);
  assert.equal(other.headers['content-type'], 'application/problem+json');
  // Still unique once the job has ended.
  await jobUntil(s.url, id, (j) => j.status === 'SUCCEEDED');
  const closed = await postJson(`${s.url}/v1/jobs`, { id, command: 'true', resources: { cpus: 0.2 } });
  assert.equal(closed.status, 200);
  assert.equal((closed.json as Job).status, 'SUCCEEDED');
  const closedOther = await postJson(`${s.url}/v1/jobs`, { id, command: 'echo other' });
  assert.equal(closedOther.status, 409);
});

test('GET of an unknown job is a 404 problem', async () => {
  for (const id of ['job-does-not-exist', 'bad%20id']) {
    const r = await http(`${s.url}/v1/jobs/${id}`);
    assert.equal(r.status, 404);
    assert.equal(r.headers['content-type'], 'application/problem+json');
    assert.equal((r.json as { status: number }).status, 404);
  }
  assert.equal((await http(`${s.url}/v1/jobs/nope/logs`)).status, 404);
  assert.equal((await http(`${s.url}/v1/jobs/nope/events`)).status, 404);
  assert.equal((await http(`${s.url}/v1/jobs/nope/cancel`, { method: 'POST' })).status, 404);
});

test('cancel kills a running job: 202, then CANCELLED; the event stream ends with the terminal event', async () => {
  const r = await postJson(`${s.url}/v1/jobs`, { command: 'sleep 60', killGracePeriodSeconds: 0.5 });
  const id = (r.json as Job).id;
  await jobUntil(s.url, id, (j) => j.status === 'RUNNING');
  const events = http(`${s.url}/v1/jobs/${id}/events`);
  const c = await http(`${s.url}/v1/jobs/${id}/cancel`, { method: 'POST' });
  assert.equal(c.status, 202);
  const done = (await jobUntil(s.url, id, (j) => j.status === 'CANCELLED')) as unknown as Job;
  assert.equal(done.attempts[0]?.state, 'TASK_KILLED');
  const ev = await events;
  assert.equal(ev.status, 200);
  assert.match(String(ev.headers['content-type']), /text\/event-stream/);
  const data = ev.text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as Job);
  assert.ok(data.length >= 2, ev.text);
  assert.equal(data[0]?.status, 'RUNNING');
  assert.equal(data.at(-1)?.status, 'CANCELLED');
  // Cancelling again is accepted; cancelling a finished job is a conflict.
  assert.equal((await http(`${s.url}/v1/jobs/${id}/cancel`, { method: 'POST' })).status, 202);
});

test('the event stream of a short job goes from waiting to SUCCEEDED', async () => {
  const r = await postJson(`${s.url}/v1/jobs`, { command: 'sleep 0.3' });
  const id = (r.json as Job).id;
  const ev = await http(`${s.url}/v1/jobs/${id}/events`);
  const statuses = ev.text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => (JSON.parse(l.slice(6)) as Job).status);
  assert.equal(statuses.at(-1), 'SUCCEEDED');
  assert.equal(statuses.filter((x) => x === 'SUCCEEDED').length, 1);
  const ended = await http(`${s.url}/v1/jobs/${id}/cancel`, { method: 'POST' });
  assert.equal(ended.status, 409);
});

test('list filters by label and status and pages with an opaque cursor', async () => {
  const tag = `t${Date.now()}`;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await postJson(`${s.url}/v1/jobs`, { command: 'true', labels: { batch: tag, n: String(i) } });
    ids.push((r.json as Job).id);
  }
  for (const id of ids) await jobUntil(s.url, id, (j) => j.status === 'SUCCEEDED');
  // Visibility is eventually consistent: wait until all three are listed as SUCCEEDED.
  const deadline = Date.now() + 30_000;
  let listed: Job[] = [];
  while (Date.now() < deadline) {
    const r = await http(`${s.url}/v1/jobs?label=batch%3D${tag}&status=SUCCEEDED&limit=50`);
    assert.equal(r.status, 200, r.text);
    listed = (r.json as { jobs: Job[] }).jobs;
    if (listed.length === 3) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.deepEqual(listed.map((j) => j.id).sort(), [...ids].sort());
  const two = await http(`${s.url}/v1/jobs?label=batch%3D${tag}&label=n%3D1`);
  assert.deepEqual((two.json as { jobs: Job[] }).jobs.map((j) => j.id), [ids[1]]);
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 5; page++) {
    const q: string = `${s.url}/v1/jobs?label=batch%3D${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const r = await http(q);
    const body = r.json as { jobs: Job[]; nextCursor: string | null };
    assert.ok(body.jobs.length <= 2);
    seen.push(...body.jobs.map((j) => j.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  assert.deepEqual(seen.sort(), [...ids].sort());
  const none = await http(`${s.url}/v1/jobs?label=batch%3D${tag}&status=FAILED`);
  assert.deepEqual((none.json as { jobs: Job[] }).jobs, []);
  const bad = await http(`${s.url}/v1/jobs?status=DONE&limit=0`);
  assert.equal(bad.status, 400);
  const paths = (bad.json as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort();
  assert.deepEqual(paths, ['limit', 'status']);
});
