// Latency from POST /v1/jobs to the job's TASK_RUNNING on an idle devcluster
// (sequential `sleep 0.2` jobs through the whole stack: API, Temporal,
// worker, framework session, devcluster agent), next to the floor Temporal
// itself sets on this machine: a workflow start until its one activity runs.
// Everything runs in this process except the Temporal dev server.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { createLogger } from '../common/logger.js';
import { startDevCluster } from '../devcluster/index.js';
import { startWorker } from '../worker/start-worker.js';
import { sessionWorkflowId } from '../activities/contract.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { createApi } from '../api/app.js';
import { serveApi } from '../api/server.js';
import { startDevServer } from '../stack/temporal-dev-server.js';
import { quantile } from './lib/stats.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 40);
const WARMUP = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => n.toFixed(1);

interface Job {
  status: string;
  startedAt: string | null;
  waiting: { offersSeen: number; at: string | null } | null;
}

const WAITING_SAMPLES = 5;

async function getJob(api: string, id: string): Promise<Job> {
  const res = await request(`${api}/v1/jobs/${id}`);
  return (await res.body.json()) as Job;
}

export async function run(): Promise<void> {
  const logger = createLogger({ level: 'error' });
  const temporal = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  // Mesos's default allocation interval (1 s) unless BENCH_ALLOCATION_MS says otherwise.
  const allocationIntervalMs = Number(process.env.BENCH_ALLOCATION_MS ?? 1000);
  const cluster = await startDevCluster({ agents: 1, resources: 'cpus:4;mem:4096;disk:4096;ports:[31000-31999]', allocationIntervalMs });
  const frameworkName = `bench-${randomUUID().slice(0, 8)}`;
  const worker = await startWorker(
    {
      temporalAddress: temporal.address,
      masters: [cluster.masterUrl],
      frameworkName,
      taskQueue: `mesoflow-${frameworkName}`,
      // As `npm start` runs it against the devcluster.
      declineRefuseSeconds: 2,
    },
    { logger },
  );
  const api = createApi({
    client: worker.client,
    namespace: 'default',
    frameworkName,
    taskQueue: worker.config.taskQueue,
    masters: [cluster.masterUrl],
    logger,
  });
  const server = await serveApi(api.app, { port: 0 });

  // The bare baseline's own worker and task queue on the same server.
  const bareQueue = `bench-bare-${frameworkName}`;
  const startedAt = new Map<string, number>();
  const bareConnection = await NativeConnection.connect({ address: temporal.address });
  const bareWorker = await Worker.create({
    connection: bareConnection,
    taskQueue: bareQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./lib/latency-bare-workflow.ts', import.meta.url)),
      logger: new DefaultLogger('WARN'),
    }),
    activities: {
      async started(id: string) {
        startedAt.set(id, Date.now());
      },
    },
  });
  const bareRun = bareWorker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });

  try {
    // Ready: the framework session is subscribed.
    for (let i = 0; i < 600; i++) {
      const r = await request(`${server.url}/readyz`);
      await r.body.dump();
      if (r.statusCode === 200) break;
      await sleep(100);
    }

    const jobLatencies: number[] = [];
    for (let i = 0; i < JOBS + WARMUP; i++) {
      const t0 = Date.now();
      const res = await request(`${server.url}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command: 'sleep 0.2', resources: { cpus: 0.1, mem: 16 } }),
      });
      const { id } = (await res.body.json()) as { id: string };
      let job = await getJob(server.url, id);
      // startedAt is the TASK_RUNNING update's own timestamp (agent clock = this machine's).
      while (job.startedAt === null && !['FAILED', 'CANCELLED', 'TIMED_OUT'].includes(job.status)) {
        await sleep(20);
        job = await getJob(server.url, id);
      }
      if (job.startedAt === null) throw new Error(`job ${id} ended ${job.status} without running`);
      if (i >= WARMUP) jobLatencies.push(Date.parse(job.startedAt) - t0);
      while (job.status !== 'SUCCEEDED' && job.status !== 'FAILED') {
        await sleep(50);
        job = await getJob(server.url, id);
      }
    }

    const bareLatencies: number[] = [];
    for (let i = 0; i < JOBS + WARMUP; i++) {
      const id = `bare-${randomUUID()}`;
      const t0 = Date.now();
      const h = await client.workflow.start('latencyBareWorkflow', { taskQueue: bareQueue, workflowId: id, args: [id] });
      await h.result();
      const t1 = startedAt.get(id);
      if (t1 === undefined) throw new Error(`bare workflow ${id} ran no activity`);
      if (i >= WARMUP) bareLatencies.push(t1 - t0);
    }

    // Why a job waits: from POST until GET shows reasons (offers weighed for it),
    // for a job no offer fits; then cancelled.
    const waitingVisible: number[] = [];
    for (let i = 0; i < WAITING_SAMPLES; i++) {
      const t0 = Date.now();
      const res = await request(`${server.url}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command: 'true', resources: { cpus: 64, mem: 16 } }),
      });
      const { id } = (await res.body.json()) as { id: string };
      let job = await getJob(server.url, id);
      while ((job.waiting?.offersSeen ?? 0) === 0 && Date.now() - t0 < 120_000) {
        await sleep(20);
        job = await getJob(server.url, id);
      }
      waitingVisible.push(Date.now() - t0);
      const c = await request(`${server.url}/v1/jobs/${id}/cancel`, { method: 'POST' });
      await c.body.dump();
    }

    jobLatencies.sort((a, b) => a - b);
    bareLatencies.sort((a, b) => a - b);
    const jobP50 = quantile(jobLatencies, 0.5);
    const jobP95 = quantile(jobLatencies, 0.95);
    const bareP50 = quantile(bareLatencies, 0.5);
    const bareP95 = quantile(bareLatencies, 0.95);
    console.log(`jobs_measured: ${jobLatencies.length}`);
    console.log(`waiting_reasons_visible_after_post_ms: ${waitingVisible.join(" ")}`);
    console.log(`devcluster_allocation_interval_ms: ${allocationIntervalMs}`);
    console.log(`bare_workflow_start_to_activity_p50_ms: ${fmt(bareP50)}`);
    console.log(`bare_workflow_start_to_activity_p95_ms: ${fmt(bareP95)}`);
    console.log(`api_submit_to_task_running_p95_ms: ${fmt(jobP95)}`);
    console.log(`submit_to_running_over_bare_p95_ratio: ${(jobP95 / bareP95).toFixed(2)}`);
    console.log(`api_submit_to_task_running_p50_ms: ${fmt(jobP50)}`);
    console.log(`submit_to_running_over_bare_p50_ratio: ${(jobP50 / bareP50).toFixed(2)}`);
  } finally {
    bareWorker.shutdown();
    await bareRun.catch(() => undefined);
    await bareConnection.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await server.close();
    await worker.client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
    await worker.stop();
    await cluster.stop();
    await temporal.stop();
  }
}
