// SchedulerClient options, validated and defaulted once at construction so
// the request code never has to think about missing values.
import { z } from 'zod';
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import { DEFAULT_MAX_RECORD_BYTES } from '../recordio.js';
import { parseMesosMaster, type ZkMasterSpec } from '../master-address.js';
import type { LeaderDetector } from '../leader/detector.js';

export const SCHEDULER_PATH = '/api/v1/scheduler';

const pem = z.union([z.string(), z.instanceof(Buffer), z.array(z.union([z.string(), z.instanceof(Buffer)]))]);

// Master URLs (`http://host:5050`), or one `zk://host:2181/path` (mesos/master-address.ts).
const mastersSchema = z
  .array(z.string().min(1))
  .min(1)
  .superRefine((list, ctx) => {
    try {
      parseMesosMaster(list.join(','));
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as { problem?: string }).problem ?? String(err) });
    }
  });

const detectorSchema = z.custom<LeaderDetector>(
  (v) => typeof v === 'object' && v !== null && ['leader', 'status', 'onChange', 'close'].every((k) => typeof (v as Record<string, unknown>)[k] === 'function'),
  'leaderDetector must implement LeaderDetector (mesos/leader/detector.ts)',
);

const loggerSchema = z.custom<Logger>(
  (v) => typeof v === 'object' && v !== null && ['debug', 'info', 'warn', 'error', 'child'].every((k) => typeof (v as Record<string, unknown>)[k] === 'function'),
  'logger must implement Logger (common/logger.ts)',
);

export const schedulerClientOptionsSchema = z.object({
  /**
   * Base URLs of the masters (`http://host:5050`), tried in turn (a non-leader
   * redirects to the leader); or one `zk://[user:pass@]host:port[,…]/path`:
   * the leader is then read from ZooKeeper and followed (mesos/leader/).
   */
  masters: mastersSchema,
  /** Finds the leader for a zk:// master (default: a ZooKeeper detector the client creates and closes). */
  leaderDetector: detectorSchema.optional(),
  /** With a detector: how long SUBSCRIBE waits for a leader to be known before failing with the detector's reason. */
  leaderWaitMs: z.number().int().positive().default(10_000),
  /** With zk://: the ZooKeeper session timeout the client asks for (Mesos's default --zk_session_timeout). */
  zkSessionTimeoutMs: z.number().int().positive().default(10_000),
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

export interface SchedulerClientConfig extends Omit<z.output<typeof schedulerClientOptionsSchema>, 'logger' | 'principal' | 'secret' | 'masters'> {
  /** Origins of the configured master URLs; empty with zk://. */
  masters: string[];
  /** The ZooKeeper address, when masters was a zk:// one. */
  zk: ZkMasterSpec | undefined;
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
  const { logger, principal, secret, masters: given, ...rest } = parsed.data;
  const spec = parseMesosMaster(given.join(','));
  // Only the origin is kept: the scheduler endpoint path is fixed by Mesos.
  const masters = spec.kind === 'urls' ? [...new Set(spec.urls.map((u) => new URL(u).origin))] : [];
  const zk = spec.kind === 'zk' ? spec : undefined;
  if ((principal === undefined) !== (secret === undefined)) {
    throw new SchedulerClientConfigError(['principal and secret must be given together']);
  }
  const authorization = principal !== undefined ? `Basic ${Buffer.from(`${principal}:${secret ?? ''}`, 'utf8').toString('base64')}` : undefined;
  return { ...rest, masters, zk, logger: logger ?? silentLogger, authorization };
}
