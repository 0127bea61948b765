// The worker's configuration, compiled once from the environment (or given
// directly by tests) into a defaulted, validated object.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { MesosMasterSpecError, parseMesosMaster } from '../mesos/master-address.js';

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
  frameworkUser: z.string().min(1).default(defaultUser()),
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
  if ((r.data.principal === undefined) !== (r.data.secret === undefined)) throw new WorkerConfigError(['MESOS_PRINCIPAL and MESOS_SECRET (or MESOS_SECRET_FILE) must be set together']);
  if ((r.data.tlsCert === undefined) !== (r.data.tlsKey === undefined)) throw new WorkerConfigError(['MESOS_CERT_FILE and MESOS_KEY_FILE must be set together']);
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
  MESOFLOW_RECONCILE_INTERVAL: 'reconcileIntervalSeconds',
};

/** A file named by a variable; an unreadable one is a configuration error naming both (never the content). */
function readVariableFile(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new WorkerConfigError([`${variable}=${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
}

/** Reads the environment variables listed in the README; unset ones take their defaults. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const input: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(envNames)) {
    const v = env[name];
    if (v !== undefined && v !== '') input[key] = v;
  }
  if (env.MESOS_MASTER) input.masters = mesosMastersFromEnv(env.MESOS_MASTER);
  if (env.MESOFLOW_ROLES) input.roles = env.MESOFLOW_ROLES.split(',').map((r) => r.trim());
  if (env.MESOFLOW_PARTITION_AWARE) input.partitionAware = env.MESOFLOW_PARTITION_AWARE !== 'false';
  if (env.MESOFLOW_HOST_SESSION) input.hostSession = env.MESOFLOW_HOST_SESSION !== 'false';
  if (env.MESOS_SECRET_FILE) {
    if (env.MESOS_SECRET) throw new WorkerConfigError(['MESOS_SECRET and MESOS_SECRET_FILE: set one of them, not both']);
    // Files written by `echo` end in a newline that is not part of the secret.
    input.secret = readVariableFile('MESOS_SECRET_FILE', env.MESOS_SECRET_FILE).replace(/\r?\n$/, '');
  }
  if (env.MESOS_CA_FILE) input.tlsCa = readVariableFile('MESOS_CA_FILE', env.MESOS_CA_FILE);
  if (env.MESOS_CERT_FILE) input.tlsCert = readVariableFile('MESOS_CERT_FILE', env.MESOS_CERT_FILE);
  if (env.MESOS_KEY_FILE) input.tlsKey = readVariableFile('MESOS_KEY_FILE', env.MESOS_KEY_FILE);
  return compileWorkerConfig(input as WorkerConfigInput);
}

/** MESOS_MASTER as the `masters` list: its URLs, or the one zk:// address (whose host list has commas of its own). */
export function mesosMastersFromEnv(value: string): string[] {
  let spec;
  try {
    spec = parseMesosMaster(value);
  } catch (err) {
    if (err instanceof MesosMasterSpecError) throw new WorkerConfigError([`MESOS_MASTER: ${err.problem}`]);
    throw err;
  }
  return spec.kind === 'urls' ? spec.urls : [value.trim()];
}

/** TLS options for https:// masters (scheduler client, API log reads): the CA to trust and the client certificate, when configured. */
export function mesosTlsOptions(config: Pick<WorkerConfig, 'tlsCa' | 'tlsCert' | 'tlsKey'>): { ca?: string; cert?: string; key?: string } | undefined {
  if (config.tlsCa === undefined && config.tlsCert === undefined) return undefined;
  return {
    ...(config.tlsCa !== undefined ? { ca: config.tlsCa } : {}),
    ...(config.tlsCert !== undefined && config.tlsKey !== undefined ? { cert: config.tlsCert, key: config.tlsKey } : {}),
  };
}
