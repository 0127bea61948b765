// End-to-end jobs per second: 500 jobs of `true` submitted at once to a
// worker on the devcluster (real task processes) and a Temporal dev server,
// from the first start call to the last result. In the same run, on the same
// Temporal server, the same number of bare workflows with the same Temporal
// steps (one activity, one signal, two upserts; bench/lib/bare-workflow.ts)
// but no Mesos: the floor Temporal allows here. The two alternate for
// BENCH_ROUNDS rounds (default 5), every round is printed (the machine is
// shared: the spread shows the noise) and the medians count. Prints both, the
// LAUNCH operations per ACCEPT, what a job's history costs (events and
// billable actions, from a sample of histories), and the ratio of the
// medians (the headline, last).
import { fileURLToPath } from 'node:url';
import { treeCpuMs } from './lib/proc-cpu.js';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { createLogger } from '../common/logger.js';
import { startDevServer } from '../stack/temporal-dev-server.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { startWorker, workflowWorkerTuning } from '../worker/start-worker.js';
import { startJob } from '../worker/job-client.js';
import { sessionWorkflowId } from '../activities/contract.js';
import type { BareActivities } from './lib/bare-workflow.js';
import { median } from './lib/stats.js';
import { historyBudget } from '../test/support/history-budget.js';
import { startSearchAttributes } from '../workflows/search-attribute-keys.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SAMPLE = 20;

interface ClusterStats {
  calls: Record<string, number>;
  launched_task_infos: number;
}

