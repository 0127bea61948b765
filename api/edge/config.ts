// The edge API's configuration, from the Workers env bindings (vars and
// secrets) instead of process.env. Validated with zod so that a missing or
// malformed binding is named in the error.
import { z } from 'zod';

const optionalUrl = z.string().url().optional();

export const edgeEnvSchema = z.object({
  /** Base URL of Temporal's HTTP API, e.g. https://<namespace>.<account>.tmprl.cloud or http://temporal:7243. */
  TEMPORAL_HTTP_URL: z.string().url(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Secret: a Temporal Cloud API key, sent as a bearer token. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /** Secret: when set, every /v1 route requires `Authorization: Bearer <token>`. */
  MESOFLOW_API_TOKEN: z.string().min(1).optional(),
  MESOFLOW_FRAMEWORK_NAME: z.string().min(1).default('mesoflow'),
  MESOFLOW_TASK_QUEUE: z.string().min(1).default('mesoflow'),
  /** Base URL of a mesoflow API next to the cluster; the logs route redirects (307) there. */
  MESOFLOW_INTERNAL_API: optionalUrl,
  TEMPORAL_UI_URL: optionalUrl,
  /** How often an events stream polls its job, and how long one stream stays open (the client reconnects). */
  MESOFLOW_EVENT_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  MESOFLOW_EVENT_STREAM_MAX_MS: z.coerce.number().int().min(1000).max(3_600_000).default(300_000),
  /** JSON of workflow timings for new jobs (tests shorten them); unset for the workflow's defaults. */
  MESOFLOW_JOB_TUNING: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      try {
        return JSON.parse(s) as Record<string, number>;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    }),
  MESOFLOW_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('warn'),
});

export type EdgeEnv = z.input<typeof edgeEnvSchema>;
export type EdgeConfig = z.output<typeof edgeEnvSchema>;

export class EdgeConfigError extends Error {
  constructor(readonly problems: Array<{ path: string; message: string }>) {
    super(`the Worker's bindings are not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'EdgeConfigError';
  }
}

/** Reads the string bindings that concern mesoflow (others, like KV namespaces, are ignored). */
export function edgeConfig(env: Record<string, unknown>): EdgeConfig {
  const strings = Object.fromEntries(Object.entries(env).filter(([k, v]) => typeof v === 'string' && k in edgeEnvSchema.shape));
  const r = edgeEnvSchema.safeParse(strings);
  if (!r.success) throw new EdgeConfigError(r.error.issues.map((i) => ({ path: i.path.join('.') || '(env)', message: i.message })));
  return r.data;
}
