// Helpers for tests that run mesoflow's own commands as child processes.
import { spawn, type ChildProcess } from 'node:child_process';

/** Whether a process with this pid still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface SpawnedCommand {
  child: ChildProcess;
  /** The first capture group of `ready` in the output. */
  match: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Spawns `node <args>` and waits until its combined output matches `ready`
 * (a regex with one capture group), failing with the output if the process
 * exits first or nothing matches before the deadline.
 */
export async function spawnUntil(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  options: { timeoutMs?: number; track?: Set<ChildProcess> } = {},
): Promise<SpawnedCommand> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  options.track?.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let m = ready.exec(out);
  while (!m) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited early:\n${out}`);
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
    m = ready.exec(out);
  }
  return { child, match: m[1] ?? m[0], output: () => out, exited };
}
