// Bearer-token auth for /v1 when a token is configured. The comparison is
// constant-time: both sides are hashed to equal-length digests first, so
// neither the content nor the length of the token leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { problems, sendProblem } from './problem.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function tokenMatches(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return m?.[1];
}

/** No-op without a token; otherwise 401 problem+json unless the request carries it. */
export function bearerAuth(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined || token === '') return next();
    const given = bearerToken(c.req.header('authorization'));
    const challenge = { 'WWW-Authenticate': 'Bearer realm="mesoflow"' };
    if (given === undefined) return sendProblem(c, problems.unauthorized('an Authorization: Bearer token is required'), challenge);
    if (!tokenMatches(token, given)) return sendProblem(c, problems.unauthorized('the bearer token is not valid'), challenge);
    return next();
  };
}
