// THE table of mesoflow's settings: every environment variable any mesoflow
// process reads, with its parser (what is allowed), its default, whether it
// is a secret, what it means and which processes use it. Loading
// (config/load.ts), `mesoflow config` and the README's configuration table
// (scripts/config-table.ts) all come from here, so they cannot drift.
import { userInfo } from 'node:os';
import { boolean, hostPort, httpUrl, list, mesosMasters, number, oneOf, pattern, pem, port, readableFile, text, type Parser } from './parsers.js';

/** The processes: `mesoflow api`, `mesoflow worker`, `mesoflow start` (all in one), the client commands (`run`, `status`, …). */
export const roles = ['api', 'worker', 'start', 'cli'] as const;
export type Role = (typeof roles)[number];

export interface SettingDef<T, D extends T | undefined = T | undefined> {
  parser: Parser<T>;
  default: D;
  /** The default as the README shows it (when the value alone would not say it). */
  defaultDoc?: string;
  secret: boolean;
  roles: readonly Role[];
  description: string;
}

function def<T, D extends T | undefined>(d: SettingDef<T, D>): SettingDef<T, D> {
  return d;
}

/**
 * Tasks never run as root by default: as root, the default framework user
 * is `nobody`; `MESOFLOW_FRAMEWORK_USER=root` is an explicit choice.
 */
export function defaultFrameworkUser(): string {
  try {
    const name = userInfo().username;
    return name && name !== 'root' ? name : 'nobody';
  } catch {
    return 'nobody';
  }
}

