// Batches against submitting by hand: N jobs of `true` (default 1,000) as one
// batch with maxParallel 200, and the same N jobs POSTed one by one to the
// API, each waited for. Real worker process (its RSS sampled from /proc),
// devcluster in its own process, Temporal dev server, the API in this
// process. The two alternate for BENCH_ROUNDS rounds (default 2; the machine
// is shared, so every round is printed with the spread). Headline: the batch
// throughput over the one-by-one throughput (target >= 1.0).
// BENCH_BATCH_LARGE=10000 (0 to skip; default 10000) also runs one batch of
// that many jobs with maxParallel 500 and prints its wall time and the
// worker's peak RSS, to show that memory does not grow with the batch.
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { request } from 'undici';
import { createApi } from '../api/app.js';
import { serveApi } from '../api/server.js';
import { createLogger } from '../common/logger.js';
import { startDevServer } from '../stack/temporal-dev-server.js';
import { sessionWorkflowId } from '../activities/contract.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { median } from './lib/stats.js';
import { samplePeak, spawnWorkerProcess } from './lib/worker-process.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LARGE = Number(process.env.BENCH_BATCH_LARGE ?? 10_000);
const spec = { command: 'true', resources: { cpus: 0.05, mem: 8 } };

async function startClusterProcess(): Promise<{ masterUrl: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lib/devcluster-process.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line: string = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`devcluster process exited with ${code}`)));
  });
  return {
    masterUrl: (JSON.parse(line) as { masterUrl: string }).masterUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

async function post(url: string, body: unknown): Promise<{ id: string }> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`POST ${url}: ${res.statusCode} ${text}`);
  return JSON.parse(text) as { id: string };
}

export async function run(): Promise<void> {
  const server = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  const cluster = await startClusterProcess();
  const frameworkName = `bench-${randomUUID().slice(0, 8)}`;
  const taskQueue = `mesoflow-${frameworkName}`;
  const worker = spawnWorkerProcess({
    TEMPORAL_ADDRESS: server.address,
    MESOS_MASTER: cluster.masterUrl,
    MESOFLOW_FRAMEWORK_NAME: frameworkName,
    MESOFLOW_TASK_QUEUE: taskQueue,
    MESOFLOW_DECLINE_REFUSE_SECONDS: '1',
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const api = createApi({ client, namespace: 'default', frameworkName, taskQueue, masters: [cluster.masterUrl], logger: createLogger({ level: 'warn' }) });
  const http = await serveApi(api.app, { port: 0 });
  const wall = async (label: string, fn: () => Promise<void>): Promise<number> => {
    const t0 = performance.now();
    await fn();
    const s = (performance.now() - t0) / 1000;
    console.error(`${label}: ${s.toFixed(1)} s`);
    return s;
  };
  const batch = async (n: number, maxParallel: number) => {
    const b = await post(`${http.url}/v1/batches`, { maxParallel, array: { template: spec, count: n } });
    await client.workflow.getHandle(b.id).result();
  };
  const oneByOne = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await post(`${http.url}/v1/jobs`, spec)).id);
    await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()));
  };
  try {
    // Warm-up: bundle, session subscription, first offers, JIT.
    await wall('warm-up batch of 20', () => batch(20, 20));
    await wall('warm-up 20 jobs one by one', () => oneByOne(20));
    console.log(`worker_rss_after_warm_up_mb: ${worker.rssMb().toFixed(0)}`);
    const batchS: number[] = [];
    const plainS: number[] = [];
    const rss: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const peak = samplePeak(() => worker.rssMb());
      batchS.push(await wall(`round ${round}: batch of ${JOBS} (maxParallel 200)`, () => batch(JOBS, 200)));
      rss.push(peak.stop());
      plainS.push(await wall(`round ${round}: ${JOBS} jobs one by one through the API`, () => oneByOne(JOBS)));
      console.log(`round_${round}_batch_wall_s: ${batchS.at(-1)?.toFixed(1)}`);
      console.log(`round_${round}_one_by_one_wall_s: ${plainS.at(-1)?.toFixed(1)}`);
      console.log(`round_${round}_ratio: ${((plainS.at(-1) as number) / (batchS.at(-1) as number)).toFixed(2)}`);
      console.log(`round_${round}_worker_peak_rss_mb: ${rss.at(-1)?.toFixed(0)}`);
    }
    const ratios = batchS.map((b, i) => (plainS[i] as number) / b);
    if (LARGE > 0) {
      const before = worker.rssMb();
      const peak = samplePeak(() => worker.rssMb());
      const s = await wall(`batch of ${LARGE} (maxParallel 500)`, () => batch(LARGE, 500));
      console.log(`large_batch_jobs: ${LARGE}`);
      console.log(`large_batch_wall_s: ${s.toFixed(1)}`);
      console.log(`large_batch_jobs_per_second: ${(LARGE / s).toFixed(1)}`);
      console.log(`large_batch_worker_rss_before_mb: ${before.toFixed(0)}`);
      console.log(`large_batch_worker_peak_rss_mb: ${peak.stop().toFixed(0)}`);
    }
    console.log(`jobs: ${JOBS}`);
    console.log(`rounds: ${ROUNDS}`);
    console.log(`batch_wall_s_median: ${median(batchS).toFixed(1)} (min ${Math.min(...batchS).toFixed(1)}, max ${Math.max(...batchS).toFixed(1)})`);
    console.log(`one_by_one_wall_s_median: ${median(plainS).toFixed(1)} (min ${Math.min(...plainS).toFixed(1)}, max ${Math.max(...plainS).toFixed(1)})`);
    console.log(`worker_peak_rss_mb_max: ${Math.max(...rss).toFixed(0)}`);
    console.log(`batch_to_one_by_one_throughput_ratio: ${median(ratios).toFixed(2)} (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`);
  } finally {
    await client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
    await http.close();
    await worker.stop();
    await connection.close();
    await cluster.stop();
    await server.stop();
  }
}
