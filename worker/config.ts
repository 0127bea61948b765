// The worker's configuration: built from the settings table (config/) for the
// processes, or given directly by tests, and compiled into a defaulted,
// validated object.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defaultFrameworkUser } from '../config/definitions.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { DEFAULT_TEMPORAL_ADDRESS, temporalTarget, type TemporalTarget } from '../config/temporal-connection.js';
import { MesosMasterSpecError, parseMesosMaster } from '../mesos/master-address.js';

const positive = z.coerce.number().positive();

/** TLS, API key and gRPC metadata of the Temporal connection (config/temporal-connection.ts). */
const temporalConnectionSchema = z.custom<TemporalTarget['connection']>((v) => typeof v === 'object' && v !== null);

export const workerConfigSchema = z.strictObject({
  temporalAddress: z.string().min(1).default('127.0.0.1:7233'),
  temporalNamespace: z.string().min(1).default('default'),
  temporalConnection: temporalConnectionSchema.optional(),
  /** Task queue of job and session workflows (and of ensureSession/holdSession). */
  taskQueue: z.string().min(1).default('mesoflow'),
  /** Master URLs, or one `zk://host:2181/path` (MESOS_MASTER, parsed by mesos/master-address.ts). */
  masters: z
    .array(z.string().min(1))
    .min(1)
    .superRefine((list, ctx) => {
      try {
        parseMesosMaster(list.join(','));
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof MesosMasterSpecError ? err.problem : String(err) });
      }
    }),
  frameworkName: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only').default('mesoflow'),
  frameworkUser: z.string().min(1).default(defaultFrameworkUser()),
  roles: z.array(z.string().min(1)).min(1).default(['*']),
  principal: z.string().min(1).optional(),
  secret: z.string().optional(),
  /** PEM of a CA to trust for https:// masters. */
  tlsCa: z.string().optional(),
  /** PEM client certificate and key presented to https:// masters; both or neither. */
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  /** Seconds Mesos keeps the framework (and its tasks) while no scheduler is subscribed. */
  failoverTimeoutSeconds: positive.default(7 * 24 * 3600),
  partitionAware: z.boolean().default(true),
  /** How fast a dead session holder is noticed (heartbeat timeout of holdSession). */
  sessionHeartbeatTimeoutSeconds: positive.default(20),
  declineRefuseSeconds: z.coerce.number().nonnegative().default(30),
  leaseTimeoutMs: positive.default(5000),
  /** After the first launch of an offer came in, how long the others may take before the ACCEPT goes out without them. */
  batchWindowMs: positive.default(200),
  /** While jobs keep arriving, a held offer's ACCEPT waits until none arrived for this long (packs a burst into few ACCEPTs)... */
  gatherQuietMs: z.coerce.number().nonnegative().default(100),
  /** ...but at most this long after its first lease; also how long an offer nobody fits is kept while jobs are on their way. */
  gatherMaxMs: z.coerce.number().nonnegative().default(500),
  /** How long the session waits for the master's answer about one task (a retried launch). */
  probeTimeoutMs: positive.default(5000),
  /** How long a kill or reconcile waits for the session to be subscribed. */
  subscribedWaitMs: positive.default(15_000),
  suppressDelayMs: z.coerce.number().nonnegative().default(2000),
  reconcileIntervalSeconds: positive.default(15 * 60),
  heartbeatMissLimit: positive.default(5),
  requestTimeoutMs: positive.default(75_000),
  /** Also serve as a session holder (false: only run workflows). */
  hostSession: z.boolean().default(true),
  maxConcurrentActivities: z.int().positive().default(2000),
  /** About 0.2-0.3 MB each (measured: 3,000 waiting jobs took 891 MB with 2,000 cached, 545 MB with 250; the 10,000-job backlog peaked at 422 MB with 250). */
  maxCachedWorkflows: z.int().positive().default(100),
  /** V8 heap growth past the live set, in percent (worker/heap-growth.ts); 0 keeps V8's own policy. */
  heapGrowingPercent: z.int().min(0).max(300).default(30),
  /** On stop, how long in-flight activities get to finish before they are cancelled. */
  shutdownGraceSeconds: z.coerce.number().nonnegative().default(10),
});

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
export type WorkerConfigInput = z.input<typeof workerConfigSchema>;

