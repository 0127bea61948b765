// `mesoflow api` and `mesoflow worker`: the two processes of a deployment,
// each alone (see `mesoflow start` for all of it in one local process).
// The Temporal SDK is imported only by the command that runs: the other
// commands (and a wrong setting's one line) start in a fraction of the time.
import type { Command } from 'commander';
import { runProcess } from '../process-startup.js';

export function registerServeCommands(program: Command): void {
  program
    .command('api')
    .description('Run the HTTP API alone (PORT, MESOFLOW_API_HOST; Temporal from TEMPORAL_*; see `mesoflow config`)')
    .action(() =>
      runProcess('api', async (loaded, temporal, logger) => {
        const { startApiProcess } = await import('../../api/start-api.js');
        return startApiProcess(loaded, temporal, logger);
      }),
    );
  program
    .command('worker')
    .description('Run a worker alone: job workflows and, when it holds it, the framework session (MESOS_MASTER required)')
    .action(() => runWorkerProcess());
}

export function runWorkerProcess(): Promise<void> {
  return runProcess('worker', async (loaded, temporal, logger) => {
    for (const w of loaded.warnings) logger.warn(w);
    const [{ workerConfigFromLoaded }, { startWorker }] = await Promise.all([import('../../worker/config.js'), import('../../worker/start-worker.js')]);
    const worker = await startWorker(workerConfigFromLoaded(loaded, temporal), { logger });
    // A worker that dies on its own (e.g. Temporal gone for good) ends the process.
    worker.done.catch((err: unknown) => {
      logger.error('worker failed', { err });
      process.exit(1);
    });
    return worker;
  });
}
