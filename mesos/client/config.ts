// SchedulerClient options, validated and defaulted once at construction so
// the request code never has to think about missing values.
import { z } from 'zod';
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import { DEFAULT_MAX_RECORD_BYTES } from '../recordio.js';

export const SCHEDULER_PATH = '/api/v1/scheduler';

const pem = z.union([z.string(), z.instanceof(Buffer), z.array(z.union([z.string(), z.instanceof(Buffer)]))]);

const masterUrl = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'a master URL must be http:// or https://')
  // Only the origin is kept: the scheduler endpoint path is fixed by Mesos.
  .transform((u) => new URL(u).origin);

const loggerSchema = z.custom<Logger>(
  (v) => typeof v === 'object' && v !== null && ['debug', 'info', 'warn', 'error', 'child'].every((k) => typeof (v as Record<string, unknown>)[k] === 'function'),
  'logger must implement Logger (common/logger.ts)',
);

export const schedulerClientOptionsSchema = z.object({
  /** Base URLs of the masters (`http://host:5050`), tried in turn; a non-leader redirects to the leader. */
  masters: z.array(masterUrl).min(1),
  /** HTTP basic auth (`--authenticate_http_frameworks`); both or neither. */
  principal: z.string().min(1).optional(),
  secret: z.string().optional(),
  tls: z
    .object({
      ca: pem.optional(),
      cert: pem.optional(),
      key: pem.optional(),
      rejectUnauthorized: z.boolean().optional(),
    })
    .optional(),
  /** Time to wait for response headers of a call (and of SUBSCRIBE); spec §13 suggests ~75 s. */
  requestTimeoutMs: z.number().int().positive().default(75_000),
  connectTimeoutMs: z.number().int().positive().default(10_000),
  /** The subscription is declared dead after this many heartbeat intervals without any event. */
  heartbeatMissLimit: z.number().positive().default(5),
  /** Used until SUBSCRIBED tells the real interval. */
  defaultHeartbeatIntervalSeconds: z.number().positive().default(15),
  maxRecordBytes: z.number().int().positive().default(DEFAULT_MAX_RECORD_BYTES),
  /** Refuse filter for offers the client declines because it cannot read them. */
  malformedOfferRefuseSeconds: z.number().nonnegative().default(60),
  maxRedirects: z.number().int().nonnegative().default(5),
  /** Backoff for 503 "No leader elected" / "Master has not finished recovery". */
  noLeaderRetry: z
    .object({
      initialMs: z.number().int().nonnegative().default(500),
      maxMs: z.number().int().nonnegative().default(15_000),
      maxAttempts: z.number().int().positive().default(10),
    })
    .prefault({}),
  logger: loggerSchema.optional(),
});

export type SchedulerClientOptions = z.input<typeof schedulerClientOptionsSchema>;

export interface SchedulerClientConfig extends Omit<z.output<typeof schedulerClientOptionsSchema>, 'logger' | 'principal' | 'secret'> {
  logger: Logger;
  /** Precomputed `Authorization` header value, when credentials are configured. */
  authorization: string | undefined;
}

export class SchedulerClientConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`invalid SchedulerClient options: ${issues.join('; ')}`);
    this.name = 'SchedulerClientConfigError';
    this.issues = issues;
  }
}

export function compileConfig(options: SchedulerClientOptions): SchedulerClientConfig {
  const parsed = schedulerClientOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new SchedulerClientConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`));
  }
  const { logger, principal, secret, ...rest } = parsed.data;
  if ((principal === undefined) !== (secret === undefined)) {
    throw new SchedulerClientConfigError(['principal and secret must be given together']);
  }
  const authorization = principal !== undefined ? `Basic ${Buffer.from(`${principal}:${secret ?? ''}`, 'utf8').toString('base64')}` : undefined;
  return { ...rest, logger: logger ?? silentLogger, authorization };
}
