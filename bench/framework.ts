// mesoflow against a bare framework on a master with a real master's timing.
// A devcluster in its own process configured like a production Mesos
// master (allocation interval 1 s, status-update retry 10 s, heartbeats
// 15 s) with one agent of cpus:2, mem:1024; N jobs of `true` at 0.1 cpu and
// 32 MB (20 fit in an offer) submitted at once. The baseline is a scheduler
// written directly on SchedulerClient (bench/lib/bare-scheduler.ts: accept
// every offer with what fits, acknowledge at once); mesoflow runs as users
// run it: API, Temporal dev server, worker holding the framework session,
// jobs submitted with POST /v1/jobs. The two alternate for BENCH_ROUNDS
// rounds on the same master; every round is printed, then the medians.
// mesoflow REVIVEs when its tasks end while jobs wait (a real master then
// allocates at once instead of at its next interval); the bare framework
// takes the allocations as they come. mesoflow_revives says how many.
// Knobs: BENCH_JOBS (100), BENCH_ROUNDS (3).
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { createLogger } from '../common/logger.js';
import { startWorker } from '../worker/start-worker.js';
import { sessionWorkflowId } from '../activities/contract.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { createApi } from '../api/app.js';
import { serveApi } from '../api/server.js';
import { startDevServer } from '../stack/temporal-dev-server.js';
import { quantile, median } from './lib/stats.js';
import { callsBetween, startClusterChild } from './lib/cluster-child.js';
import { runBareScheduler } from './lib/bare-scheduler.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CPUS = 0.1;
const MEM = 32;

const ms = (n: number) => n.toFixed(1);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

interface Side {
  wallMs: number;
  launchesPerAccept: number;
  declines: number;
  ackP50: number;
  ackP95: number;
}

function line(prefix: string, s: Side): string {
  return `${prefix}: wall ${ms(s.wallMs / 1000)} s, ${s.launchesPerAccept.toFixed(1)} launches/accept, ${s.declines} declines, ack p50 ${ms(s.ackP50)} ms p95 ${ms(s.ackP95)} ms`;
}

