// `mesoflow start` (and `npm start`): the whole local stack in one process,
// until Ctrl-C.
import type { Command } from 'commander';
import { startLocalStack } from '../../stack/start-stack.js';
import { describeMesosMasters } from '../../mesos/master-address.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run mesoflow locally: Temporal dev server (unless TEMPORAL_ADDRESS), devcluster (unless MESOS_MASTER), worker and HTTP API (PORT, default 8080)')
    .action(async () => {
      const say = (line: string) => process.stdout.write(`${line}\n`);
      const stack = await startLocalStack({ say });
      say('');
      say('mesoflow is up');
      say(`  API:             ${stack.apiUrl}`);
      say(`  API docs:        ${stack.docsUrl}`);
      if (stack.temporalUiUrl) say(`  Temporal Web UI: ${stack.temporalUiUrl}`);
      say(`  Temporal:        ${stack.temporalAddress} (namespace ${stack.namespace})`);
      say(`  Mesos master:    ${describeMesosMasters(stack.masterUrls)}${stack.devcluster ? ' (devcluster)' : ''}`);
      say('');
      say(`Try:  curl -s -X POST ${stack.apiUrl}/v1/jobs -H 'content-type: application/json' -d '{"command":"echo hello"}'`);
      say(`      npx mesoflow run --api ${stack.apiUrl} -- echo hello`);
      say('Ctrl-C stops everything.');
      await new Promise<void>((resolveStop) => {
        let signals = 0;
        const onSignal = (sig: NodeJS.Signals) => {
          signals++;
          if (signals > 1) {
            process.stderr.write(`second ${sig}: exiting now\n`);
            process.exit(130);
          }
          say('stopping mesoflow…');
          stack.stop().then(
            () => resolveStop(),
            (err: unknown) => {
              process.stderr.write(`stopping failed: ${String(err)}\n`);
              process.exit(1);
            },
          );
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      say('stopped');
      process.exit(0);
    });
}
