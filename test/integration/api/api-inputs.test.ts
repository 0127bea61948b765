// Bad inputs are 4xx problem+json naming the field paths, never a 5xx; the
// token guards /v1; the document, health, readiness and metrics endpoints.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../../../api/app.js';
import { serveApi, type ApiServer } from '../../../api/server.js';
import { http, jobUntil, postJson, startApiStack, type ApiStack, type HttpResult } from './api-stack.js';

let s: ApiStack;
let guarded: ApiServer;
const TOKEN = 's3cret-token';

before(async () => {
  s = await startApiStack();
  const api = createApi({ ...s.api.context.deps, token: TOKEN });
  guarded = await serveApi(api.app, { port: 0 });
});
after(async () => {
  await guarded?.close();
  await s?.stop();
});

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
}

function assertProblem(r: HttpResult, status: number, paths?: string[]): ProblemBody {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers['content-type'], 'application/problem+json');
  const p = r.json as ProblemBody;
  assert.equal(p.status, status);
  assert.ok(p.type && p.title);
  if (paths) assert.deepEqual((p.errors ?? []).map((e) => e.path).sort(), [...paths].sort(), r.text);
  return p;
}

const raw = (body: string | Uint8Array, type = 'application/json') => http(`${s.url}/v1/jobs`, { method: 'POST', body, headers: { 'content-type': type } });

test('a method the document does not declare on a declared path is 405 with Allow, an unknown path 404', async () => {
  const trace = await http(`${s.url}/healthz`, { method: 'TRACE' });
  assertProblem(trace, 405);
  assert.equal(trace.headers.allow, 'GET, HEAD');
  const del = await http(`${s.url}/v1/jobs/some-job`, { method: 'DELETE' });
  assertProblem(del, 405);
  assert.equal(del.headers.allow, 'GET, HEAD');
  assert.equal((await http(`${s.url}/v1/jobs`, { method: 'PUT' })).headers.allow, 'POST, GET, HEAD');
  assertProblem(await http(`${s.url}/v1/nothing-here`), 404);
  // The token comes first: without it, a guarded path answers 401 whatever the method.
  assertProblem(await http(`${guarded.url}/v1/jobs`, { method: 'PUT' }), 401);
});

test('an empty cursor is the first page (the schema allows it)', async () => {
  const r = await http(`${s.url}/v1/jobs?limit=1&cursor=`);
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray((r.json as { jobs: unknown[] }).jobs));
});