export async function run(): Promise<void> {
  const logger = createLogger({ level: 'error' });
  const user = (() => {
    try {
      return userInfo().username || 'root';
    } catch {
      return 'root';
    }
  })();
  const temporal = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  const cluster = await startClusterChild({
    agents: 1,
    resources: 'cpus:2;mem:1024;disk:1024;ports:[31000-32000]',
    allocationIntervalMs: 1000,
    heartbeatIntervalMs: 15_000,
    statusUpdateRetryMs: 10_000,
  });
  const frameworkName = `bench-${randomUUID().slice(0, 8)}`;
  const worker = await startWorker({ temporalAddress: temporal.address, masters: [cluster.masterUrl], frameworkName, taskQueue: `mesoflow-${frameworkName}` }, { logger });
  const api = createApi({ client: worker.client, namespace: 'default', frameworkName, taskQueue: worker.config.taskQueue, masters: [cluster.masterUrl], logger });
  const server = await serveApi(api.app, { port: 0 });
  const session = () => [...worker.sessions][0];

  const submit = async (): Promise<string> => {
    const res = await request(`${server.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: 'true', resources: { cpus: CPUS, mem: MEM } }),
    });
    const body = (await res.body.json()) as { id: string };
    if (res.statusCode !== 201) throw new Error(`POST /v1/jobs answered ${res.statusCode}: ${JSON.stringify(body)}`);
    return body.id;
  };

  async function mesoflowRound(n: number): Promise<Side & { submitToRunningP50: number; runningToLaunchedP50: number; revives: number }> {
    const s = session();
    s?.ackLatency.take();
    const revivesBefore = s?.stats.revives ?? 0;
    const before = await cluster.stats();
    const t0 = performance.now();
    const t0Wall = Date.now();
    const ids = await Promise.all(Array.from({ length: n }, submit));
    await Promise.all(ids.map((id) => worker.client.workflow.getHandle(id).result()));
    const wallMs = performance.now() - t0;
    const c = callsBetween(before, await cluster.stats());
    const ack = sorted(s?.ackLatency.take() ?? []);
    const toRunning: number[] = [];
    const runningToLaunched: number[] = [];
    for (const id of ids) {
      const res = await request(`${server.url}/v1/jobs/${id}`);
      const job = (await res.body.json()) as { startedAt: string | null; attempts: Array<{ launchedAt: string | null; statusUpdates: Array<{ state: string; time: string }> }> };
      if (job.startedAt) toRunning.push(Date.parse(job.startedAt) - t0Wall);
      const a = job.attempts.at(-1);
      const running = a?.statusUpdates.find((u) => u.state === 'TASK_RUNNING');
      if (a?.launchedAt && running) runningToLaunched.push(Date.parse(a.launchedAt) - Date.parse(running.time));
    }
    return {
      wallMs,
      launchesPerAccept: c.accepts > 0 ? c.launches / c.accepts : 0,
      declines: c.declines,
      ackP50: quantile(ack, 0.5),
      ackP95: quantile(ack, 0.95),
      submitToRunningP50: median(toRunning),
      runningToLaunchedP50: median(runningToLaunched),
      revives: (s?.stats.revives ?? 0) - revivesBefore,
    };
  }

  async function bareRound(n: number): Promise<Side> {
    const before = await cluster.stats();
    const r = await runBareScheduler({ masterUrl: cluster.masterUrl, tasks: n, cpus: CPUS, mem: MEM, command: 'true', user });
    const c = callsBetween(before, await cluster.stats());
    const ack = sorted(r.ackMs);
    return { wallMs: r.wallMs, launchesPerAccept: c.accepts > 0 ? c.launches / c.accepts : 0, declines: c.declines, ackP50: quantile(ack, 0.5), ackP95: quantile(ack, 0.95) };
  }

  try {
    for (let i = 0; i < 600 && !session()?.stats.subscribes; i++) await sleep(100);
    // Warm-up: bundle caches, JIT, the session's first offers.
    await mesoflowRound(5);
    const bare: Side[] = [];
    const flow: Array<Awaited<ReturnType<typeof mesoflowRound>>> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // mesoflow SUPPRESSes once idle (2 s): the bare framework then gets every offer.
      await sleep(3000);
      const b = await bareRound(JOBS);
      bare.push(b);
      console.error(line(`round ${round} bare`, b));
      await sleep(1000);
      const m = await mesoflowRound(JOBS);
      flow.push(m);
      console.error(`${line(`round ${round} mesoflow`, m)}, submit→running p50 ${ms(m.submitToRunningP50)} ms, running→launchedAt p50 ${ms(m.runningToLaunchedP50)} ms, ${m.revives} REVIVEs`);
      console.error(`round ${round} ratio: ${(b.wallMs / m.wallMs).toFixed(2)}`);
    }
    const med = (xs: number[]) => median(xs);
    const ratios = bare.map((b, i) => b.wallMs / (flow[i] as Side).wallMs);
    console.log(`jobs: ${JOBS}`);
    console.log(`rounds: ${ROUNDS}`);
    console.log(`bare_wall_seconds: ${ms(med(bare.map((b) => b.wallMs)) / 1000)}`);
    console.log(`mesoflow_wall_seconds: ${ms(med(flow.map((f) => f.wallMs)) / 1000)}`);
    console.log(`bare_launches_per_accept: ${med(bare.map((b) => b.launchesPerAccept)).toFixed(1)}`);
    console.log(`mesoflow_launches_per_accept: ${med(flow.map((f) => f.launchesPerAccept)).toFixed(1)}`);
    console.log(`bare_declines: ${med(bare.map((b) => b.declines))}`);
    console.log(`mesoflow_declines: ${med(flow.map((f) => f.declines))}`);
    // The bare framework never REVIVEs: it takes the master's allocations as they come (every second).
    console.log(`mesoflow_revives: ${med(flow.map((f) => f.revives))}`);
    console.log(`bare_update_to_ack_p50_ms: ${ms(med(bare.map((b) => b.ackP50)))}`);
    console.log(`bare_update_to_ack_p95_ms: ${ms(med(bare.map((b) => b.ackP95)))}`);
    console.log(`mesoflow_update_to_ack_p50_ms: ${ms(med(flow.map((f) => f.ackP50)))}`);
    console.log(`mesoflow_update_to_ack_p95_ms: ${ms(med(flow.map((f) => f.ackP95)))}`);
    console.log(`mesoflow_submit_to_running_p50_ms: ${ms(med(flow.map((f) => f.submitToRunningP50)))}`);
    console.log(`mesoflow_running_to_launched_at_p50_ms: ${ms(med(flow.map((f) => f.runningToLaunchedP50)))}`);
    console.log(`bare_over_mesoflow_wall_ratio_rounds: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
    console.log(`bare_over_mesoflow_wall_ratio: ${med(ratios).toFixed(2)}`);
  } finally {
    await server.close();
    await worker.client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
    await worker.stop();
    await cluster.stop();
    await temporal.stop();
  }
}
