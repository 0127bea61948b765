// The edge build (dist bundle of api/edge/worker.ts) running inside workerd,
// Cloudflare Workers' runtime, against the real dev server's HTTP API, with
// the devcluster and a worker running the jobs: submit → SUCCEEDED with
// progress over SSE, batches and schedules served by the edge itself (their
// runs executed by the worker), bad input as problem+json, auth from the
// secret binding, the logs route's 307 to the internal (Node) API, docs and
// OpenAPI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi } from '../../../api/app.js';
import { serveApi, type ApiServer } from '../../../api/server.js';
import { buildEdge } from '../../../scripts/build-edge.js';
import { startLocalWorker, type LocalWorker } from '../../../scripts/workerd-local.js';
import { fastTuning, startStack, type Stack } from '../jobs/stack.js';

const TOKEN = 'edge-s3cret';
const auth = { authorization: `Bearer ${TOKEN}` };
let stack: Stack;
let internal: ApiServer;
let edge: LocalWorker;
let outDir: string;

before(async () => {
  stack = await startStack();
  // The internal API next to the cluster (Node, gRPC), where the edge sends log readers.
  internal = await serveApi(
    createApi({ client: stack.client, namespace: stack.temporal.namespace, frameworkName: stack.frameworkName, taskQueue: stack.taskQueue, masters: [stack.cluster.masterUrl], token: TOKEN }).app,
    { port: 0 },
  );
  outDir = mkdtempSync(join(tmpdir(), 'mesoflow-edge-build-'));
  const bundle = await buildEdge(outDir);
  edge = await startLocalWorker(bundle.file, {
    TEMPORAL_HTTP_URL: `http://${stack.temporal.httpAddress}`,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    MESOFLOW_API_TOKEN: TOKEN,
    MESOFLOW_FRAMEWORK_NAME: stack.frameworkName,
    MESOFLOW_TASK_QUEUE: stack.taskQueue,
    MESOFLOW_INTERNAL_API: internal.url,
    MESOFLOW_JOB_TUNING: JSON.stringify(fastTuning),
    MESOFLOW_EVENT_POLL_MS: '200',
  });
});
after(async () => {
  if (process.env.MESOFLOW_EDGE_TEST_OUTPUT) console.error(edge?.output());
  await edge?.stop();
  await internal?.close();
  await stack?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const res = await fetch(edge.url + path, { ...init, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  call(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

function assertProblem(r: { status: number; headers: Headers; json: unknown; text: string }, status: number, paths?: string[]): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  const p = r.json as { status: number; errors?: Array<{ path: string }> };
  assert.equal(p.status, status);
  if (paths) assert.deepEqual((p.errors ?? []).map((e) => e.path).sort(), [...paths].sort(), r.text);
}

/** The `job` events of an SSE stream until a terminal one (or the deadline). */
const sseJobs = (path: string) => sseEvents<{ status: string; phase: string }>(path, 'job');

/** The events named `event` of an SSE stream until it ends (or the deadline). */
async function sseEvents<T>(path: string, event: string, timeoutMs = 90_000): Promise<T[]> {
  const res = await fetch(edge.url + path, { headers: auth, signal: AbortSignal.timeout(timeoutMs) });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const events: T[] = [];
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (!new RegExp(`^event: ${event}$`, 'm').test(block)) continue;
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      events.push(JSON.parse(data) as T);
    }
  }
  return events;
}

test('edge: submit → SUCCEEDED, with progress over SSE and the same job through GET and the list', async () => {
  const created = await post('/v1/jobs', { command: 'echo from-the-edge; exit 0', labels: { via: 'edge' } });
  assert.equal(created.status, 201, created.text);
  const job = created.json as { id: string; status: string };
  assert.equal(created.headers.get('location'), `/v1/jobs/${job.id}`);
  const events = await sseJobs(`/v1/jobs/${job.id}/events`);
  assert.ok(events.length >= 2, `more than the final event: ${JSON.stringify(events.map((e) => e.status))}`);
  assert.equal(events.at(-1)?.status, 'SUCCEEDED');
  assert.notEqual(events[0]?.status, 'SUCCEEDED', 'the stream began before the job ended');
  const got = await call(`/v1/jobs/${job.id}`, { headers: auth });
  assert.equal((got.json as { status: string; exitCode: number }).status, 'SUCCEEDED');
  assert.equal((got.json as { exitCode: number }).exitCode, 0);
  const list = await call('/v1/jobs?label=via%3Dedge', { headers: auth });
  assert.deepEqual((list.json as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id), [job.id]);
  // Idempotent create with the same id and spec through the edge: 200, a different spec: 409.
  const again = await post('/v1/jobs', { id: 'edge-fixed-id', command: 'true' });
  assert.equal(again.status, 201, again.text);
  assert.equal((await post('/v1/jobs', { id: 'edge-fixed-id', command: 'true' })).status, 200);
  assertProblem(await post('/v1/jobs', { id: 'edge-fixed-id', command: 'false' }), 409);

  // Logs: the edge cannot reach agents; it answers 307 to the internal API, which serves them.
  const logs = await call(`/v1/jobs/${job.id}/logs?stream=stdout`, { headers: auth });
  assert.equal(logs.status, 307, logs.text);
  const location = logs.headers.get('location') ?? '';
  assert.equal(location, `${internal.url}/v1/jobs/${job.id}/logs?stream=stdout`);
  const followed = await fetch(location, { headers: auth });
  assert.equal(followed.status, 200);
  assert.match(await followed.text(), /from-the-edge/);
});

test('edge: bad input is a 4xx problem+json naming the field paths', async () => {
  assertProblem(await post('/v1/jobs', '{"command": '), 400, ['(root)']);
  assertProblem(await post('/v1/jobs', {}), 400, ['command']);
  assertProblem(await post('/v1/jobs', { command: 'true', resources: { cpus: -1 } }), 400, ['resources.cpus']);
  assertProblem(await call('/v1/jobs', { method: 'POST', body: 'x=1', headers: { ...auth, 'content-type': 'text/plain' } }), 415);
  assertProblem(await call('/v1/jobs?cursor=%21%21', { headers: auth }), 400, ['cursor']);
  assertProblem(await call('/v1/jobs/no-such-job', { headers: auth }), 404);
  assertProblem(await call('/v1/jobs/no-such-job/logs?stream=nope', { headers: auth }), 400, ['stream']);
});

test('edge: /v1 needs the token from the secret binding; health, OpenAPI and docs are open', async () => {
  assertProblem(await call('/v1/jobs'), 401);
  assertProblem(await call('/v1/jobs', { headers: { authorization: 'Bearer wrong' } }), 401);
  assertProblem(await post('/v1/jobs', { command: 'true' }, {}), 401);
  assert.equal((await call('/v1/jobs', { headers: auth })).status, 200);
  // Batches and schedules are served by the edge itself (after auth).
  assertProblem(await call('/v1/batches'), 401);
  assertProblem(await call('/v1/schedules'), 401);
  assert.equal((await call('/v1/batches?limit=5', { headers: auth })).status, 200);
  assert.equal((await call('/v1/schedules?limit=5', { headers: auth })).status, 200);
  assert.equal((await call('/healthz')).status, 200);
  const ready = await call('/readyz');
  assert.equal(ready.status, 200, ready.text);
  const doc = await call('/openapi.json');
  assert.ok((doc.json as { paths: Record<string, unknown> }).paths['/v1/jobs']);
  const docs = await call('/docs');
  assert.match(docs.text, /swagger-ui-bundle\.js/);
  assert.doesNotMatch(docs.text, /https?:\/\//, 'no CDN reference');
  const js = await call('/docs/swagger-ui-bundle.js');
  assert.equal(js.status, 200);
  assert.ok(js.text.length > 100_000, 'the bundled Swagger UI is served');
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The same resource through the internal Node API (gRPC): the edge's view must equal it. */
const internalJson = async (path: string) => (await fetch(internal.url + path, { headers: auth })).json();

test('edge: a batch of 2 jobs submitted through the edge runs to SUCCEEDED; its jobs, the list, cancel of an ended batch', async () => {
  const id = `edge-batch-${Date.now()}`;
  const created = await post('/v1/batches', { id, name: 'edge', labels: { via: 'edge-batch' }, array: { template: { command: 'echo batch-$MESOFLOW_BATCH_INDEX; exit 0' }, count: 2 } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.headers.get('location'), `/v1/batches/${id}`);
  assert.deepEqual((created.json as { jobIds: string[] }).jobIds, []);
  // Progress over SSE from the edge: counts as they change, ending with the terminal batch.
  const events = await sseEvents<{ status: string; counts: Record<string, number> | null }>(`/v1/batches/${id}/events`, 'batch');
  assert.ok(events.length >= 2, `more than the final event: ${JSON.stringify(events.map((e) => e.status))}`);
  const done = events.at(-1) as { status: string; counts: Record<string, number> | null };
  assert.equal(done.status, 'SUCCEEDED');
  assert.equal(done.counts?.SUCCEEDED, 2);
  // The batch's progress query answered over HTTP: the same view as the Node API's.
  const edgeView = (await call(`/v1/batches/${id}`, { headers: auth })).json as Record<string, unknown>;
  assert.deepEqual(edgeView, await internalJson(`/v1/batches/${id}`));
  assert.deepEqual(edgeView.jobIds, [`${id}.0`, `${id}.1`]);
  const jobs = await until('visibility lists both jobs', async () => {
    const r = (await call(`/v1/batches/${id}/jobs?status=SUCCEEDED`, { headers: auth })).json as { jobs: Array<{ id: string }> };
    return r.jobs.length === 2 ? r.jobs : undefined;
  });
  assert.deepEqual(jobs.map((j) => j.id).sort(), [`${id}.0`, `${id}.1`]);
  const list = await until('the batch list shows it', async () => {
    const r = (await call('/v1/batches?label=via%3Dedge-batch&status=SUCCEEDED', { headers: auth })).json as { batches: Array<{ id: string }> };
    return r.batches.length > 0 ? r.batches : undefined;
  });
  assert.deepEqual(list.map((b) => b.id), [id]);
  assertProblem(await call(`/v1/batches/${id}/cancel`, { method: 'POST', headers: auth }), 409);
  assertProblem(await post('/v1/batches', { array: { template: { command: 'true' }, count: 0 } }), 400, ['array.count']);
});

test('edge: a schedule created through the edge shows alike on Node; a triggered run is run by the worker; pause, backfill, delete', async () => {
  const id = `edge-sched-${Date.now()}`;
  const created = await post('/v1/schedules', { id, cron: ['0 0 1 1 *'], note: 'from the edge', action: { job: { command: 'echo scheduled-at-the-edge; exit 0', labels: { via: 'edge-schedule' } } } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.headers.get('location'), `/v1/schedules/${id}`);
  const view = created.json as { id: string; spec: { cron: string[] }; action: { job?: { command: string } }; note: string };
  assert.deepEqual(view.spec.cron, ['0 0 1 1 *']);
  assert.equal(view.action.job?.command, 'echo scheduled-at-the-edge; exit 0');
  assert.equal(view.note, 'from the edge');
  assert.deepEqual((await call(`/v1/schedules/${id}`, { headers: auth })).json, await internalJson(`/v1/schedules/${id}`));
  await until('the schedule list shows it', async () => {
    const r = (await call('/v1/schedules?limit=200', { headers: auth })).json as { schedules: Array<{ id: string }> };
    return r.schedules.some((s) => s.id === id) ? true : undefined;
  });

  const trig = await call(`/v1/schedules/${id}/trigger`, { method: 'POST', headers: auth });
  assert.equal(trig.status, 202, trig.text);
  const run = await until('the triggered run succeeds', async () => {
    const s = (await call(`/v1/schedules/${id}`, { headers: auth })).json as { recentRuns: Array<{ id: string; kind: string; status: string }> };
    const r = s.recentRuns[0];
    return r && r.status === 'SUCCEEDED' ? r : undefined;
  });
  assert.equal(run.kind, 'job');
  const job = (await call(`/v1/jobs/${encodeURIComponent(run.id)}`, { headers: auth })).json as { status: string; labels: Record<string, string>; exitCode: number };
  assert.equal(job.status, 'SUCCEEDED');
  assert.equal(job.exitCode, 0);
  assert.deepEqual(job.labels, { via: 'edge-schedule' });

  const paused = await call(`/v1/schedules/${id}`, { method: 'PATCH', body: JSON.stringify({ paused: true, note: 'held' }), headers: { ...auth, 'content-type': 'application/json' } });
  assert.equal(paused.status, 200, paused.text);
  assert.equal((paused.json as { paused: boolean }).paused, true);
  const changed = await call(`/v1/schedules/${id}`, { method: 'PATCH', body: JSON.stringify({ cron: ['0 0 2 1 *'] }), headers: { ...auth, 'content-type': 'application/json' } });
  assert.equal(changed.status, 200, changed.text);
  assert.deepEqual((changed.json as { spec: { cron: string[] } }).spec.cron, ['0 0 2 1 *']);
  assert.equal((changed.json as { action: { job?: { command: string } } }).action.job?.command, 'echo scheduled-at-the-edge; exit 0', 'the action is kept');

  const bf = await post(`/v1/schedules/${id}/backfill`, { start: '2026-01-01T12:00:00Z', end: '2026-01-03T00:00:00Z' });
  assert.equal(bf.status, 202, bf.text);
  assert.deepEqual((bf.json as { started: string[] }).started, ['2026-01-02T00:00:00.000Z']);
  const backfilled = `${id}-2026-01-02T00:00:00Z`;
  assert.equal((await call(`/v1/jobs/${encodeURIComponent(backfilled)}`, { headers: auth })).status, 200);
  await call(`/v1/jobs/${encodeURIComponent(backfilled)}/cancel`, { method: 'POST', headers: auth });

  assertProblem(await post('/v1/schedules', { id: `${id}-bad`, cron: ['0 0 1 1 *'], timeZone: 'Nowhere/Atlantis', action: { job: { command: 'true' } } }), 400, ['timeZone']);
  assertProblem(await post('/v1/schedules', { id, cron: ['0 0 1 1 *'], action: { job: { command: 'true' } } }), 409);
  assert.equal((await call(`/v1/schedules/${id}`, { method: 'DELETE', headers: auth })).status, 204);
  assertProblem(await call(`/v1/schedules/${id}`, { headers: auth }), 404);
});
