// The worker process: `node --import tsx worker/main.ts`, configured from the
// environment (see worker/config.ts). SIGINT/SIGTERM stop it gracefully: the
// framework session is released first so another worker can take it over.
import { createLogger } from '../common/logger.js';
import { workerConfigFromEnv } from './config.js';
import { startWorker } from './start-worker.js';

const logger = createLogger({ bindings: { process: 'mesoflow-worker', pid: process.pid } });

try {
  const config = workerConfigFromEnv();
  const worker = await startWorker(config, { logger });
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      logger.warn('second signal: exiting now', { signal: sig });
      process.exit(130);
    }
    logger.info('shutting down', { signal: sig });
    worker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await worker.done;
} catch (err) {
  logger.error('worker failed', { err });
  process.exit(1);
}
