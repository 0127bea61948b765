import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { bearerAuth, bearerToken, tokenMatches } from '../../../api/auth.js';

test('tokens compare equal only when identical, whatever their lengths', async () => {
  assert.equal(await tokenMatches('abc', 'abc'), true);
  assert.equal(await tokenMatches('abc', 'abd'), false);
  assert.equal(await tokenMatches('abc', 'abcd'), false);
  assert.equal(await tokenMatches('abc', ''), false);
});

test('the bearer token is read from the Authorization header', () => {
  assert.equal(bearerToken('Bearer xyz'), 'xyz');
  assert.equal(bearerToken('bearer  xyz '), 'xyz');
  assert.equal(bearerToken('Basic xyz'), undefined);
  assert.equal(bearerToken('Bearer'), undefined);
  assert.equal(bearerToken(undefined), undefined);
});

test('the middleware answers 401 problem+json unless the token is right; no token configured lets all in', async () => {
  const app = new Hono();
  app.use('/v1/*', bearerAuth('t0k'));
  app.get('/v1/x', (c) => c.text('ok'));
  const none = await app.request('/v1/x');
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('content-type'), 'application/problem+json');
  assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  const body = (await none.json()) as { status: number; title: string };
  assert.equal(body.status, 401);
  assert.equal((await app.request('/v1/x', { headers: { authorization: 'Bearer nope' } })).status, 401);
  assert.equal((await app.request('/v1/x', { headers: { authorization: 'Bearer t0k' } })).status, 200);
  const open = new Hono();
  open.use('*', bearerAuth(undefined));
  open.get('/v1/x', (c) => c.text('ok'));
  assert.equal((await open.request('/v1/x')).status, 200);
});
