// `mesoflow config [--for api|worker|start|cli]`: checks the environment the
// way that process would at its start and prints its effective settings,
// secrets masked. A wrong setting is the same one line (exit code 2).
import { Option, type Command } from 'commander';
import { roles, type Role } from '../../config/definitions.js';
import { effectiveConfigLines } from '../../config/describe.js';
import { loadConfig } from '../../config/load.js';
import { temporalTarget } from '../../config/temporal-connection.js';
import { startupFailure } from '../process-startup.js';

export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('Print the effective configuration of a process (secrets masked); exits 2 on a wrong setting')
    .addOption(new Option('--for <process>', 'the process whose settings to check').choices([...roles]).default('start'))
    .action((opts: { for: Role }) => {
      try {
        const loaded = loadConfig(process.env, opts.for);
        const lines = effectiveConfigLines(loaded, temporalTarget(process.env));
        process.stdout.write(`${lines.join('\n')}\n`);
      } catch (err) {
        const f = startupFailure(err);
        if (!f) throw err;
        process.stderr.write(`mesoflow config: ${f.line}\n`);
        process.exit(f.code);
      }
    });
}
