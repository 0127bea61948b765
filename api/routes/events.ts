// GET /v1/jobs/{id}/events: Server-Sent Events, one `job` event per change
// of status, phase, attempt or task state, ending with the terminal one.
// It polls the progress query; the workflow has no push channel to clients.
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ApiContext } from '../context.js';
import { changeKey, isTerminal } from '../job-view.js';
import { problems } from '../problem.js';
import { jobIdParam } from './jobs.js';

const KEEPALIVE_MS = 15_000;

export function registerEventRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/v1/jobs/:id/events', async (c) => {
    const id = jobIdParam(c.req.param('id'));
    const first = await ctx.service.get(id);
    if (!first) throw problems.notFound(`no job with id ${id}`);
    const pollMs = ctx.deps.eventPollMs ?? 500;
    return streamSSE(c, async (stream) => {
      let aborted = false;
      stream.onAbort(() => {
        aborted = true;
      });
      let lastKey = '';
      let seq = 0;
      let facts = first;
      let lastWrite = Date.now();
      const endBy = ctx.deps.eventStreamMaxMs !== undefined ? Date.now() + ctx.deps.eventStreamMaxMs : Infinity;
      while (!aborted) {
        const job = ctx.view(facts);
        const key = changeKey(job);
        if (key !== lastKey) {
          lastKey = key;
          await stream.writeSSE({ event: 'job', id: String(++seq), data: JSON.stringify(job) });
          lastWrite = Date.now();
        } else if (Date.now() - lastWrite >= KEEPALIVE_MS) {
          // A comment line: keeps proxies from closing a quiet stream of a long job.
          await stream.write(': keepalive\n\n');
          lastWrite = Date.now();
        }
        if (isTerminal(job.status)) break;
        // Bounded streams (edge runtimes): end; EventSource reconnects and gets the current state first.
        if (Date.now() >= endBy) break;
        await stream.sleep(pollMs);
        if (aborted) break;
        const next = await ctx.service.get(id).catch((err: unknown) => {
          ctx.logger.warn('events: reading the job failed', { jobId: id, err });
          return facts;
        });
        if (next) facts = next;
      }
    });
  });
}