const servers: readonly Role[] = ['api', 'worker', 'start'];
const workers: readonly Role[] = ['worker', 'start'];
const apis: readonly Role[] = ['api', 'start'];
const frameworkName = pattern(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-"');
const logLevel = oneOf(['debug', 'info', 'warn', 'error'] as const);

export const settingDefs = {
  // The HTTP API.
  PORT: def({ parser: port, default: 8080, secret: false, roles: apis, description: 'API port' }),
  MESOFLOW_API_HOST: def({
    parser: text('a host name or IP address'),
    default: '127.0.0.1',
    secret: false,
    roles: apis,
    description: 'API listen address; a non-loopback one needs a token (or `MESOFLOW_API_ALLOW_UNAUTHENTICATED`)',
  }),
  MESOFLOW_API_TOKEN: def({
    parser: pattern(/^\S+$/, 'a token without spaces'),
    default: undefined,
    defaultDoc: 'unset',
    secret: true,
    roles: [...apis, 'cli'],
    description: 'bearer token every `/v1` route requires (health, metrics and docs stay open); the client commands send it',
  }),
  MESOFLOW_API_TOKEN_FILE: def({
    parser: readableFile,
    default: undefined,
    defaultDoc: 'unset',
    secret: false,
    roles: [...apis, 'cli'],
    description: 'read the API token from this file instead (trailing newline ignored)',
  }),
  MESOFLOW_API_ALLOW_UNAUTHENTICATED: def({
    parser: boolean,
    default: false,
    secret: false,
    roles: apis,
    description: 'let the API listen on a non-loopback address without a token (warned about at every start)',
  }),
  MESOFLOW_API: def({ parser: httpUrl, default: 'http://127.0.0.1:8080', secret: false, roles: ['cli'], description: 'the API the client commands talk to (or `--api`)' }),

  // The Temporal connection (the variables of Temporal's own tools; see "Temporal connection").
  TEMPORAL_ADDRESS: def({
    parser: hostPort,
    default: undefined,
    defaultDoc: '`127.0.0.1:7233`; `start`: runs a dev server',
    secret: false,
    roles: [...servers],
    description: 'Temporal frontend',
  }),
  TEMPORAL_NAMESPACE: def({ parser: pattern(/^\S+$/, 'a namespace name'), default: undefined, defaultDoc: '`default`', secret: false, roles: servers, description: 'Temporal namespace' }),
  TEMPORAL_API_KEY: def({ parser: pattern(/^\S+$/, 'a key without spaces'), default: undefined, defaultDoc: 'unset', secret: true, roles: servers, description: 'API key (Temporal Cloud); turns TLS on' }),
  TEMPORAL_TLS: def({ parser: boolean, default: undefined, defaultDoc: 'on with any TLS setting or an API key', secret: false, roles: servers, description: 'TLS to Temporal on/off' }),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: def({ parser: readableFile, default: undefined, defaultDoc: 'system CAs', secret: false, roles: servers, description: 'PEM CA that signed the server certificate' }),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: def({ parser: pem, default: undefined, defaultDoc: 'unset', secret: false, roles: servers, description: 'the same, as PEM text' }),
  TEMPORAL_TLS_SERVER_NAME: def({ parser: text('a host name'), default: undefined, defaultDoc: 'the address\'s host', secret: false, roles: servers, description: 'name to verify the server certificate against (SNI)' }),
  TEMPORAL_TLS_CLIENT_CERT_PATH: def({ parser: readableFile, default: undefined, defaultDoc: 'unset', secret: false, roles: servers, description: 'mTLS client certificate (PEM); needs the key' }),
  TEMPORAL_TLS_CLIENT_CERT_DATA: def({ parser: pem, default: undefined, defaultDoc: 'unset', secret: false, roles: servers, description: 'the same, as PEM text' }),
  TEMPORAL_TLS_CLIENT_KEY_PATH: def({ parser: readableFile, default: undefined, defaultDoc: 'unset', secret: false, roles: servers, description: 'mTLS client key (PEM)' }),
  TEMPORAL_TLS_CLIENT_KEY_DATA: def({ parser: pem, default: undefined, defaultDoc: 'unset', secret: true, roles: servers, description: 'the same, as PEM text' }),
  TEMPORAL_PROFILE: def({ parser: pattern(/^\S+$/, 'a profile name'), default: undefined, defaultDoc: '`default`', secret: false, roles: servers, description: 'profile of the Temporal config file to use (environment variables override it)' }),
  TEMPORAL_CONFIG_FILE: def({
    parser: readableFile,
    default: undefined,
    defaultDoc: '`~/.config/temporalio/temporal.toml`',
    secret: false,
    roles: servers,
    description: 'the Temporal CLI\'s TOML config file with the profiles',
  }),
  MESOFLOW_TEMPORAL_UI_URL: def({ parser: httpUrl, default: undefined, defaultDoc: 'the dev server\'s under `start`', secret: false, roles: apis, description: 'Web UI base URL for job links' }),
  MESOFLOW_TEMPORAL_LOG_LEVEL: def({ parser: oneOf(['DEBUG', 'INFO', 'WARN', 'ERROR'] as const), default: 'ERROR', secret: false, roles: workers, description: 'Temporal SDK log level' }),

  // Mesos.
  MESOS_MASTER: def({
    parser: mesosMasters,
    default: undefined,
    defaultDoc: 'required; `start`: runs the devcluster',
    secret: false,
    roles: servers,
    description: 'Mesos masters: `http://host:5050[,…]`, or one `zk://[user:pass@]host:2181[,…]/mesos` as for Mesos\'s `--master` (see "Finding the leading master"; the password is masked in logs and `mesoflow config`)',
  }),
  MESOS_PRINCIPAL: def({ parser: pattern(/^\S+$/, 'a principal without spaces'), default: undefined, defaultDoc: 'unset', secret: false, roles: servers, description: 'Mesos HTTP basic auth principal (with a secret)' }),
  MESOS_SECRET: def({ parser: text('any text'), default: undefined, defaultDoc: 'unset', secret: true, roles: servers, description: 'its secret' }),
  MESOS_SECRET_FILE: def({ parser: readableFile, default: undefined, defaultDoc: 'unset', secret: false, roles: servers, description: 'read the secret from this file instead' }),
  MESOS_CA_FILE: def({ parser: readableFile, default: undefined, defaultDoc: 'system CAs', secret: false, roles: servers, description: 'PEM CA for `https://` masters' }),
  MESOS_CERT_FILE: def({ parser: readableFile, default: undefined, defaultDoc: 'unset', secret: false, roles: servers, description: 'PEM client certificate for `https://` masters (with the key)' }),
  MESOS_KEY_FILE: def({ parser: readableFile, default: undefined, defaultDoc: 'unset', secret: false, roles: servers, description: 'its PEM key' }),

  // The framework and its session.
  MESOFLOW_FRAMEWORK_NAME: def({ parser: frameworkName, default: 'mesoflow', secret: false, roles: servers, description: 'Mesos framework name (one session per name)' }),
  MESOFLOW_FRAMEWORK_USER: def({
    parser: pattern(/^[A-Za-z0-9._-]+$/, 'a user name'),
    default: undefined,
    defaultDoc: 'the current user; `nobody` when that is root',
    secret: false,
    roles: workers,
    description: 'user tasks run as (`root` only when set so)',
  }),
  MESOFLOW_TASK_QUEUE: def({ parser: pattern(/^\S+$/, 'a task queue name'), default: 'mesoflow', secret: false, roles: servers, description: 'Temporal task queue of the job workflows' }),
  MESOFLOW_ROLES: def({ parser: list(pattern(/^[^\s/]+$/, 'a role'), 'comma-separated role names'), default: ['*'], defaultDoc: '`*`', secret: false, roles: workers, description: 'comma-separated Mesos roles' }),
  MESOFLOW_FAILOVER_TIMEOUT: def({ parser: number({ min: 1, unit: 'seconds' }), default: 604800, secret: false, roles: workers, description: 'seconds Mesos keeps the framework\'s tasks without a scheduler' }),
  MESOFLOW_SESSION_HEARTBEAT_TIMEOUT: def({ parser: number({ min: 1, unit: 'seconds' }), default: 20, secret: false, roles: workers, description: 'seconds before a dead session holder is replaced' }),
  MESOFLOW_DECLINE_REFUSE_SECONDS: def({ parser: number({ min: 0, unit: 'seconds' }), default: 30, defaultDoc: '`30` (`2` with the devcluster under `start`)', secret: false, roles: workers, description: 'refuse filter on declined offers' }),
  MESOFLOW_LEASE_TIMEOUT_MS: def({ parser: number({ min: 1, unit: 'ms' }), default: 5000, secret: false, roles: workers, description: 'how long a job may hold a leased offer' }),
  MESOFLOW_BATCH_WINDOW_MS: def({ parser: number({ min: 1, unit: 'ms' }), default: 200, secret: false, roles: workers, description: 'how long an ACCEPT waits for more launches on its offer' }),
  MESOFLOW_GATHER_QUIET_MS: def({ parser: number({ min: 0, unit: 'ms' }), default: 100, secret: false, roles: workers, description: 'while jobs keep arriving, an ACCEPT waits for a quiet gap this long to pack more launches' }),
  MESOFLOW_GATHER_MAX_MS: def({ parser: number({ min: 0, unit: 'ms' }), default: 500, secret: false, roles: workers, description: 'the longest an ACCEPT (or an offer nobody fits yet) waits for arriving jobs' }),
  MESOFLOW_RECONCILE_INTERVAL: def({ parser: number({ min: 1, unit: 'seconds' }), default: 900, secret: false, roles: workers, description: 'seconds between full reconciliations' }),
  MESOFLOW_PARTITION_AWARE: def({ parser: boolean, default: true, secret: false, roles: workers, description: 'subscribe with the PARTITION_AWARE capability' }),
  MESOFLOW_MAX_CACHED_WORKFLOWS: def({
    parser: number({ min: 1, integer: true }),
    default: 100,
    secret: false,
    roles: workers,
    description: 'workflows the worker keeps in memory between their steps (about 0.2 MB each; an evicted job replays its short history at its next step)',
  }),
  MESOFLOW_HEAP_GROWING_PERCENT: def({
    parser: number({ min: 0, max: 300, integer: true }),
    default: 30,
    secret: false,
    roles: workers,
    description: 'how far (in percent) the worker process lets its JavaScript heap grow past what is live before a full collection; 0 keeps V8\'s own policy',
  }),
  MESOFLOW_HOST_SESSION: def({ parser: boolean, default: true, secret: false, roles: workers, description: 'whether this worker may hold the framework session' }),
  MESOFLOW_SHUTDOWN_GRACE: def({
    parser: number({ min: 0, unit: 'seconds' }),
    default: 10,
    secret: false,
    roles: servers,
    description: 'on SIGTERM/SIGINT, seconds in-flight activities and requests get to finish',
  }),

  // `mesoflow start` only.
  MESOFLOW_DATA_DIR: def({ parser: text('a directory path'), default: '.mesoflow', defaultDoc: '`./.mesoflow`', secret: false, roles: ['start'], description: 'where `start` keeps the Temporal database and the devcluster sandboxes' }),
  MESOFLOW_TEMPORAL_PORT: def({ parser: port, default: 7233, secret: false, roles: ['start'], description: 'gRPC port of the dev server `start` runs' }),
  MESOFLOW_TEMPORAL_UI_PORT: def({ parser: port, default: 8233, secret: false, roles: ['start'], description: 'its Web UI port' }),
  MESOFLOW_DEVCLUSTER_HOST: def({ parser: text('a host name or IP address'), default: '127.0.0.1', secret: false, roles: ['start'], description: 'devcluster master address' }),
  MESOFLOW_DEVCLUSTER_PORT: def({ parser: port, default: 5050, secret: false, roles: ['start'], description: 'devcluster master port' }),
  MESOFLOW_DEVCLUSTER_RESOURCES: def({
    parser: text('Mesos resource syntax'),
    default: undefined,
    defaultDoc: 'this machine\'s',
    secret: false,
    roles: ['start'],
    description: 'the devcluster agent\'s resources (`cpus:4;mem:8192;ports:[31000-32000]`)',
  }),
  TEMPORAL_CLI: def({ parser: readableFile, default: undefined, defaultDoc: 'found or installed', secret: false, roles: ['start'], description: 'the Temporal CLI binary to run the dev server with' }),
  MESOFLOW_TOOLS_DIR: def({ parser: text('a directory path'), default: undefined, defaultDoc: '`./.mesoflow/tools`', secret: false, roles: ['start'], description: 'where a missing Temporal CLI is installed' }),

  // Every process.
  MESOFLOW_DEBUG: def({ parser: boolean, default: false, secret: false, roles: ['cli'], description: 'print stack traces of CLI errors' }),
  MESOFLOW_LOG_LEVEL: def({ parser: logLevel, default: 'info', defaultDoc: '`info` (`warn` under `start`)', secret: false, roles: [...servers, 'cli'], description: 'log level; logs are JSON lines on stderr' }),
} as const;

export type SettingName = keyof typeof settingDefs;
type ValueOf<D> = D extends SettingDef<infer T, infer Def> ? (Def extends undefined ? T | undefined : T) : never;
/** The effective value of every setting (defaults applied). */
export type Settings = { -readonly [K in SettingName]: ValueOf<(typeof settingDefs)[K]> };

export const settingNames = Object.keys(settingDefs) as SettingName[];
