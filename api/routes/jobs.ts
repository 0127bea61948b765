// /v1/jobs: create (idempotent by id), read, list, cancel.
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ZodError } from 'zod';
import type { ApiContext } from '../context.js';
import { problems, sendProblem, type FieldError } from '../problem.js';
import { createJobRequestSchema, jobIdSchema, listJobsQuerySchema } from '../schemas.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Zod issues as field errors; an unknown key is reported at its own path, so the client sees which one. */
export function fieldErrors(err: ZodError): FieldError[] {
  const at = (path: PropertyKey[]) => path.map(String).join('.') || '(root)';
  return err.issues.flatMap((i) =>
    i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: at([...i.path, k]), message: 'unknown field' })) : [{ path: at(i.path), message: i.message }],
  );
}

/** The id from the path, or a 404 (an id no job can have names no job). */
export function jobIdParam(raw: string): string {
  if (!jobIdSchema.safeParse(raw).success) throw problems.notFound(`no job with id ${raw}`);
  return raw;
}

// JSON text must be UTF-8 (RFC 8259); a lenient decode would silently turn
// bad bytes into U+FFFD inside the command a job runs.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export async function readJsonBody(req: { header(name: string): string | undefined; arrayBuffer(): Promise<ArrayBuffer> }): Promise<unknown> {
  const type = req.header('content-type') ?? '';
  if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;.*)?$/i.test(type)) throw problems.unsupportedMedia(type);
  let text: string;
  try {
    text = strictUtf8.decode(await req.arrayBuffer());
  } catch {
    throw problems.malformedJson('the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw problems.malformedJson(`the body is not valid JSON: ${(err as Error).message}`);
  }
}

export function registerJobRoutes(app: Hono, ctx: ApiContext): void {
  const limit = ctx.deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  app.post(
    '/v1/jobs',
    bodyLimit({ maxSize: limit, onError: (c) => sendProblem(c, problems.tooLarge(limit)) }),
    async (c) => {
      const body = await readJsonBody(c.req);
      const parsed = createJobRequestSchema.safeParse(body);
      if (!parsed.success) throw problems.invalid('the job spec is not valid', fieldErrors(parsed.error));
      const { id, ...spec } = parsed.data;
      const r = await ctx.service.create(spec, id);
      if (r.created) ctx.metrics.submitted++;
      const job = ctx.view(r.facts);
      c.header('Location', job.links.self);
      return c.json(job, r.created ? 201 : 200);
    },
  );

  app.get('/v1/jobs', async (c) => {
    const q: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.req.queries())) q[k] = k === 'label' ? v : v.length === 1 ? v[0] : v;
    const parsed = listJobsQuerySchema.safeParse(q);
    if (!parsed.success) throw problems.invalid('the query is not valid', fieldErrors(parsed.error));
    const { status, label, batch, limit: pageSize, cursor } = parsed.data;
    const labels = label === undefined ? [] : Array.isArray(label) ? label : [label];
    // An empty cursor (the schema allows it) is the first page, like no cursor.
    const page = await ctx.service.list({ labels, batchId: batch, limit: pageSize, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
    return c.json({ jobs: page.jobs.map((f) => ctx.view(f)), nextCursor: page.nextCursor });
  });

  app.get('/v1/jobs/:id', async (c) => {
    const id = jobIdParam(c.req.param('id'));
    const facts = await ctx.service.get(id);
    if (!facts) throw problems.notFound(`no job with id ${id}`);
    return c.json(ctx.view(facts));
  });

  app.post('/v1/jobs/:id/cancel', async (c) => {
    const id = jobIdParam(c.req.param('id'));
    const r = await ctx.service.cancel(id);
    if (r === 'not-found') throw problems.notFound(`no job with id ${id}`);
    if (r === 'ended') throw problems.conflict(`job ${id} has already ended`);
    return c.json({ id, cancel: r === 'requested' ? 'requested' : 'already-cancelled' }, 202);
  });
}
