// GET /v1/jobs/{id}/events: Server-Sent Events, one `job` event per change
// of status, phase, attempt or task state, ending with the terminal one.
// It polls the job (progress query) through streamPolledEvents.
import type { Hono } from 'hono';
import type { ApiContext } from '../context.js';
import { changeKey, isTerminal } from '../job-view.js';
import { problems } from '../problem.js';
import { jobIdParam } from './jobs.js';
import { streamPolledEvents } from './polled-events.js';

export function registerEventRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/v1/jobs/:id/events', async (c) => {
    const id = jobIdParam(c.req.param('id'));
    const first = await ctx.service.get(id);
    if (!first) throw problems.notFound(`no job with id ${id}`);
    return streamPolledEvents(c, {
      event: 'job',
      first,
      pollMs: ctx.deps.eventPollMs ?? 500,
      maxMs: ctx.deps.eventStreamMaxMs,
      view: (facts) => ctx.view(facts),
      changeKey,
      isFinal: (job) => isTerminal(job.status),
      read: () => ctx.service.get(id),
      onReadError: (err) => ctx.logger.warn('events: reading the job failed', { jobId: id, err }),
    });
  });
}
