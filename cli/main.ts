// The `mesoflow` command line. Subcommands: `devcluster` (an embedded Mesos
// master with agents), `start`, `api`, `worker`, `config`, and the job
// commands; others are added by their components.
import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../common/logger.js';
import { registerJobCommands } from './commands/jobs.js';
import { registerConfigCommand } from './commands/config.js';
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
    .action(async (opts: { host: string; port: number; agents: number; resources?: string; attributes?: string; workDir?: string; followers: number }) => {
      const logger = createLogger().child({ component: 'mesoflow-devcluster' });
      const { startDevCluster } = await import('../devcluster/index.js');
      const cluster = await startDevCluster({
        host: opts.host,
        port: opts.port,
        agents: opts.agents,
        followers: opts.followers,
        logger,
        ...(opts.resources !== undefined ? { resources: opts.resources } : {}),
        ...(opts.attributes !== undefined ? { attributes: opts.attributes } : {}),
        ...(opts.workDir !== undefined ? { workDir: opts.workDir } : {}),
      });
      process.stdout.write(`Mesos master (devcluster) at ${cluster.masterUrl}\n`);
      cluster.masterUrls.slice(1).forEach((u) => process.stdout.write(`non-leading master at ${u}\n`));
      for (const a of cluster.agents) process.stdout.write(`agent ${a.info.id} at ${a.info.url}\n`);
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
  return program;
}

await runCli(buildProgram(), process.argv);
