// createApp(deps): the Hono app of the HTTP API. Routes live in routes/;
// every failure leaves as application/problem+json.
import { Hono } from 'hono';
import { silentLogger } from '../common/logger.js';
import { bearerAuth } from './auth.js';
import type { ApiContext, ApiDeps } from './context.js';
import { JobService } from './job-service.js';
import { jobView, type JobFacts } from './job-view.js';
import { AgentFilesClient } from './logs.js';
import { ApiMetrics } from './metrics.js';
import { registerDocsRoutes } from './docs-page.js';
import { openApiDocument } from './openapi.js';
import { ApiProblem, problems, sendProblem } from './problem.js';
import { registerEventRoutes } from './routes/events.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerLogRoutes } from './routes/logs.js';

export type { ApiDeps } from './context.js';

export interface MesoflowApi {
  app: Hono;
  context: ApiContext;
}

/** Temporal (gRPC) unreachable or overloaded: a 503, not a 500. */
function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  const msg = String((err as Error)?.message ?? '');
  return code === 14 || code === 4 || /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|Failed to connect/i.test(msg);
}

export function createApi(deps: ApiDeps): MesoflowApi {
  const logger = (deps.logger ?? silentLogger).child({ component: 'api' });
  const metrics = new ApiMetrics();
  const context: ApiContext = {
    deps,
    logger,
    metrics,
    service: new JobService({
      client: deps.client,
      namespace: deps.namespace,
      frameworkName: deps.frameworkName,
      taskQueue: deps.taskQueue,
      ...(deps.tuning ? { tuning: deps.tuning } : {}),
    }),
    files: new AgentFilesClient({
      masters: deps.masters,
      tls: deps.mesosTls,
      credentials: deps.mesosCredentials,
      ...(deps.leaderDetector ? { leaderDetector: deps.leaderDetector } : {}),
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
  app.notFound((c) => sendProblem(c, problems.notFound(`no route ${c.req.method} ${c.req.path}`)));

  registerHealthRoutes(app, context);
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  registerDocsRoutes(app);

  app.use('/v1/*', bearerAuth(deps.token));
  registerJobRoutes(app, context);
  registerLogRoutes(app, context);
  registerEventRoutes(app, context);
  return { app, context };
}

export function createApp(deps: ApiDeps): Hono {
  return createApi(deps).app;
}
