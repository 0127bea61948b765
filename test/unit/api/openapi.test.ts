// The OpenAPI document is generated from the schemas that validate requests:
// every list route's query parameters come from its zod schema (the cursor
// pattern included), every token-guarded operation declares its 401, every
// status a route can answer is declared, the one-of rules the handlers check
// are in the request schemas, and declaredMethods (the 405 answer's Allow)
// reads the same document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaredMethods, openApiDocument } from '../../../api/openapi.js';
import { batchSpecSchema, listBatchJobsQuerySchema, listBatchesQuerySchema } from '../../../api/batch-schemas.js';
import { createScheduleRequestSchema, durationSchema, listSchedulesQuerySchema } from '../../../api/schedule-schemas.js';
import { listJobsQuerySchema } from '../../../api/schemas.js';

interface Param {
  name: string;
  schema: { type?: string; pattern?: string; items?: { pattern?: string }; enum?: string[] };
  style?: string;
  explode?: boolean;
}

test("the list route's query parameters are the validating schema's, label pattern included", () => {
  const params = openApiDocument().paths['/v1/jobs']?.get?.parameters as Param[];
  assert.deepEqual(params.map((p) => p.name), Object.keys(listJobsQuerySchema.shape));
  const label = params.find((p) => p.name === 'label');
  assert.equal(label?.schema.type, 'array');
  assert.deepEqual([label?.style, label?.explode], ['form', true]);
  const pattern = new RegExp(label?.schema.items?.pattern ?? 'missing');
  // The document and the schema agree on every sample, accepted or refused.
  for (const sample of ['team=data', 'a=', "a='x'", 'noequals', 'k\\=v', 'k=v w']) {
    assert.equal(pattern.test(sample), listJobsQuerySchema.safeParse({ label: sample }).success, sample);
  }
  assert.ok(params.find((p) => p.name === 'status')?.schema.enum?.includes('WAITING_FOR_OFFER'));
  // The schema allows an empty cursor, so the route must accept it (the first page).
  assert.ok(listJobsQuerySchema.safeParse({ cursor: '' }).success);
});

test('every operation guarded by the token declares 401; the open ones do not', () => {
  for (const [path, ops] of Object.entries(openApiDocument().paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const open = Array.isArray(op.security) && op.security.length === 0;
      assert.equal('401' in op.responses, !open, `${method.toUpperCase()} ${path}`);
      assert.equal(typeof op.operationId, 'string', `${method.toUpperCase()} ${path} has an operationId`);
    }
  }
  assert.ok(path('/v1/jobs/{id}/logs').get?.responses['400'], 'an invalid logs query is a declared 400');
});

function path(p: string) {
  const ops = openApiDocument().paths[p];
  assert.ok(ops, p);
  return ops;
}

test('declaredMethods matches templated paths and adds HEAD to GET', () => {
  assert.deepEqual(declaredMethods('/v1/jobs')?.sort(), ['GET', 'HEAD', 'POST']);
  assert.deepEqual(declaredMethods('/v1/jobs/job-1.x/cancel'), ['POST']);
  assert.deepEqual(declaredMethods('/healthz'), ['GET', 'HEAD']);
  assert.equal(declaredMethods('/v1/jobs/a/b/c'), undefined);
  assert.equal(declaredMethods('/nope'), undefined);
});

test('the batch and schedule lists take their query parameters from their schemas, with the checked base64url cursor', () => {
  const lists: Array<[string, { shape: Record<string, unknown>; safeParse(v: unknown): { success: boolean } }]> = [
    ['/v1/jobs', listJobsQuerySchema],
    ['/v1/batches', listBatchesQuerySchema],
    ['/v1/batches/{id}/jobs', listBatchJobsQuerySchema],
    ['/v1/schedules', listSchedulesQuerySchema],
  ];
  for (const [p, schema] of lists) {
    const params = (path(p).get?.parameters as Array<Param & { in: string }>).filter((x) => x.in === 'query');
    assert.deepEqual(params.map((x) => x.name), Object.keys(schema.shape), p);
    const cursor = params.find((x) => x.name === 'cursor');
    const pattern = new RegExp(cursor?.schema.pattern ?? 'missing');
    // Document and schema agree: base64url (or empty, the first page) passes, anything else is refused by both.
    for (const sample of ['', 'AQID-_x', 'a b', '%3C', '=']) assert.equal(pattern.test(sample), schema.safeParse({ cursor: sample }).success, `${p} cursor ${JSON.stringify(sample)}`);
    assert.ok(path(p).get?.responses['400'], `${p} declares 400`);
  }
  const label = (path('/v1/batches').get?.parameters as Param[]).find((x) => x.name === 'label');
  assert.deepEqual([label?.schema.type, label?.style, label?.explode], ['array', 'form', true]);
});

test('every /v1 operation declares 503 (Temporal unreachable) and every operation 431; operations with a body declare 413 and 415', () => {
  for (const [p, ops] of Object.entries(openApiDocument().paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const name = `${method.toUpperCase()} ${p}`;
      assert.ok(op.responses['431'], `${name} declares 431`);
      if (p.startsWith('/v1/')) assert.ok(op.responses['503'], `${name} declares 503`);
      if (op.requestBody !== undefined) for (const code of ['400', '413', '415']) assert.ok(op.responses[code], `${name} declares ${code}`);
    }
  }
});

test('the request schemas state the one-of rules the handlers enforce, and agree with zod on samples', () => {
  const s = (openApiDocument().components as { schemas: Record<string, { oneOf?: unknown; anyOf?: unknown; properties?: Record<string, { oneOf?: unknown; pattern?: string }> }> }).schemas;
  assert.deepEqual(s.BatchRequest?.oneOf, [{ required: ['array'] }, { required: ['graph'] }]);
  assert.deepEqual(s.ScheduleRequest?.properties?.action?.oneOf, [{ required: ['job'] }, { required: ['batch'] }]);
  assert.ok(s.ScheduleRequest?.anyOf, 'a schedule needs a cron expression or an interval');
  // Neither array nor graph, both, or no cron and no interval: refused by zod as the document says.
  const template = { command: 'true' };
  assert.equal(batchSpecSchema.safeParse({}).success, false);
  assert.equal(batchSpecSchema.safeParse({ array: { template, count: 1 }, graph: [{ name: 'a', job: template }] }).success, false);
  assert.equal(batchSpecSchema.safeParse({ array: { template, count: 1 } }).success, true);
  assert.equal(createScheduleRequestSchema.safeParse({ id: 's', action: { job: template } }).success, false);
  assert.equal(createScheduleRequestSchema.safeParse({ id: 's', cron: ['0 * * * *'], action: { job: template } }).success, true);
  const duration = new RegExp(s.ScheduleRequest?.properties?.catchupWindow?.pattern ?? 'missing');
  for (const sample of ['90s', '1h30m', '500ms', '', '1.5h', '10']) assert.equal(duration.test(sample), durationSchema.safeParse(sample).success, sample);
});
