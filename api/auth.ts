// Bearer-token auth for /v1 when a token is configured. The comparison is
// constant-time: both sides are hashed to equal-length digests first, so
// neither the content nor the length of the token leaks through timing.
// Web Crypto, not node:crypto, so that the same check runs at the edge.
import type { MiddlewareHandler } from 'hono';
import { problems, sendProblem } from './problem.js';

const digest = async (s: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));

export async function tokenMatches(expected: string, given: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(expected), digest(given)]);
  // Every byte is compared whatever the first difference (equal lengths: 32).
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
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
    if (!(await tokenMatches(token, given))) return sendProblem(c, problems.unauthorized('the bearer token is not valid'), challenge);
    return next();
  };
}
