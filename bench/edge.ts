// The edge build (api/edge/worker.ts bundled, in workerd, Temporal over its
// HTTP API) against the Node API (gRPC), side by side on the same dev server,
// devcluster and worker: p50/p95 of POST /v1/jobs and GET /v1/jobs/{id}, the
// ratios edge/Node (target ≤ 1.5×), the CPU time each spends per request and
// the bundle's size. Latency: the Node API in the bench's process (as in the
// first measurements). CPU: the edge's workerd process against a Node API in
// its own process (`mesoflow api`, as deployed), both read the same way from
// /proc (user + system of the process and its children) before and after a
// series of requests. Requests alternate between the targets so that load
// from elsewhere hits both alike.
// BENCH_EDGE_JOBS jobs per target per round (default 40: a p95 of 20 is the 19th value, mostly noise on a shared machine), BENCH_EDGE_CPU_REQUESTS
// requests of each kind per target per round for the CPU figures (default 60),
// BENCH_ROUNDS rounds (default 3).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { createLogger } from '../common/logger.js';
import { startDevCluster } from '../devcluster/index.js';
import { startWorker } from '../worker/start-worker.js';
import { sessionWorkflowId } from '../activities/contract.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { createApi } from '../api/app.js';
import { serveApi } from '../api/server.js';
import { startDevServer } from '../stack/temporal-dev-server.js';
import { buildEdge } from '../scripts/build-edge.js';
import { startLocalWorker } from '../scripts/workerd-local.js';
import { GrpcTemporalAccess } from '../api/temporal/grpc-access.js';
import { HttpTemporalAccess } from '../api/temporal/http-access.js';
import { hasProc, treeCpuMs } from './lib/proc-cpu.js';
import { median, quantile } from './lib/stats.js';

const JOBS = Number(process.env.BENCH_EDGE_JOBS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CPU_REQUESTS = Number(process.env.BENCH_EDGE_CPU_REQUESTS ?? 60);
const fmt = (n: number) => n.toFixed(1);
const fmt2 = (n: number | undefined) => (n ?? NaN).toFixed(2);

async function timed(url: string, init: RequestInit, expect: number): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = (await res.json()) as unknown;
  const ms = performance.now() - t0;
  if (res.status !== expect) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return { ms, body };
}

