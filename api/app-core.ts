// createCoreApi(deps): the Hono app of the HTTP API, whatever it runs on.
// Routes live in routes/; every failure leaves as application/problem+json.
// Jobs, batches and schedules all reach Temporal through deps.temporal.
// Edge-safe: Node-only parts (the gRPC client, agent file reads over undici,
// Swagger UI read from disk) come in through deps (app.ts builds them on
// Node, edge/worker.ts at the edge).
import { Hono } from 'hono';
import { silentLogger } from '../common/logger.js';
import { bearerAuth } from './auth.js';
import type { ApiContext, ApiCoreDeps } from './context.js';
import { JobService } from './job-service.js';
import { jobView, type JobFacts } from './job-view.js';
import { ApiMetrics } from './metrics.js';
import { registerDocsRoutes } from './docs-page.js';
import { declaredMethods, openApiDocument } from './openapi.js';
import { ApiProblem, problems, sendProblem } from './problem.js';
import { registerBatchRoutes } from './routes/batches.js';
import { registerEventRoutes } from './routes/events.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerLogRoutes } from './routes/logs.js';
import { registerScheduleRoutes } from './routes/schedules.js';
import { TemporalError } from './temporal/access.js';

/** Temporal unreachable or overloaded: a 503, not a 500. */
function isUnavailable(err: unknown): boolean {
  if (err instanceof TemporalError) return err.kind === 'unavailable' || err.kind === 'timeout';
  const code = (err as { code?: unknown }).code;
  const msg = String((err as Error)?.message ?? '');
  return code === 14 || code === 4 || /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|Failed to connect/i.test(msg);
}

export function createCoreApi<D extends ApiCoreDeps>(deps: D): { app: Hono; context: ApiContext<D> } {
  const logger = (deps.logger ?? silentLogger).child({ component: 'api' });
  const metrics = new ApiMetrics();
  const context: ApiContext<D> = {
    deps,
    logger,
    metrics,
    service: new JobService({
      temporal: deps.temporal,
      frameworkName: deps.frameworkName,
      taskQueue: deps.taskQueue,
      ...(deps.tuning ? { tuning: deps.tuning } : {}),
    }),
    view(facts: JobFacts) {
      const job = jobView(facts, { temporalUiUrl: deps.temporalUiUrl, namespace: deps.namespace });
      if (job.startedAt !== null) metrics.observeRunning(job.id, job.createdAt, job.startedAt);
      return job;
    },
  };

  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof ApiProblem) return sendProblem(c, err);
    if (isUnavailable(err)) {
      logger.warn('Temporal unavailable', { path: c.req.path, err });
      return sendProblem(c, problems.unavailable('Temporal is not reachable; try again'), { 'Retry-After': '2' });
    }
    logger.error('request failed', { method: c.req.method, path: c.req.path, err });
    return sendProblem(c, new ApiProblem(500, 'internal', 'Internal error', 'the request failed; see the server log'));
  });
  app.notFound((c) => {
    // A path the document declares, with a method it does not: 405 with Allow (RFC 9110 §15.5.6), not 404.
    const allowed = declaredMethods(c.req.path);
    if (allowed !== undefined && !allowed.includes(c.req.method)) {
      return sendProblem(c, problems.methodNotAllowed(c.req.method, c.req.path, allowed), { Allow: allowed.join(', ') });
    }
    return sendProblem(c, problems.notFound(`no route ${c.req.method} ${c.req.path}`));
  });

  registerHealthRoutes(app, context);
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  registerDocsRoutes(app, deps.docsAssets);

  app.use('/v1/*', bearerAuth(deps.token));
  registerJobRoutes(app, context);
  registerLogRoutes(app, context);
  registerEventRoutes(app, context);
  registerScheduleRoutes(app, context);
  registerBatchRoutes(app, context);
  return { app, context };
}
