// A mesoflow worker in its own process (worker/main.ts), so that a benchmark
// can read the worker's own memory: its resident set from /proc (Linux), or
// from `ps` elsewhere.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WorkerProcess {
  child: ChildProcess;
  /** Resident set size now, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

export function spawnWorkerProcess(env: Record<string, string>): WorkerProcess {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, MESOFLOW_LOG_LEVEL: 'warn', ...env },
  });
  const pid = child.pid as number;
  return {
    child,
    rssMb: () => rssMbOf(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident set size of a process now, in MB: from /proc (Linux), or from `ps` elsewhere. */
export function rssMbOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux: ask ps.
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
}

/** Samples `probe` every `everyMs` until stopped; returns the largest value seen. */
export function samplePeak(probe: () => number, everyMs = 200): { stop(): number } {
  let peak = 0;
  const tick = () => {
    try {
      peak = Math.max(peak, probe());
    } catch {
      // The process may be gone at the very end.
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}
