// Finds Schemathesis (the `st` command, from PyPI), installing a pinned
// version into a private virtualenv under the project's tool directory when
// this machine has none, the way stack/temporal-cli.ts installs the Temporal
// CLI. Order: SCHEMATHESIS_CLI, a copy installed earlier, a fresh install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../stack/temporal-cli.js';

export const SCHEMATHESIS_VERSION = '4.32.5';

function toolsDir(): string {
  return process.env.MESOFLOW_TOOLS_DIR ?? join(projectRoot(), '.mesoflow', 'tools');
}

function version(bin: string): string | undefined {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? /version (\S+)/.exec(r.stdout)?.[1] : undefined;
}

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 900_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ') };
}

/** The path of a working `st` binary of SCHEMATHESIS_VERSION (or SCHEMATHESIS_CLI's), installing one if needed. */
export function findOrInstallSchemathesis(log: (msg: string) => void = () => {}): string {
  const fromEnv = process.env.SCHEMATHESIS_CLI;
  if (fromEnv) {
    if (version(fromEnv) !== undefined) return fromEnv;
    throw new Error(`SCHEMATHESIS_CLI=${fromEnv} is not a working Schemathesis CLI`);
  }
  const venv = join(toolsDir(), `schemathesis-${SCHEMATHESIS_VERSION}`);
  const bin = join(venv, 'bin', 'st');
  if (existsSync(bin) && version(bin) === SCHEMATHESIS_VERSION) return bin;
  mkdirSync(toolsDir(), { recursive: true });
  log(`installing Schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv} (once; about a minute)`);
  let r = run('python3', ['-m', 'venv', venv]);
  if (r.ok) r = run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  if (r.ok && version(bin) === SCHEMATHESIS_VERSION) return bin;
  throw new Error(`could not install Schemathesis ${SCHEMATHESIS_VERSION} into ${venv} (needs python3 with the venv module and PyPI): ${r.out}`);
}
