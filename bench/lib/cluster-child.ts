// Starts bench/lib/configured-devcluster-process.ts and reads its call
// statistics over HTTP: what a benchmark needs of a master it does not share
// a CPU-bound event loop with.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import type { DevClusterOptions } from '../../devcluster/index.js';

export interface ClusterStats {
  calls: Record<string, number>;
  launched_task_infos: number;
}

export interface ClusterChild {
  masterUrl: string;
  stats(): Promise<ClusterStats>;
  stop(): Promise<void>;
}

export async function startClusterChild(options: Omit<DevClusterOptions, 'logger' | 'now' | 'agentFactory'>): Promise<ClusterChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./configured-devcluster-process.ts', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_DEVCLUSTER: JSON.stringify(options) },
  });
  const line: string = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`devcluster process exited with ${code}`)));
  });
  const { masterUrl } = JSON.parse(line) as { masterUrl: string };
  return {
    masterUrl,
    async stats() {
      const res = await request(`${masterUrl}/__devcluster/stats`);
      return (await res.body.json()) as ClusterStats;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

/** What one side of a run cost the master: calls between two snapshots. */
export function callsBetween(before: ClusterStats, after: ClusterStats): { accepts: number; launches: number; declines: number } {
  const d = (k: string) => (after.calls[k] ?? 0) - (before.calls[k] ?? 0);
  return { accepts: d('ACCEPT'), launches: after.launched_task_infos - before.launched_task_infos, declines: d('DECLINE') };
}
