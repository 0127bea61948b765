// How the CLI ends on an error: one line on stderr, no stack trace, and an
// exit code (commander's own for usage errors, 1 otherwise).
import { CommanderError, type Command } from 'commander';
import { CliError } from './api-client.js';

function overrideAll(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) overrideAll(sub);
}

/** Parses argv and runs the command; exits the process on an error. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  overrideAll(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its one-line message (or the help).
      process.exit(err.exitCode);
    }
    if (err instanceof CliError) {
      process.stderr.write(`mesoflow: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    const e = err as Error;
    process.stderr.write(`mesoflow: ${e?.message ?? String(err)}\n`);
    if (process.env.MESOFLOW_DEBUG === 'true' || process.env.MESOFLOW_DEBUG === '1') process.stderr.write(`${e?.stack ?? ''}\n`);
    process.exit(1);
  }
}
