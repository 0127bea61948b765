// The worker's configuration, compiled once from the environment (or given
// directly by tests) into a defaulted, validated object.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { z } from 'zod';

const positive = z.coerce.number().positive();

function defaultUser(): string {
  try {
    return userInfo().username || 'root';
  } catch {
    return 'root';
  }
}

export const workerConfigSchema = z.strictObject({
  temporalAddress: z.string().min(1).default('127.0.0.1:7233'),
  temporalNamespace: z.string().min(1).default('default'),
  /** Task queue of job and session workflows (and of ensureSession/holdSession). */
  taskQueue: z.string().min(1).default('mesoflow'),
  masters: z.array(z.url()).min(1),
  frameworkName: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only').default('mesoflow'),
  frameworkUser: z.string().min(1).default(defaultUser()),
  roles: z.array(z.string().min(1)).min(1).default(['*']),
  principal: z.string().min(1).optional(),
  secret: z.string().optional(),
  /** PEM of a CA to trust for https:// masters. */
  tlsCa: z.string().optional(),
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
  maxCachedWorkflows: z.int().positive().default(2000),
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
  if ((r.data.principal === undefined) !== (r.data.secret === undefined)) throw new WorkerConfigError(['MESOS_PRINCIPAL and MESOS_SECRET must be set together']);
  return r.data;
}

const envNames: Record<string, keyof WorkerConfigInput> = {
  TEMPORAL_ADDRESS: 'temporalAddress',
  TEMPORAL_NAMESPACE: 'temporalNamespace',
  MESOFLOW_TASK_QUEUE: 'taskQueue',
  MESOFLOW_FRAMEWORK_NAME: 'frameworkName',
  MESOFLOW_FRAMEWORK_USER: 'frameworkUser',
  MESOS_PRINCIPAL: 'principal',
  MESOS_SECRET: 'secret',
  MESOFLOW_FAILOVER_TIMEOUT: 'failoverTimeoutSeconds',
  MESOFLOW_SESSION_HEARTBEAT_TIMEOUT: 'sessionHeartbeatTimeoutSeconds',
  MESOFLOW_DECLINE_REFUSE_SECONDS: 'declineRefuseSeconds',
  MESOFLOW_LEASE_TIMEOUT_MS: 'leaseTimeoutMs',
  MESOFLOW_BATCH_WINDOW_MS: 'batchWindowMs',
  MESOFLOW_GATHER_QUIET_MS: 'gatherQuietMs',
  MESOFLOW_GATHER_MAX_MS: 'gatherMaxMs',
  MESOFLOW_RECONCILE_INTERVAL: 'reconcileIntervalSeconds',
};

/** Reads the environment variables listed in the README; unset ones take their defaults. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const input: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(envNames)) {
    const v = env[name];
    if (v !== undefined && v !== '') input[key] = v;
  }
  const masters = env.MESOS_MASTER;
  if (masters) input.masters = masters.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (env.MESOFLOW_ROLES) input.roles = env.MESOFLOW_ROLES.split(',').map((r) => r.trim());
  if (env.MESOFLOW_PARTITION_AWARE) input.partitionAware = env.MESOFLOW_PARTITION_AWARE !== 'false';
  if (env.MESOFLOW_HOST_SESSION) input.hostSession = env.MESOFLOW_HOST_SESSION !== 'false';
  if (env.MESOS_CA_FILE) input.tlsCa = readFileSync(env.MESOS_CA_FILE, 'utf8');
  return compileWorkerConfig(input as WorkerConfigInput);
}
