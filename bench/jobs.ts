// End-to-end jobs per second: 500 jobs of `true` submitted at once to a
// worker on the devcluster (real task processes) and a Temporal dev server,
// from the first start call to the last result. In the same run, on the same
// Temporal server, the same number of bare workflows with the same
// activities, signals and upserts but no Mesos: the floor Temporal allows
// here. Prints both, the average LAUNCH operations per ACCEPT, and their
// ratio (the headline, last).
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { createLogger } from '../common/logger.js';
import { startDevServer } from '../stack/temporal-dev-server.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { startWorker } from '../worker/start-worker.js';
import { startJob } from '../worker/job-client.js';
import { sessionWorkflowId } from '../activities/contract.js';
import type { BareActivities } from './lib/bare-workflow.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 500);

interface ClusterStats {
  calls: Record<string, number>;
  launched_task_infos: number;
}

async function startClusterProcess(): Promise<{ masterUrl: string; stats(): Promise<ClusterStats>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lib/devcluster-process.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
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
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

async function timed(label: string, n: number, startAll: () => Promise<Array<{ result(): Promise<unknown> }>>): Promise<number> {
  const t0 = performance.now();
  const handles = await startAll();
  await Promise.all(handles.map((h) => h.result()));
  const seconds = (performance.now() - t0) / 1000;
  console.error(`${label}: ${n} in ${seconds.toFixed(1)} s`);
  return n / seconds;
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
  try {
    const spec = { command: 'true', resources: { cpus: 0.05, mem: 8 } };
    // Warm-up: bundle caches, the session's first offers, JIT.
    await timed('warm-up jobs', 20, () => Promise.all(Array.from({ length: 20 }, () => startJob(client, { spec, frameworkName, taskQueue }))));
    const before = await cluster.stats();
    const jobsPerSecond = await timed('jobs', JOBS, () => Promise.all(Array.from({ length: JOBS }, () => startJob(client, { spec, frameworkName, taskQueue }))));
    const after = await cluster.stats();
    const accepts = (after.calls.ACCEPT ?? 0) - (before.calls.ACCEPT ?? 0);
    const launches = after.launched_task_infos - before.launched_task_infos;

    // The floor: same server, bare workflows on their own worker.
    const bareQueue = `bare-${frameworkName}`;
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const activities: BareActivities = {
      async ensureSession() {},
      async awaitOffer() {},
      async launchTask(workflowId: string) {
        const h = client.workflow.getHandle(workflowId);
        for (const s of ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']) await h.signal('taskUpdate', s);
      },
    };
    const bare = await Worker.create({
      connection: nativeConnection,
      taskQueue: bareQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./lib/bare-workflow.ts', import.meta.url)), logger: new DefaultLogger('WARN') }),
      activities,
      maxConcurrentActivityTaskExecutions: 2000,
      maxCachedWorkflows: 2000,
    });
    const bareRun = bare.run();
    const startBare = (n: number) =>
      Promise.all(
        Array.from({ length: n }, () => {
          const id = `bare-${randomUUID()}`;
          return client.workflow.start('bareJobWorkflow', { taskQueue: bareQueue, workflowId: id, args: [id] });
        }),
      );
    await timed('warm-up bare', 20, () => startBare(20));
    const barePerSecond = await timed('bare', JOBS, () => startBare(JOBS));
    bare.shutdown();
    await bareRun;
    await nativeConnection.close();

    console.log(`jobs: ${JOBS}`);
    console.log(`jobs_per_second: ${jobsPerSecond.toFixed(1)}`);
    console.log(`bare_workflows_per_second: ${barePerSecond.toFixed(1)}`);
    console.log(`accepts: ${accepts}`);
    console.log(`launch_operations_per_accept: ${(accepts > 0 ? launches / accepts : 0).toFixed(2)}`);
    console.log(`jobs_to_bare_ratio: ${(jobsPerSecond / barePerSecond).toFixed(2)}`);
  } finally {
    await client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
    await worker.stop();
    await connection.close();
    await cluster.stop();
    await server.stop();
  }
}
