// The OpenAPI document is generated from the schemas that validate requests:
// the list route's query parameters come from listJobsQuerySchema, every
// token-guarded operation declares its 401, and declaredMethods (the 405
// answer's Allow) reads the same document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaredMethods, openApiDocument } from '../../../api/openapi.js';
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
