// A backlog: BENCH_JOBS jobs (default 10,000) of `sleep BENCH_TASK_SECONDS`
// (default 10) submitted at once through the API against a devcluster with
// room for 200 tasks at a time (4 agents of cpus:5, jobs of 0.1 cpu), with a
// real master's allocation interval (1 s). 200 slots of 10 s tasks drain 20
// jobs a second, fewer than Temporal starts here, so the jobs really queue
// (with `true` they ran as fast as they arrived: a backlog of 24). Prints the wall time to drain the backlog, LAUNCH
// operations per ACCEPT, the peak RSS of the worker process (the built
// package run by plain Node, as deployed: bench/lib/backlog-worker.mjs; the
// API and the load generator run in a child process of their own,
// bench/lib/backlog-load.ts), the framework
// session's matching time per offer cycle at the peak backlog, and how many
// offers were declined while a job that fitted them waited (must be 0).
// Knobs: BENCH_JOBS, BENCH_SUBMIT_CONCURRENCY (64), BENCH_MAX_CACHED_WORKFLOWS
// (the worker's default otherwise).
import { randomUUID } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import type { FrameworkSession } from '../activities/session/framework-session.js';
import { rssMbOf } from './lib/worker-process.js';
import { sessionWorkflowId } from '../activities/contract.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { startDevServer } from '../stack/temporal-dev-server.js';
import { callsBetween, startClusterChild } from './lib/cluster-child.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const SUBMIT_CONCURRENCY = Number(process.env.BENCH_SUBMIT_CONCURRENCY ?? 64);
const TASK_SECONDS = Number(process.env.BENCH_TASK_SECONDS ?? 10);

interface LoadLine {
  done: number;
  wallMs?: number;
  finished?: boolean;
}

/** Runs bench/lib/backlog-load.ts; resolves with its last line once it printed `finished`. */
function runLoad(env: object, onProgress: (l: LoadLine) => void): { finished: Promise<LoadLine>; stop(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lib/backlog-load.ts', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_LOAD: JSON.stringify(env) },
  });
  const finished = new Promise<LoadLine>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const l = JSON.parse(line) as LoadLine;
      onProgress(l);
      if (l.finished) resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`the load process exited with ${code} before it finished`)));
  });
  return { finished, stop: () => child.stdin?.end() };
}

interface WorkerLine {
  subscribed: boolean;
  stats?: FrameworkSession['stats'];
  heapTotal: number;
}