async function startClusterProcess(): Promise<{ masterUrl: string; pid: number; stats(): Promise<ClusterStats>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lib/devcluster-process.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line: string = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`devcluster process exited with ${code}`)));
  });
  const { masterUrl } = JSON.parse(line) as { masterUrl: string };
  return {
    masterUrl,
    pid: child.pid as number,
    async stats() {
      const res = await request(`${masterUrl}/__devcluster/stats`);
      return (await res.body.json()) as ClusterStats;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

/** CPU milliseconds so far of the processes a round loads: Temporal, this process (workers, session, client), the devcluster. */
interface CpuProbe {
  temporalPid: number;
  clusterPid: number;
}
type CpuSample = { temporal: number; self: number; devcluster: number };
function cpuNow(p: CpuProbe): CpuSample {
  const u = process.cpuUsage();
  return { temporal: treeCpuMs(p.temporalPid), self: (u.user + u.system) / 1000, devcluster: treeCpuMs(p.clusterPid) };
}

async function timed<H extends { result(): Promise<unknown> }>(
  label: string,
  n: number,
  probe: CpuProbe,
  startAll: () => Promise<H[]>,
): Promise<{ perSecond: number; handles: H[]; cpuPerJob: CpuSample }> {
  const c0 = cpuNow(probe);
  const t0 = performance.now();
  const handles = await startAll();
  await Promise.all(handles.map((h) => h.result()));
  const seconds = (performance.now() - t0) / 1000;
  const c1 = cpuNow(probe);
  const cpuPerJob = { temporal: (c1.temporal - c0.temporal) / n, self: (c1.self - c0.self) / n, devcluster: (c1.devcluster - c0.devcluster) / n };
  const cpu = `CPU ms per job: temporal ${cpuPerJob.temporal.toFixed(1)}, worker process ${cpuPerJob.self.toFixed(1)}, devcluster ${cpuPerJob.devcluster.toFixed(1)}`;
  console.error(`${label}: ${n} in ${seconds.toFixed(1)} s (${(n / seconds).toFixed(1)}/s); ${cpu}`);
  return { perSecond: n / seconds, handles, cpuPerJob };
}

export async function run(): Promise<void> {
  const logger = createLogger({ level: 'warn' });
  const server = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  const cluster = await startClusterProcess();
  const frameworkName = `bench-${randomUUID().slice(0, 8)}`;
  const taskQueue = `mesoflow-${frameworkName}`;
  const worker = await startWorker({ temporalAddress: server.address, masters: [cluster.masterUrl], frameworkName, taskQueue, declineRefuseSeconds: 1, suppressDelayMs: 1000 }, { logger });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  // The floor: same server, bare workflows on a worker of their own.
  const bareQueue = `bare-${frameworkName}`;
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const activities: BareActivities = {
    async placeAndLaunch(workflowId: string) {
      // The terminal update follows the completion, as on the real path.
      setTimeout(() => void client.workflow.getHandle(workflowId).signal('taskUpdate', 'TASK_FINISHED').catch(() => undefined), 0);
    },
  };
  const bare = await Worker.create({
    connection: nativeConnection,
    taskQueue: bareQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./lib/bare-workflow.ts', import.meta.url)), logger: new DefaultLogger('WARN') }),
    activities,
    maxConcurrentActivityTaskExecutions: 2000,
    // The same workflow cache as the mesoflow worker: an evicted workflow replays at its next step on either side.
    maxCachedWorkflows: worker.config.maxCachedWorkflows,
    ...workflowWorkerTuning,
  });
  const bareRun = bare.run();
  try {
    const spec = { command: 'true', resources: { cpus: 0.05, mem: 8 } };
    const startJobs = (n: number) => Promise.all(Array.from({ length: n }, () => startJob(client, { spec, frameworkName, taskQueue })));
    const startBare = (n: number) =>
      Promise.all(
        Array.from({ length: n }, () => {
          const id = `bare-${randomUUID()}`;
          return client.workflow.start('bareJobWorkflow', {
            taskQueue: bareQueue,
            workflowId: id,
            args: [id],
            typedSearchAttributes: [...startSearchAttributes(frameworkName, {})],
          });
        }),
      );
    // Warm-up: bundle caches, the session's first offers, JIT.
    const probe = { temporalPid: server.process.pid as number, clusterPid: cluster.pid };
    await timed('warm-up jobs', 20, probe, () => startJobs(20));
    await timed('warm-up bare', 20, probe, () => startBare(20));
    // The machine is shared and noisy: alternate the two, print every round, compare medians.
    const jobRates: number[] = [];
    const bareRates: number[] = [];
    const jobCpu: CpuSample[] = [];
    const bareCpu: CpuSample[] = [];
    let accepts = 0;
    let launches = 0;
    const session = () => [...worker.sessions][0];
    const heartbeatsBefore = session()?.stats.heartbeats ?? 0;
    let lastJobs: Array<Awaited<ReturnType<typeof startJob>>> = [];
    let lastBare: Array<{ fetchHistory(): Promise<unknown> }> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const b = await timed(`bare round ${round}`, JOBS, probe, () => startBare(JOBS));
      bareRates.push(b.perSecond);
      bareCpu.push(b.cpuPerJob);
      lastBare = b.handles;
      const before = await cluster.stats();
      const j = await timed(`jobs round ${round}`, JOBS, probe, () => startJobs(JOBS));
      jobRates.push(j.perSecond);
      jobCpu.push(j.cpuPerJob);
      lastJobs = j.handles;
      const after = await cluster.stats();
      accepts += (after.calls.ACCEPT ?? 0) - (before.calls.ACCEPT ?? 0);
      launches += after.launched_task_infos - before.launched_task_infos;
    }
    const jobCost = await Promise.all(lastJobs.slice(0, SAMPLE).map((h) => historyBudget(h)));
    const bareCost = await Promise.all(lastBare.slice(0, SAMPLE).map((h) => historyBudget(h as Parameters<typeof historyBudget>[0])));

    console.log(`jobs: ${JOBS}`);
    console.log(`workflow_cache_both_workers: ${worker.config.maxCachedWorkflows}`);
    console.log(`rounds: ${ROUNDS}`);
    console.log(`jobs_per_second_rounds: ${jobRates.map((r) => r.toFixed(1)).join(' ')}`);
    console.log(`bare_workflows_per_second_rounds: ${bareRates.map((r) => r.toFixed(1)).join(' ')}`);
    console.log(`jobs_to_bare_ratio_rounds: ${jobRates.map((r, i) => (r / (bareRates[i] as number)).toFixed(2)).join(' ')}`);
    console.log(`jobs_per_second_median: ${median(jobRates).toFixed(1)}`);
    console.log(`bare_workflows_per_second_median: ${median(bareRates).toFixed(1)}`);
    // Where the difference goes: the two alternate on one 2-core machine, so CPU per job is what bounds the rate.
    for (const k of ['temporal', 'self', 'devcluster'] as const) {
      const name = k === 'self' ? 'worker_process' : k;
      console.log(`${name}_cpu_ms_per_job_median: ${median(jobCpu.map((c) => c[k])).toFixed(1)}`);
      console.log(`${name}_cpu_ms_per_bare_workflow_median: ${median(bareCpu.map((c) => c[k])).toFixed(1)}`);
    }
    console.log(`history_events_per_job_median: ${median(jobCost.map((c) => c.events))}`);
    console.log(`history_events_per_job_max: ${Math.max(...jobCost.map((c) => c.events))}`);
    console.log(`billable_actions_per_job_median: ${median(jobCost.map((c) => c.actions))}`);
    console.log(`billable_actions_per_job_max: ${Math.max(...jobCost.map((c) => c.actions))}`);
    const costliest = jobCost.reduce((a, b) => (b.events > a.events ? b : a));
    console.log(`costliest_sampled_job: ${costliest.events} events, ${Object.entries(costliest.byKind).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    console.log(`history_events_per_bare_workflow_median: ${median(bareCost.map((c) => c.events))}`);
    // Not in a history, but Temporal records each one (and Cloud bills it): the lease, TASK_STARTING, waiting reasons, liveness.
    console.log(`activity_heartbeats_per_job: ${(((session()?.stats.heartbeats ?? 0) - heartbeatsBefore) / (JOBS * ROUNDS)).toFixed(2)}`);
    console.log(`accepts: ${accepts}`);
    console.log(`launch_operations_per_accept: ${(accepts > 0 ? launches / accepts : 0).toFixed(2)}`);
    console.log(`jobs_to_bare_ratio_of_medians: ${(median(jobRates) / median(bareRates)).toFixed(2)}`);
  } finally {
    bare.shutdown();
    await bareRun;
    await nativeConnection.close();
    await client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
    await worker.stop();
    await connection.close();
    await cluster.stop();
    await server.stop();
  }
}