export class WorkerConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid worker configuration: ${issues.join('; ')}`);
    this.name = 'WorkerConfigError';
  }
}

export function compileWorkerConfig(input: WorkerConfigInput): WorkerConfig {
  const r = workerConfigSchema.safeParse(input);
  if (!r.success) throw new WorkerConfigError(r.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  if ((r.data.principal === undefined) !== (r.data.secret === undefined)) throw new WorkerConfigError(['MESOS_PRINCIPAL and MESOS_SECRET (or MESOS_SECRET_FILE) must be set together']);
  if ((r.data.tlsCert === undefined) !== (r.data.tlsKey === undefined)) throw new WorkerConfigError(['MESOS_CERT_FILE and MESOS_KEY_FILE must be set together']);
  return r.data;
}

export type MesosConnectionSettings = Pick<WorkerConfig, 'principal' | 'secret' | 'tlsCa' | 'tlsCert' | 'tlsKey'>;

/**
 * How to reach the Mesos masters (and, for log reads, the agents): basic auth
 * (the secret loadConfig read from MESOS_SECRET or MESOS_SECRET_FILE) and the
 * PEM files, read here once per process (loadConfig checked they are
 * readable). The worker's scheduler client and the API's log reads both take
 * them from here.
 */
export function mesosConnectionFromLoaded(loaded: LoadedConfig): MesosConnectionSettings {
  const s = loaded.settings;
  const read = (variable: string, path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new WorkerConfigError([`${variable}=${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
    }
  };
  return {
    ...(s.MESOS_PRINCIPAL !== undefined ? { principal: s.MESOS_PRINCIPAL, secret: loaded.mesosSecret ?? '' } : {}),
    ...(s.MESOS_CA_FILE !== undefined ? { tlsCa: read('MESOS_CA_FILE', s.MESOS_CA_FILE) } : {}),
    ...(s.MESOS_CERT_FILE !== undefined ? { tlsCert: read('MESOS_CERT_FILE', s.MESOS_CERT_FILE) } : {}),
    ...(s.MESOS_KEY_FILE !== undefined ? { tlsKey: read('MESOS_KEY_FILE', s.MESOS_KEY_FILE) } : {}),
  };
}

/** The worker's part of the settings (already validated by loadConfig). */
export function workerConfigFromLoaded(loaded: LoadedConfig, temporal: TemporalTarget): WorkerConfig {
  const s = loaded.settings;
  return compileWorkerConfig({
    temporalAddress: temporal.address ?? DEFAULT_TEMPORAL_ADDRESS,
    temporalNamespace: temporal.namespace,
    temporalConnection: temporal.connection,
    taskQueue: s.MESOFLOW_TASK_QUEUE,
    masters: s.MESOS_MASTER ?? [],
    frameworkName: s.MESOFLOW_FRAMEWORK_NAME,
    frameworkUser: s.MESOFLOW_FRAMEWORK_USER ?? defaultFrameworkUser(),
    roles: s.MESOFLOW_ROLES,
    ...mesosConnectionFromLoaded(loaded),
    failoverTimeoutSeconds: s.MESOFLOW_FAILOVER_TIMEOUT,
    partitionAware: s.MESOFLOW_PARTITION_AWARE,
    sessionHeartbeatTimeoutSeconds: s.MESOFLOW_SESSION_HEARTBEAT_TIMEOUT,
    declineRefuseSeconds: s.MESOFLOW_DECLINE_REFUSE_SECONDS,
    leaseTimeoutMs: s.MESOFLOW_LEASE_TIMEOUT_MS,
    batchWindowMs: s.MESOFLOW_BATCH_WINDOW_MS,
    gatherQuietMs: s.MESOFLOW_GATHER_QUIET_MS,
    gatherMaxMs: s.MESOFLOW_GATHER_MAX_MS,
    reconcileIntervalSeconds: s.MESOFLOW_RECONCILE_INTERVAL,
    hostSession: s.MESOFLOW_HOST_SESSION,
    shutdownGraceSeconds: s.MESOFLOW_SHUTDOWN_GRACE,
    maxCachedWorkflows: s.MESOFLOW_MAX_CACHED_WORKFLOWS,
    heapGrowingPercent: s.MESOFLOW_HEAP_GROWING_PERCENT,
  });
}

/** The worker's configuration from the environment (throws ConfigError naming the first wrong variable). */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return workerConfigFromLoaded(loadConfig(env, 'worker'), temporalTarget(env));
}

/** TLS options for https:// masters (scheduler client, API log reads): the CA to trust and the client certificate, when configured. */
export function mesosTlsOptions(config: Pick<WorkerConfig, 'tlsCa' | 'tlsCert' | 'tlsKey'>): { ca?: string; cert?: string; key?: string } | undefined {
  if (config.tlsCa === undefined && config.tlsCert === undefined) return undefined;
  return {
    ...(config.tlsCa !== undefined ? { ca: config.tlsCa } : {}),
    ...(config.tlsCert !== undefined && config.tlsKey !== undefined ? { cert: config.tlsCert, key: config.tlsKey } : {}),
  };
}