test('malformed JSON is a 400 problem', async () => {
  assertProblem(await raw('{"command": "true"'), 400, ['(root)']);
  assertProblem(await raw(''), 400, ['(root)']);
  assertProblem(await raw('null'), 400, ['(root)']);
  assertProblem(await raw('[1,2]'), 400, ['(root)']);
  // Bytes that are not UTF-8 inside a string: refused, not turned into U+FFFD in a command.
  const notUtf8 = Buffer.concat([Buffer.from('{"command":"echo '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const r = await raw(notUtf8);
  assertProblem(r, 400);
  assert.match(r.text, /UTF-8/);
});

test('a body that is not JSON is a 415 problem', async () => {
  assertProblem(await raw('command=true', 'application/x-www-form-urlencoded'), 415);
  assertProblem(await http(`${s.url}/v1/jobs`, { method: 'POST', body: '{}' }), 415);
});

test('wrong types, negative or missing resources and unknown fields name their paths', async () => {
  const url = `${s.url}/v1/jobs`;
  assertProblem(await postJson(url, {}), 400, ['command']);
  assertProblem(await postJson(url, { command: 42 }), 400, ['command']);
  assertProblem(await postJson(url, { command: 'true', resources: { cpus: -1, mem: 'lots' } }), 400, ['resources.cpus', 'resources.mem']);
  assertProblem(await postJson(url, { command: 'true', resources: { cpus: 0 } }), 400, ['resources.cpus']);
  assertProblem(await postJson(url, { command: 'true', resources: null }), 400, ['resources']);
  assertProblem(await postJson(url, { command: 'true', colour: 'blue' }), 400, ['colour']);
  const p = assertProblem(await postJson(url, { command: 'true', resources: { cpus: 1, ram: 5 } }), 400, ['resources.ram']);
  assert.match(p.errors?.[0]?.message ?? '', /unknown/);
  assertProblem(await postJson(url, { command: 'true', env: { 'BAD NAME': 'x' } }), 400, ['env.BAD NAME']);
  assertProblem(await postJson(url, { command: 'true', id: 'has spaces' }), 400, ['id']);
  assertProblem(await postJson(url, { command: 'true', retry: { maxAttempts: 0 } }), 400, ['retry.maxAttempts']);
  assertProblem(await postJson(url, { command: ['sh', ''] }), 400, ['command.1']);
});

test('an oversized body is a 413 problem', async () => {
  const big = JSON.stringify({ command: 'true', env: { BIG: 'x'.repeat(70 * 1024) } });
  assertProblem(await raw(big), 413);
});

test('logs and list query errors are 400 problems', async () => {
  const r = await postJson(`${s.url}/v1/jobs`, { command: 'true' });
  const id = (r.json as { id: string }).id;
  assertProblem(await http(`${s.url}/v1/jobs/${id}/logs?stream=stdin&offset=-3`), 400, ['offset', 'stream']);
  assertProblem(await http(`${s.url}/v1/jobs?label=novalue`), 400, ['label.0']);
  assertProblem(await http(`${s.url}/v1/jobs?sort=asc`), 400, ['sort']);
  await jobUntil(s.url, id, (j) => j.status === 'SUCCEEDED');
  assertProblem(await http(`${s.url}/v1/jobs/${id}/logs?attempt=9`), 404);
  assertProblem(await http(`${s.url}/v1/nothing-here`), 404);
});

test('with a token, /v1 needs it: missing or wrong is 401, right is accepted', async () => {
  const url = `${guarded.url}/v1/jobs`;
  const missing = assertProblem(await http(url), 401);
  assert.match(missing.detail ?? '', /Bearer/);
  assertProblem(await http(url, { headers: { authorization: 'Bearer wrong' } }), 401);
  assertProblem(await http(url, { headers: { authorization: `Bearer ${TOKEN}x` } }), 401);
  assertProblem(await http(url, { headers: { authorization: `Basic ${TOKEN}` } }), 401);
  assertProblem(await postJson(url, { command: 'true' }), 401);
  const ok = await http(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200, ok.text);
  // Health, readiness and the document stay open (probes carry no token).
  assert.equal((await http(`${guarded.url}/healthz`)).status, 200);
  assert.equal((await http(`${guarded.url}/openapi.json`)).status, 200);
});

test('GET /openapi.json describes the job routes and the job request schema; /docs serves Swagger UI', async () => {
  const r = await http(`${s.url}/openapi.json`);
  assert.equal(r.status, 200);
  const doc = r.json as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
  assert.match(doc.openapi, /^3\.1/);
  for (const p of ['/v1/jobs', '/v1/jobs/{id}', '/v1/jobs/{id}/cancel', '/v1/jobs/{id}/logs', '/v1/jobs/{id}/events']) assert.ok(doc.paths[p], p);
  assert.ok(doc.components.schemas.JobRequest?.properties?.command);
  assert.ok(doc.components.schemas.JobRequest?.properties?.resources);
  const docs = await http(`${s.url}/docs`);
  assert.equal(docs.status, 200);
  assert.match(docs.text, /swagger-ui/);
  assert.doesNotMatch(docs.text, /https?:\/\//, 'the docs page loads nothing from the internet');
  // Every asset the page references is served by the API itself.
  for (const ref of docs.text.matchAll(/(?:href|src)="(\/docs\/[^"]+)"/g)) {
    const a = await http(`${s.url}${ref[1]}`);
    assert.equal(a.status, 200, ref[1]);
    assert.ok(a.text.length > 10_000, `${ref[1]} has content`);
  }
  assert.match(String((await http(`${s.url}/docs/swagger-ui-bundle.js`)).headers['content-type']), /javascript/);
});

test('/healthz, /readyz and /metrics', async () => {
  assert.deepEqual((await http(`${s.url}/healthz`)).json, { status: 'ok' });
  // The session subscribes shortly after the worker starts.
  const deadline = Date.now() + 30_000;
  let ready: HttpResult | undefined;
  while (Date.now() < deadline) {
    ready = await http(`${s.url}/readyz`);
    if (ready.status === 200) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(ready?.status, 200, ready?.text);
  assert.equal((ready?.json as { status: string }).status, 'ready');
  const r = await postJson(`${s.url}/v1/jobs`, { command: 'true' });
  await jobUntil(s.url, (r.json as { id: string }).id, (j) => j.status === 'SUCCEEDED');
  const m = await http(`${s.url}/metrics`);
  assert.equal(m.status, 200);
  assert.match(String(m.headers['content-type']), /text\/plain/);
  assert.match(m.text, /^mesoflow_jobs\{status="SUCCEEDED"\} \d+$/m);
  assert.match(m.text, /^mesoflow_api_jobs_submitted_total [1-9]\d*$/m);
  assert.match(m.text, /^mesoflow_job_submit_to_running_seconds_count [1-9]\d*$/m);
  assert.match(m.text, /^mesoflow_offers_declined_total \d+$/m);
  assert.match(m.text, /^mesoflow_offers_received_total [1-9]\d*$/m);
  assert.match(m.text, /^mesoflow_tasks_launched_total [1-9]\d*$/m);
});

test('readiness fails without a session holder', async () => {
  const api = createApi({ ...s.api.context.deps, frameworkName: 'no-such-framework' });
  const srv = await serveApi(api.app, { port: 0 });
  try {
    const r = await http(`${srv.url}/readyz`);
    assert.equal(r.status, 503);
    assert.equal((r.json as { status: string }).status, 'not-ready');
  } finally {
    await srv.close();
  }
});
