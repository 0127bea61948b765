// A backlog: BENCH_JOBS jobs (default 10,000) of `sleep BENCH_TASK_SECONDS`
// (default 10) submitted at once through the API against a devcluster with
// room for 200 tasks at a time (4 agents of cpus:5, jobs of 0.1 cpu), with a
// real master's allocation interval (1 s). 200 slots of 10 s tasks drain 20
// jobs a second, fewer than Temporal starts here, so the jobs really queue
// (with `true` they ran as fast as they arrived: a backlog of 24). Prints the wall time to drain the backlog, LAUNCH
// operations per ACCEPT, the peak RSS of the process holding the worker (the
// API and the load generator share it: an upper bound), the framework
// session's matching time per offer cycle at the peak backlog, and how many
// offers were declined while a job that fitted them waited (must be 0).
// Knobs: BENCH_JOBS, BENCH_SUBMIT_CONCURRENCY (64).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { createLogger } from '../common/logger.js';
import { startWorker } from '../worker/start-worker.js';
import { sessionWorkflowId } from '../activities/contract.js';
import { Limiter } from '../activities/session/limiter.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { createApi } from '../api/app.js';
import { serveApi } from '../api/server.js';
import { startDevServer } from '../stack/temporal-dev-server.js';
import { callsBetween, startClusterChild } from './lib/cluster-child.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const SUBMIT_CONCURRENCY = Number(process.env.BENCH_SUBMIT_CONCURRENCY ?? 64);
const TASK_SECONDS = Number(process.env.BENCH_TASK_SECONDS ?? 10);

export async function run(): Promise<void> {
  const logger = createLogger({ level: 'error' });
  const temporal = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  const cluster = await startClusterChild({ agents: 4, resources: 'cpus:5;mem:8192;disk:1024;ports:[31000-32000]', allocationIntervalMs: 1000, heartbeatIntervalMs: 15_000 });
  const frameworkName = `bench-${randomUUID().slice(0, 8)}`;
  const worker = await startWorker({ temporalAddress: temporal.address, masters: [cluster.masterUrl], frameworkName, taskQueue: `mesoflow-${frameworkName}` }, { logger });
  const api = createApi({ client: worker.client, namespace: 'default', frameworkName, taskQueue: worker.config.taskQueue, masters: [cluster.masterUrl], logger });
  const server = await serveApi(api.app, { port: 0 });
  const session = () => [...worker.sessions][0];
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  try {
    for (let i = 0; i < 600 && !session()?.stats.subscribes; i++) await sleep(100);
    const s = session();
    if (!s) throw new Error('the framework session did not start');
    const before = await cluster.stats();
    const declinesBefore = s.stats.declinesWhileFitting;
    const submits = new Limiter(SUBMIT_CONCURRENCY);
    const results = new Limiter(256);
    let done = 0;
    const t0 = performance.now();
    const progress = setInterval(() => console.error(`${((performance.now() - t0) / 1000).toFixed(0)} s: ${done}/${JOBS} done, ${s.stats.launches} launched, peak backlog ${s.stats.peakWaiters}`), 10_000);
    try {
      await Promise.all(
        Array.from({ length: JOBS }, async () => {
          const id = await submits.run(async () => {
            const res = await request(`${server.url}/v1/jobs`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ command: TASK_SECONDS > 0 ? `sleep ${TASK_SECONDS}` : 'true', resources: { cpus: 0.1, mem: 32 } }),
            });
            const body = (await res.body.json()) as { id: string };
            if (res.statusCode !== 201) throw new Error(`POST /v1/jobs answered ${res.statusCode}: ${JSON.stringify(body)}`);
            return body.id;
          });
          await results.run(() => worker.client.workflow.getHandle(id).result());
          done++;
        }),
      );
    } finally {
      clearInterval(progress);
    }
    const wallMs = performance.now() - t0;
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
    console.log(`worker_process_peak_rss_mb: ${(peakRss / 2 ** 20).toFixed(0)}`);
    console.log(`jobs_per_second: ${(JOBS / (wallMs / 1000)).toFixed(1)}`);
    console.log(`drain_wall_seconds: ${(wallMs / 1000).toFixed(1)}`);
  } finally {
    clearInterval(rssTimer);
    await server.close();
    await worker.client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
    await worker.stop();
    await cluster.stop();
    await temporal.stop();
  }
}
