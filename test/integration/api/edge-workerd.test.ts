// The edge build (dist bundle of api/edge/worker.ts) running inside workerd,
// Cloudflare Workers' runtime, against the real dev server's HTTP API, with
// the devcluster and a worker running the jobs: submit → SUCCEEDED with
// progress over SSE, bad input as problem+json, auth from the secret binding,
// the logs route's 307 to the internal (Node) API, docs and OpenAPI.
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
async function sseJobs(path: string, timeoutMs = 90_000): Promise<Array<{ status: string; phase: string }>> {
  const res = await fetch(edge.url + path, { headers: auth, signal: AbortSignal.timeout(timeoutMs) });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const events: Array<{ status: string; phase: string }> = [];
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (!/^event: job$/m.test(block)) continue;
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      events.push(JSON.parse(data) as { status: string; phase: string });
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
  // Batches and schedules are served by the internal API: 307 there (after auth).
  assertProblem(await call('/v1/batches'), 401);
  const batches = await call('/v1/batches?limit=5', { headers: auth });
  assert.equal(batches.status, 307);
  assert.equal(batches.headers.get('location'), `${internal.url}/v1/batches?limit=5`);
  assert.equal((await fetch(batches.headers.get('location') as string, { headers: auth })).status, 200);
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