/** The worker as deployed (bench/lib/backlog-worker.mjs over dist/); resolves once its session subscribed. */
async function startDeployedWorker(config: object): Promise<{ pid: number; last(): WorkerLine; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./lib/backlog-worker.mjs', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_WORKER: JSON.stringify(config) },
  });
  let last: WorkerLine = { subscribed: false, heapTotal: 0 };
  const subscribed = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      // The SDK's core may log to stdout too: only our JSON lines count.
      if (!line.startsWith('{')) return;
      last = JSON.parse(line) as WorkerLine;
      if (last.subscribed) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the worker process exited with ${code} before its session subscribed`)));
  });
  await Promise.race([subscribed, sleep(60_000).then(() => Promise.reject(new Error('the framework session did not subscribe within 60 s')))]);
  return {
    pid: child.pid as number,
    last: () => last,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

export async function run(): Promise<void> {
  // The worker runs the built package, as deployed: build it first.
  console.error('building dist/ (npm run build): the worker runs as deployed, without a TypeScript loader');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'ignore', 'inherit'] });
  const temporal = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  const cluster = await startClusterChild({ agents: 4, resources: 'cpus:5;mem:8192;disk:1024;ports:[31000-32000]', allocationIntervalMs: 1000, heartbeatIntervalMs: 15_000 });
  const frameworkName = `bench-${randomUUID().slice(0, 8)}`;
  const taskQueue = `mesoflow-${frameworkName}`;
  let worker: Awaited<ReturnType<typeof startDeployedWorker>> | undefined;
  let load: ReturnType<typeof runLoad> | undefined;
  try {
    worker = await startDeployedWorker({
      temporalAddress: temporal.address,
      masters: [cluster.masterUrl],
      frameworkName,
      taskQueue,
      ...(process.env.BENCH_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(process.env.BENCH_MAX_CACHED_WORKFLOWS) } : {}),
    });
    const w = worker;
    const stats = () => w.last().stats as FrameworkSession['stats'];
    // The resident set from /proc, and how much of it was the main thread's JavaScript heap (the rest: the workflow thread, the SDK's core, code).
    const idleRss = rssMbOf(w.pid);
    let peak = { rss: idleRss, heapMb: w.last().heapTotal / 2 ** 20 };
    const rssTimer = setInterval(() => {
      const rss = rssMbOf(w.pid);
      if (rss > peak.rss) peak = { rss, heapMb: w.last().heapTotal / 2 ** 20 };
    }, 250);
    const before = await cluster.stats();
    const declinesBefore = stats().declinesWhileFitting;
    let done = 0;
    const t0 = Date.now();
    const progress = setInterval(
      () =>
        console.error(
          `${((Date.now() - t0) / 1000).toFixed(0)} s: ${done}/${JOBS} done, ${stats().launches} launched, peak backlog ${stats().peakWaiters}, worker RSS ${rssMbOf(w.pid).toFixed(0)} MB (heap ${(w.last().heapTotal / 2 ** 20).toFixed(0)} MB)`,
        ),
      10_000,
    );
    let last: LoadLine;
    try {
      load = runLoad(
        { temporalAddress: temporal.address, masterUrl: cluster.masterUrl, frameworkName, taskQueue, jobs: JOBS, submitConcurrency: SUBMIT_CONCURRENCY, command: TASK_SECONDS > 0 ? `sleep ${TASK_SECONDS}` : 'true' },
        (l) => (done = l.done),
      );
      last = await load.finished;
    } finally {
      clearInterval(progress);
      clearInterval(rssTimer);
    }
    const wallMs = last.wallMs ?? Date.now() - t0;
    const c = callsBetween(before, await cluster.stats());
    await sleep(600); // one more report of the session's statistics
    const s = stats();
    console.log(`jobs: ${JOBS}`);
    console.log(`task_slots: 200`);
    console.log(`task_seconds: ${TASK_SECONDS}`);
    console.log(`launch_operations_per_accept: ${(c.accepts > 0 ? c.launches / c.accepts : 0).toFixed(1)}`);
    console.log(`declines: ${c.declines}`);
    console.log(`declines_while_a_fitting_job_waited: ${s.declinesWhileFitting - declinesBefore}`);
    console.log(`peak_backlog_jobs: ${s.peakWaiters}`);
    console.log(`matching_ms_per_offer_cycle_at_peak_backlog: ${s.matchMsAtPeak.toFixed(2)}`);
    console.log(`matching_ms_per_offer_cycle_mean: ${(s.matchRounds > 0 ? s.matchMs / s.matchRounds : 0).toFixed(2)}`);
    console.log(`worker_process_idle_rss_mb: ${idleRss.toFixed(0)}`);
    console.log(`worker_process_heap_at_peak_rss_mb: ${peak.heapMb.toFixed(0)}`);
    console.log(`worker_process_peak_rss_mb: ${peak.rss.toFixed(0)}`);
    console.log(`jobs_per_second: ${(JOBS / (wallMs / 1000)).toFixed(1)}`);
    console.log(`drain_wall_seconds: ${(wallMs / 1000).toFixed(1)}`);
  } finally {
    load?.stop();
    if (worker) {
      const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
      await client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
      await client.connection.close();
      await worker.stop();
    }
    await cluster.stop();
    await temporal.stop();
  }
}
