// Finds Schemathesis (the `st` command, from PyPI), installing a pinned
// version into a private virtualenv under the project's tool directory when
// this machine has none, the way stack/temporal-cli.ts installs the Temporal
// CLI. Order: SCHEMATHESIS_CLI, a copy installed earlier, a fresh install
// into a virtualenv, or with pip --target where Debian's python3 lacks the
// venv module.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../stack/temporal-cli.js';

export const SCHEMATHESIS_VERSION = '4.32.5';

function toolsDir(): string {
  return process.env.MESOFLOW_TOOLS_DIR ?? join(projectRoot(), '.mesoflow', 'tools');
}

/** How to run `st`: the binary and the environment it needs (PYTHONPATH for a pip --target install). */
export interface SchemathesisCommand {
  bin: string;
  env: NodeJS.ProcessEnv;
}

function version(bin: string, env: NodeJS.ProcessEnv = {}): string | undefined {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return r.status === 0 ? /version (\S+)/.exec(r.stdout)?.[1] : undefined;
}

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 900_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ') };
}

/** A working `st` of SCHEMATHESIS_VERSION (or SCHEMATHESIS_CLI's), installing one if needed. */
export function findOrInstallSchemathesis(log: (msg: string) => void = () => {}): SchemathesisCommand {
  const fromEnv = process.env.SCHEMATHESIS_CLI;
  if (fromEnv) {
    if (version(fromEnv) !== undefined) return { bin: fromEnv, env: {} };
    throw new Error(`SCHEMATHESIS_CLI=${fromEnv} is not a working Schemathesis CLI`);
  }
  const venv = join(toolsDir(), `schemathesis-${SCHEMATHESIS_VERSION}`);
  const venvBin = join(venv, 'bin', 'st');
  const target = join(toolsDir(), `schemathesis-${SCHEMATHESIS_VERSION}-pip`);
  const targetCmd: SchemathesisCommand = { bin: join(target, 'bin', 'st'), env: { PYTHONPATH: target } };
  if (existsSync(venvBin) && version(venvBin) === SCHEMATHESIS_VERSION) return { bin: venvBin, env: {} };
  if (existsSync(targetCmd.bin) && version(targetCmd.bin, targetCmd.env) === SCHEMATHESIS_VERSION) return targetCmd;
  mkdirSync(toolsDir(), { recursive: true });
  log(`installing Schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv} (once; about a minute)`);
  let r = run('python3', ['-m', 'venv', venv]);
  if (r.ok) r = run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  if (r.ok && version(venvBin) === SCHEMATHESIS_VERSION) return { bin: venvBin, env: {} };
  const venvOut = r.out;
  log(`installing Schemathesis with pip --target ${target}`);
  r = run('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', target, `schemathesis==${SCHEMATHESIS_VERSION}`]);
  if (r.ok && version(targetCmd.bin, targetCmd.env) === SCHEMATHESIS_VERSION) return targetCmd;
  throw new Error(`could not install Schemathesis ${SCHEMATHESIS_VERSION} (needs python3 and PyPI): venv: ${venvOut}; pip --target: ${r.out}`);
}
