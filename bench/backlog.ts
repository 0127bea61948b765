// A backlog: BENCH_JOBS jobs (default 10,000) of `sleep BENCH_TASK_SECONDS`
// (default 10) submitted at once through the API against a devcluster with
// room for 200 tasks at a time (4 agents of cpus:5, jobs of 0.1 cpu), with a
// real master's allocation interval (1 s). 200 slots of 10 s tasks drain 20
// jobs a second, fewer than Temporal starts here, so the jobs really queue
// (with `true` they ran as fast as they arrived: a backlog of 24). Prints the wall time to drain the backlog, LAUNCH
// operations per ACCEPT, the peak RSS of the process holding the worker (the
// API and the load generator run in a child process of their own,
// bench/lib/backlog-load.ts, so this process holds the worker alone), the framework
// session's matching time per offer cycle at the peak backlog, and how many
// offers were declined while a job that fitted them waited (must be 0).
// Knobs: BENCH_JOBS, BENCH_SUBMIT_CONCURRENCY (64), BENCH_MAX_CACHED_WORKFLOWS
// (the worker's default otherwise).
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../common/logger.js';
import { startWorker } from '../worker/start-worker.js';
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

export async function run(): Promise<void> {
  const logger = createLogger({ level: 'error' });
  const temporal = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  const cluster = await startClusterChild({ agents: 4, resources: 'cpus:5;mem:8192;disk:1024;ports:[31000-32000]', allocationIntervalMs: 1000, heartbeatIntervalMs: 15_000 });
  const frameworkName = `bench-${randomUUID().slice(0, 8)}`;
  const worker = await startWorker(
    {
      temporalAddress: temporal.address, masters: [cluster.masterUrl], frameworkName, taskQueue: `mesoflow-${frameworkName}`,
      ...(process.env.BENCH_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(process.env.BENCH_MAX_CACHED_WORKFLOWS) } : {}),
    },
    { logger },
  );
  const session = () => [...worker.sessions][0];
  // The resident set, and how much of it is the main thread's JavaScript heap (the rest: the workflow thread, the SDK's core, code).
  let peak = process.memoryUsage();
  const rssTimer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak.rss) peak = m;
  }, 250);
  const mb = (n: number) => (n / 2 ** 20).toFixed(0);
  let load: ReturnType<typeof runLoad> | undefined;
  try {
    for (let i = 0; i < 600 && !session()?.stats.subscribes; i++) await sleep(100);
    const s = session();
    if (!s) throw new Error('the framework session did not start');
    const idleRss = process.memoryUsage().rss;
    const before = await cluster.stats();
    const declinesBefore = s.stats.declinesWhileFitting;
    let done = 0;
    const t0 = Date.now();
    const progress = setInterval(() => console.error(`${((Date.now() - t0) / 1000).toFixed(0)} s: ${done}/${JOBS} done, ${s.stats.launches} launched, peak backlog ${s.stats.peakWaiters}, worker RSS ${mb(process.memoryUsage().rss)} MB (heap ${mb(process.memoryUsage().heapTotal)} MB)`), 10_000);
    let last: LoadLine;
    try {
      load = runLoad(
        { temporalAddress: temporal.address, masterUrl: cluster.masterUrl, frameworkName, taskQueue: worker.config.taskQueue, jobs: JOBS, submitConcurrency: SUBMIT_CONCURRENCY, command: TASK_SECONDS > 0 ? `sleep ${TASK_SECONDS}` : 'true' },
        (l) => (done = l.done),
      );
      last = await load.finished;
    } finally {
      clearInterval(progress);
    }
    const wallMs = last.wallMs ?? Date.now() - t0;
    const c = callsBetween(before, await cluster.stats());
    console.log(`jobs: ${JOBS}`);
    console.log(`task_slots: 200`);
    console.log(`task_seconds: ${TASK_SECONDS}`);
    console.log(`launch_operations_per_accept: ${(c.accepts > 0 ? c.launches / c.accepts : 0).toFixed(1)}`);
    console.log(`declines: ${c.declines}`);
    console.log(`declines_while_a_fitting_job_waited: ${s.stats.declinesWhileFitting - declinesBefore}`);
    console.log(`peak_backlog_jobs: ${s.stats.peakWaiters}`);
    console.log(`matching_ms_per_offer_cycle_at_peak_backlog: ${s.stats.matchMsAtPeak.toFixed(2)}`);
    console.log(`matching_ms_per_offer_cycle_mean: ${(s.stats.matchRounds > 0 ? s.stats.matchMs / s.stats.matchRounds : 0).toFixed(2)}`);
    console.log(`worker_process_idle_rss_mb: ${(idleRss / 2 ** 20).toFixed(0)}`);
    console.log(`worker_process_heap_at_peak_rss_mb: ${mb(peak.heapTotal)}`);
    console.log(`worker_process_peak_rss_mb: ${mb(peak.rss)}`);
    console.log(`jobs_per_second: ${(JOBS / (wallMs / 1000)).toFixed(1)}`);
    console.log(`drain_wall_seconds: ${(wallMs / 1000).toFixed(1)}`);
  } finally {
    clearInterval(rssTimer);
    load?.stop();
    await worker.client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
    await worker.stop();
    await cluster.stop();
    await temporal.stop();
  }
}
