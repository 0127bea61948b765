// `mesoflow start` (and `npm start`): the whole local stack in one process,
// until Ctrl-C (one Ctrl-C, even when npm delivers it twice, stops it
// gracefully; a second one later forces the exit).
import type { Command } from 'commander';
import { handleShutdownSignals } from '../../common/shutdown-signals.js';
import { redactCredentials } from '../../config/load.js';
import type { LocalStack } from '../../stack/start-stack.js';
import { startupFailure } from '../process-startup.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run mesoflow locally: Temporal dev server (unless TEMPORAL_ADDRESS), devcluster (unless MESOS_MASTER), worker and HTTP API (PORT, default 8080)')
    .action(async () => {
      const say = (line: string) => process.stdout.write(`${line}\n`);
      let stack: LocalStack;
      try {
        const { startLocalStack } = await import('../../stack/start-stack.js');
        stack = await startLocalStack({ say });
      } catch (err) {
        const f = startupFailure(err);
        if (!f) throw err;
        process.stderr.write(`mesoflow start: ${f.line}\n`);
        process.exit(f.code);
      }
      say('');
      say('mesoflow is up');
      say(`  API:             ${stack.apiUrl}`);
      say(`  API docs:        ${stack.docsUrl}`);
      if (stack.temporalUiUrl) say(`  Temporal Web UI: ${stack.temporalUiUrl}`);
      say(`  Temporal:        ${stack.temporalAddress} (namespace ${stack.namespace})`);
      // zk://user:password@… and http://user:password@… both masked.
      say(`  Mesos master:    ${stack.masterUrls.map(redactCredentials).join(', ')}${stack.devcluster ? ' (devcluster)' : ''}`);
      say('');
      say(`Try:  curl -s -X POST ${stack.apiUrl}/v1/jobs -H 'content-type: application/json' -d '{"command":"echo hello"}'`);
      say(`      npx mesoflow run --api ${stack.apiUrl} -- echo hello`);
      say('Ctrl-C stops everything.');
      const running = stack;
      handleShutdownSignals({
        stop: async () => {
          say('stopping mesoflow…');
          await running.stop();
          say('stopped');
        },
        log: (msg) => process.stderr.write(`${msg}\n`),
        hardTimeoutMs: 60_000,
      });
    });
}
