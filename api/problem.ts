// Errors as application/problem+json (RFC 9457). Every 4xx the API returns
// names what was wrong and, for invalid input, the field paths.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface FieldError {
  /** Dotted path into the request, e.g. `resources.cpus`; `(root)` for the whole body. */
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

export const PROBLEM_TYPE_BASE = 'https://mesoflow.dev/problems/';

/** A failure a route raises; app.onError turns it into problem+json. */
export class ApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly kind: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }

  toProblem(instance?: string): Problem {
    const p: Problem = { type: PROBLEM_TYPE_BASE + this.kind, title: this.title, status: this.status };
    if (this.detail !== undefined) p.detail = this.detail;
    if (instance !== undefined) p.instance = instance;
    if (this.errors !== undefined) p.errors = this.errors;
    return p;
  }
}

export const problems = {
  invalid: (detail: string, errors: FieldError[]) => new ApiProblem(400, 'invalid-request', 'Invalid request', detail, errors),
  malformedJson: (detail: string) => new ApiProblem(400, 'malformed-json', 'Malformed JSON', detail, [{ path: '(root)', message: detail }]),
  unsupportedMedia: (got: string) =>
    new ApiProblem(415, 'unsupported-media-type', 'Unsupported media type', `expected application/json, got ${got || 'no Content-Type'}`),
  notFound: (what: string) => new ApiProblem(404, 'not-found', 'Not found', what),
  conflict: (detail: string) => new ApiProblem(409, 'conflict', 'Conflict', detail),
  unauthorized: (detail: string) => new ApiProblem(401, 'unauthorized', 'Unauthorized', detail),
  tooLarge: (limit: number) => new ApiProblem(413, 'payload-too-large', 'Payload too large', `the request body exceeds ${limit} bytes`),
  unavailable: (detail: string) => new ApiProblem(503, 'unavailable', 'Service unavailable', detail),
  /** What this deployment cannot do (e.g. the edge build), and where to go instead. */
  notImplemented: (detail: string) => new ApiProblem(501, 'not-implemented', 'Not implemented here', detail),
  methodNotAllowed: (method: string, path: string, allowed: string[]) =>
    new ApiProblem(405, 'method-not-allowed', 'Method not allowed', `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`),
};

export function sendProblem(c: Context, problem: ApiProblem, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem.toProblem(c.req.path)), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json', ...extraHeaders },
  });
}
