// GET /v1/jobs/{id}/logs: a slice of the task's stdout or stderr, read from
// its agent. The next offset comes back in X-Next-Offset so that a client
// can follow the file by polling. Where agents cannot be reached (the edge),
// the route answers 307 to the configured internal mesoflow API instead; the
// client follows it with the same Authorization header.
import type { Hono } from 'hono';
import { sessionWorkflowId, FRAMEWORK_ID_QUERY } from '../../activities/contract.js';
import type { ApiContext } from '../context.js';
import { LogReadError, sandboxPath } from '../log-source.js';
import { problems } from '../problem.js';
import { logsQuerySchema } from '../schemas.js';
import { fieldErrors, jobIdParam } from './jobs.js';
import { isTerminal } from '../job-view.js';

export function registerLogRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/v1/jobs/:id/logs', async (c) => {
    const id = jobIdParam(c.req.param('id'));
    const parsed = logsQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw problems.invalid('the query is not valid', fieldErrors(parsed.error));
    const q = parsed.data;
    const logs = ctx.deps.logs;
    if (logs === undefined) throw problems.notImplemented('this deployment cannot read task logs (no Mesos agents, no internal API configured); use the mesoflow API next to the cluster');
    if ('redirectTo' in logs) {
      const search = new URL(c.req.url).search;
      return c.redirect(`${logs.redirectTo.replace(/\/+$/, '')}/v1/jobs/${encodeURIComponent(id)}/logs${search}`, 307);
    }
    const facts = await ctx.service.get(id);
    if (!facts) throw problems.notFound(`no job with id ${id}`);
    const job = ctx.view(facts);
    const attempt = q.attempt !== undefined ? job.attempts.find((a) => a.attempt === q.attempt) : job.attempts.at(-1);
    const empty = () => {
      c.header('X-Next-Offset', String(q.offset));
      c.header('X-Job-Status', job.status);
      return c.text('', 200);
    };
    if (q.attempt !== undefined && attempt === undefined) throw problems.notFound(`job ${id} has no attempt ${q.attempt}`);
    // Nothing launched yet: no output so far, which is not an error for a follower.
    if (attempt === undefined || attempt.agentId === null) return empty();
    let frameworkId = job.frameworkId;
    if (frameworkId === null) {
      frameworkId = (await ctx.deps.temporal.queryWorkflow<string | undefined>(sessionWorkflowId(ctx.deps.frameworkName), FRAMEWORK_ID_QUERY, [], 10_000).catch(() => undefined)) ?? null;
    }
    if (frameworkId === null) throw problems.unavailable(`the framework id of job ${id} is not known yet`);
    const path = sandboxPath(frameworkId, attempt.taskId, q.stream);
    try {
      const chunk = await logs.reader.read(attempt.agentId, path, q.offset, q.length);
      c.header('X-Next-Offset', String(chunk.nextOffset));
      c.header('X-Job-Status', job.status);
      c.header('Content-Type', 'text/plain; charset=utf-8');
      return c.body(new Uint8Array(chunk.data), 200);
    } catch (err) {
      if (err instanceof LogReadError && err.notFound && !isTerminal(job.status)) return empty();
      if (err instanceof LogReadError && err.notFound) throw problems.notFound(`the ${q.stream} of job ${id} is gone: ${err.message}`);
      if (err instanceof LogReadError) throw problems.unavailable(err.message);
      throw err;
    }
  });
}
