// The `mesoflow` command line. Subcommands: `devcluster` (an embedded Mesos
// master with agents), `start`, `api`, `worker`, `config`, and the job
// commands; others are added by their components.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../common/logger.js';
import type { DevClusterOptions } from '../devcluster/index.js';
import { readCredentialsFile } from '../devcluster/security/credentials-file.js';
import { maskPassword } from '../mesos/master-address.js';
import { registerBatchCommands } from './commands/batches.js';
import { registerConfigCommand } from './commands/config.js';
import { registerJobCommands } from './commands/jobs.js';
import { registerScheduleCommands } from './commands/schedules.js';
import { registerServeCommands } from './commands/serve.js';
import { registerStartCommand } from './commands/start.js';
import { runCli } from './errors.js';

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}

interface DevClusterCliOptions {
  host: string;
  port: number;
  agents: number;
  resources?: string;
  attributes?: string;
  workDir?: string;
  followers: number;
  heartbeatInterval: number;
  authenticate_http_frameworks?: boolean;
  http_credentials?: string;
  credentials?: string;
  ssl_cert_file?: string;
  ssl_key_file?: string;
  ssl_ca_file?: string;
  ssl_require_cert?: boolean;
  zk?: string;
}

function readPem(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`${flag} ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** The devcluster's authentication and TLS options from Mesos-style flags; a wrong combination is a usage error. */
function devClusterSecurity(opts: DevClusterCliOptions): Pick<DevClusterOptions, 'credentials' | 'tls'> {
  const out: Pick<DevClusterOptions, 'credentials' | 'tls'> = {};
  const credentialsFlag = opts.http_credentials ?? opts.credentials;
  if (opts.authenticate_http_frameworks) {
    if (credentialsFlag === undefined) throw new Error('--authenticate_http_frameworks needs --http_credentials (or --credentials)');
    out.credentials = readCredentialsFile(credentialsFlag);
  }
  if ((opts.ssl_cert_file === undefined) !== (opts.ssl_key_file === undefined)) throw new Error('--ssl_cert_file and --ssl_key_file go together');
  if (opts.ssl_cert_file !== undefined && opts.ssl_key_file !== undefined) {
    if (opts.ssl_require_cert && opts.ssl_ca_file === undefined) throw new Error('--ssl_require_cert needs --ssl_ca_file');
    out.tls = {
      cert: readPem('--ssl_cert_file', opts.ssl_cert_file),
      key: readPem('--ssl_key_file', opts.ssl_key_file),
      ...(opts.ssl_ca_file !== undefined ? { ca: readPem('--ssl_ca_file', opts.ssl_ca_file) } : {}),
      requireClientCert: opts.ssl_require_cert === true,
    };
  } else if (opts.ssl_ca_file !== undefined || opts.ssl_require_cert) {
    throw new Error('--ssl_ca_file and --ssl_require_cert need --ssl_cert_file and --ssl_key_file');
  }
  return out;
}

export function buildProgram(): Command {
  const program = new Command('mesoflow').description('Durable Mesos jobs on Temporal');
  program
    .command('devcluster')
    .description('Run an embedded Mesos-compatible master with local agents (tasks run as local processes)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'master port', integer('--port', 0), 5050)
    .option('--agents <n>', 'number of agents', integer('--agents', 0), 1)
    .option('--resources <spec>', 'agent resources, Mesos syntax (e.g. "cpus:4;mem:8192;disk:10240;ports:[31000-32000]")')
    .option('--attributes <spec>', 'agent attributes, Mesos syntax (e.g. "rack:r1;zone:a")')
    .option('--work-dir <dir>', 'directory for the agents\' sandboxes (default: a temporary directory)')
    .option('--followers <n>', 'extra non-leading masters that redirect to the leader', integer('--followers', 0), 0)
    // Mesos's own flag names, so a devcluster command line reads like a master's.
    .option('--authenticate_http_frameworks', 'require HTTP basic auth of frameworks (credentials from --http_credentials)')
    .option('--http_credentials <path>', 'Mesos credentials file: {"credentials":[{"principal":"…","secret":"…"}]} (or "principal secret" lines)')
    .option('--credentials <path>', 'same as --http_credentials (Mesos reads this one for frameworks too)')
    .option('--ssl_cert_file <path>', 'serve the masters over HTTPS with this PEM certificate (Mesos: LIBPROCESS_SSL_CERT_FILE)')
    .option('--ssl_key_file <path>', 'PEM private key of --ssl_cert_file (Mesos: LIBPROCESS_SSL_KEY_FILE)')
    .option('--ssl_ca_file <path>', 'PEM CA that client certificates must chain to (Mesos: LIBPROCESS_SSL_CA_FILE)')
    .option('--ssl_require_cert', 'refuse clients without a certificate signed by --ssl_ca_file (Mesos: LIBPROCESS_SSL_REQUIRE_CERT)')
    .option('--heartbeat-interval <ms>', "the master's HEARTBEAT interval on framework streams (Mesos: 15000)", integer('--heartbeat-interval', 100), 15_000)
    .option('--zk <url>', 'register the masters in ZooKeeper as Mesos does (zk://host:2181/mesos); give mesoflow the same MESOS_MASTER')
    .action(async (opts: DevClusterCliOptions) => {
      const logger = createLogger().child({ component: 'mesoflow-devcluster' });
      const security = devClusterSecurity(opts);
      // Imported by the command that runs it: the other commands start faster without it.
      const { startDevCluster } = await import('../devcluster/index.js');
      const cluster = await startDevCluster({
        ...security,
        host: opts.host,
        port: opts.port,
        agents: opts.agents,
        followers: opts.followers,
        heartbeatIntervalMs: opts.heartbeatInterval,
        logger,
        ...(opts.resources !== undefined ? { resources: opts.resources } : {}),
        ...(opts.attributes !== undefined ? { attributes: opts.attributes } : {}),
        ...(opts.workDir !== undefined ? { workDir: opts.workDir } : {}),
        ...(opts.zk !== undefined ? { zk: opts.zk } : {}),
      });
      if (security.credentials !== undefined) process.stdout.write(`HTTP framework authentication on (${security.credentials.length} principal(s))\n`);
      process.stdout.write(`Mesos master (devcluster) at ${cluster.masterUrl}\n`);
      cluster.masterUrls.slice(1).forEach((u) => process.stdout.write(`non-leading master at ${u}\n`));
      for (const a of cluster.agents) process.stdout.write(`agent ${a.info.id} at ${a.info.url}\n`);
      if (opts.zk !== undefined) process.stdout.write(`masters registered in ZooKeeper at ${maskPassword(opts.zk)}\n`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info('stopping the devcluster', { signal });
        cluster.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error('devcluster stop failed', { err });
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
  registerStartCommand(program);
  registerServeCommands(program);
  registerConfigCommand(program);
  registerJobCommands(program);
  registerScheduleCommands(program);
  registerBatchCommands(program);
  return program;
}

await runCli(buildProgram(), process.argv);