/** `mesoflow api` as its own process (the CLI, as deployed), listening on an ephemeral port. */
async function startNodeApi(env: Record<string, string>): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const bin = new URL('../cli/bin.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [bin, 'api'], { env: { ...process.env, ...env, PORT: '0', MESOFLOW_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const m = /"msg":"API listening".*?"url":"(http:\/\/[^"]+)"/.exec(out);
    if (m) return { url: m[1] as string, pid: child.pid as number, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`mesoflow api did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Sample {
  post: number[];
  get: number[];
}

export async function run(): Promise<void> {
  const logger = createLogger({ level: 'error' });
  const temporal = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  const cluster = await startDevCluster({ agents: 1, resources: 'cpus:8;mem:8192;disk:4096;ports:[31000-31999]', allocationIntervalMs: 100 });
  const frameworkName = `bench-${randomUUID().slice(0, 8)}`;
  const taskQueue = `mesoflow-${frameworkName}`;
  const worker = await startWorker({ temporalAddress: temporal.address, masters: [cluster.masterUrl], frameworkName, taskQueue, declineRefuseSeconds: 1 }, { logger });
  const node = await serveApi(createApi({ client: worker.client, namespace: 'default', frameworkName, taskQueue, masters: [cluster.masterUrl], logger }).app, { port: 0 });
  const nodeProcess = await startNodeApi({
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TLS: 'false',
    MESOS_MASTER: cluster.masterUrl,
    MESOFLOW_FRAMEWORK_NAME: frameworkName,
    MESOFLOW_TASK_QUEUE: taskQueue,
  });
  const bundle = await buildEdge();
  const edge = await startLocalWorker(bundle.file, {
    TEMPORAL_HTTP_URL: `http://${temporal.httpAddress}`,
    MESOFLOW_FRAMEWORK_NAME: frameworkName,
    MESOFLOW_TASK_QUEUE: taskQueue,
  });
  const targets = { node: node.url, edge: edge.url } as const;
  try {
    console.log(`machine: ${JSON.stringify(loadavg().map((l) => Number(l.toFixed(2))))} load average (1/5/15 min) on 2 cores shared with other work`);
    console.log(`edge_bundle_kib: ${fmt(bundle.bytes / 1024)}`);
    console.log(`edge_bundle_gzip_kib: ${fmt(gzipSync(readFileSync(bundle.file)).length / 1024)}`);
    const post = (base: string) =>
      timed(`${base}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: 'true', resources: { cpus: 0.1, mem: 16 } }) }, 201);
    // Warm-up: an isolate, connections, the workflow code cache.
    for (const base of [...Object.values(targets), nodeProcess.url]) for (let i = 0; i < 3; i++) await timed(`${base}/v1/jobs/${(await post(base).then((r) => r.body as { id: string })).id}`, {}, 200);

    const pids = { node: nodeProcess.pid, edge: edge.process.pid as number } as const;
    const cpuTargets = { node: nodeProcess.url, edge: edge.url } as const;
    const cpu = { edgePost: [] as number[], edgeGet: [] as number[], nodePost: [] as number[], nodeGet: [] as number[] };
    if (!hasProc()) console.log('cpu: no /proc here; the CPU figures are left out');
    /** CPU ms per request of `t` over `n` calls of `one` (in series, so that nothing else of ours runs in that process meanwhile). */
    async function cpuPerRequest(t: 'node' | 'edge', n: number, one: (i: number) => Promise<unknown>): Promise<number> {
      const before = treeCpuMs(pids[t]);
      for (let i = 0; i < n; i++) await one(i);
      return (treeCpuMs(pids[t]) - before) / n;
    }
    // The transport alone: a workflow start straight from this process over each
    // TemporalAccess (no API, no workerd), to tell the HTTP API's own cost from the runtime's.
    const access = { grpc: new GrpcTemporalAccess(worker.client, 'default'), http: new HttpTemporalAccess({ baseUrl: `http://${temporal.httpAddress}`, namespace: 'default' }) };
    const startDirect = async (a: 'grpc' | 'http') => {
      const t0 = performance.now();
      const r = await access[a].startWorkflow({ workflowId: `bench-start-${randomUUID()}`, workflowType: 'jobWorkflow', taskQueue: 'bench-edge-idle', args: [{ spec: { command: 'true' } }] });
      if (!r.started) throw new Error('direct start refused');
      return performance.now() - t0;
    };
    for (let i = 0; i < 3; i++) for (const a of ['grpc', 'http'] as const) await startDirect(a);
    const ratios = { postP50: [] as number[], postP95: [] as number[], getP50: [] as number[], getP95: [] as number[], startP95: [] as number[] };
    for (let round = 1; round <= ROUNDS; round++) {
      const s: Record<'node' | 'edge', Sample> = { node: { post: [], get: [] }, edge: { post: [], get: [] } };
      const ids: Record<'node' | 'edge', string[]> = { node: [], edge: [] };
      for (let i = 0; i < JOBS; i++) {
        for (const t of (i % 2 === 0 ? ['node', 'edge'] : ['edge', 'node']) as Array<'node' | 'edge'>) {
          const r = await post(targets[t]);
          s[t].post.push(r.ms);
          ids[t].push((r.body as { id: string }).id);
        }
      }
      for (let i = 0; i < JOBS; i++) {
        for (const t of (i % 2 === 0 ? ['node', 'edge'] : ['edge', 'node']) as Array<'node' | 'edge'>) {
          s[t].get.push((await timed(`${targets[t]}/v1/jobs/${ids[t][i]}`, {}, 200)).ms);
        }
      }
      const direct = { grpc: [] as number[], http: [] as number[] };
      for (let i = 0; i < JOBS; i++) for (const a of (i % 2 === 0 ? ['grpc', 'http'] : ['http', 'grpc']) as Array<'grpc' | 'http'>) direct[a].push(await startDirect(a));
      const q = (xs: number[], p: number) => quantile([...xs].sort((a, b) => a - b), p);
      ratios.startP95.push(q(direct.http, 0.95) / q(direct.grpc, 0.95));
      console.log(
        `round ${round} start straight from Node: http p50 ${fmt(q(direct.http, 0.5))} ms p95 ${fmt(q(direct.http, 0.95))} ms; grpc p50 ${fmt(q(direct.grpc, 0.5))} ms p95 ${fmt(q(direct.grpc, 0.95))} ms`,
      );
      for (const t of ['node', 'edge'] as const) {
        console.log(
          `round ${round} ${t}: post_p50_ms: ${fmt(q(s[t].post, 0.5))} post_p95_ms: ${fmt(q(s[t].post, 0.95))} get_p50_ms: ${fmt(q(s[t].get, 0.5))} get_p95_ms: ${fmt(q(s[t].get, 0.95))}`,
        );
      }
      ratios.postP50.push(q(s.edge.post, 0.5) / q(s.node.post, 0.5));
      ratios.postP95.push(q(s.edge.post, 0.95) / q(s.node.post, 0.95));
      ratios.getP50.push(q(s.edge.get, 0.5) / q(s.node.get, 0.5));
      ratios.getP95.push(q(s.edge.get, 0.95) / q(s.node.get, 0.95));
      if (hasProc() && CPU_REQUESTS > 0) {
        for (const t of round % 2 === 1 ? (['edge', 'node'] as const) : (['node', 'edge'] as const)) {
          const made: string[] = [];
          const postMs = await cpuPerRequest(t, CPU_REQUESTS, async () => made.push(((await post(cpuTargets[t])).body as { id: string }).id));
          const getMs = await cpuPerRequest(t, CPU_REQUESTS, (i) => timed(`${cpuTargets[t]}/v1/jobs/${made[i]}`, {}, 200));
          cpu[`${t}Post`].push(postMs);
          cpu[`${t}Get`].push(getMs);
        }
        console.log(
          `round ${round} cpu_ms_per_request (${CPU_REQUESTS} each, process tree, /proc): edge post ${fmt2(cpu.edgePost.at(-1))} get ${fmt2(cpu.edgeGet.at(-1))}; node (mesoflow api process) post ${fmt2(cpu.nodePost.at(-1))} get ${fmt2(cpu.nodeGet.at(-1))}`,
        );
      }
      console.log(
        `round ${round} edge/node: post_p50 ${(ratios.postP50.at(-1) as number).toFixed(2)}x post_p95 ${(ratios.postP95.at(-1) as number).toFixed(2)}x get_p50 ${(ratios.getP50.at(-1) as number).toFixed(2)}x get_p95 ${(ratios.getP95.at(-1) as number).toFixed(2)}x`,
      );
    }
    const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}`;
    if (cpu.edgePost.length > 0) {
      console.log(`node_cpu_ms_per_post: ${median(cpu.nodePost).toFixed(2)} (rounds ${spread(cpu.nodePost)})`);
      console.log(`node_cpu_ms_per_get: ${median(cpu.nodeGet).toFixed(2)} (rounds ${spread(cpu.nodeGet)})`);
      console.log(`edge_cpu_ms_per_post: ${median(cpu.edgePost).toFixed(2)} (rounds ${spread(cpu.edgePost)})`);
      console.log(`edge_cpu_ms_per_get: ${median(cpu.edgeGet).toFixed(2)} (rounds ${spread(cpu.edgeGet)})`);
    }
    console.log(`http_vs_grpc_start_p95_ratio: ${median(ratios.startP95).toFixed(2)} (rounds ${spread(ratios.startP95)}; the transport alone, no API)`);
    console.log(`edge_vs_node_post_p95_ratio: ${median(ratios.postP95).toFixed(2)} (rounds ${spread(ratios.postP95)})`);
    console.log(`edge_vs_node_get_p95_ratio: ${median(ratios.getP95).toFixed(2)} (rounds ${spread(ratios.getP95)})`);
    console.log(`edge_vs_node_get_p50_ratio: ${median(ratios.getP50).toFixed(2)} (rounds ${spread(ratios.getP50)})`);
    console.log(`edge_vs_node_post_p50_ratio: ${median(ratios.postP50).toFixed(2)} (rounds ${spread(ratios.postP50)}; target <= 1.5)`);
  } finally {
    await edge.stop();
    await node.close();
    await nodeProcess.stop();
    await worker.client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
    await worker.stop();
    await cluster.stop();
    await temporal.stop();
  }
}
