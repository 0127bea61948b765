// The edge entry: the same Hono app as on Node (app-core.ts), with Temporal
// over its HTTP API (fetch), configuration from the Workers env bindings,
// task logs redirected to an internal mesoflow API, and Swagger UI bundled.
// No Node built-ins anywhere on its import graph (test/unit/api/edge-import-graph.test.ts).
import type { Hono } from 'hono';
import { createLogger } from '../../common/logger.js';
import { createCoreApi } from '../app-core.js';
import { problems } from '../problem.js';
import { HttpTemporalAccess } from '../temporal/http-access.js';
import { edgeConfig, EdgeConfigError } from './config.js';
import { edgeDocsAsset } from './docs-assets.js';

/** Runtime-independent so that it can be tested without workerd. */
export function createEdgeApp(env: Record<string, unknown>): Hono {
  const cfg = edgeConfig(env);
  const logger = createLogger({ level: cfg.MESOFLOW_LOG_LEVEL, write: (line) => console.log(line) });
  const { app } = createCoreApi({
    temporal: new HttpTemporalAccess({ baseUrl: cfg.TEMPORAL_HTTP_URL, namespace: cfg.TEMPORAL_NAMESPACE, apiKey: cfg.TEMPORAL_API_KEY }),
    namespace: cfg.TEMPORAL_NAMESPACE,
    frameworkName: cfg.MESOFLOW_FRAMEWORK_NAME,
    taskQueue: cfg.MESOFLOW_TASK_QUEUE,
    logs: cfg.MESOFLOW_INTERNAL_API ? { redirectTo: cfg.MESOFLOW_INTERNAL_API } : undefined,
    docsAssets: edgeDocsAsset,
    token: cfg.MESOFLOW_API_TOKEN,
    temporalUiUrl: cfg.TEMPORAL_UI_URL,
    eventPollMs: cfg.MESOFLOW_EVENT_POLL_MS,
    eventStreamMaxMs: cfg.MESOFLOW_EVENT_STREAM_MAX_MS,
    ...(cfg.MESOFLOW_JOB_TUNING ? { tuning: cfg.MESOFLOW_JOB_TUNING } : {}),
    logger,
  });
  return app;
}

// One app per isolate and env (bindings do not change within an isolate).
let cached: { env: unknown; app: Hono } | undefined;

export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: unknown): Response | Promise<Response> {
    if (cached?.env !== env) {
      try {
        cached = { env, app: createEdgeApp(env) };
      } catch (err) {
        if (!(err instanceof EdgeConfigError)) throw err;
        const p = problems.unavailable(err.message).toProblem(new URL(request.url).pathname);
        return new Response(JSON.stringify({ ...p, errors: err.problems }), { status: 503, headers: { 'Content-Type': 'application/problem+json' } });
      }
    }
    return cached.app.fetch(request, env, ctx as never);
  },
};
