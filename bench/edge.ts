// The edge build (api/edge/worker.ts bundled, in workerd, Temporal over its
// HTTP API) against the Node API (gRPC), side by side on the same dev server,
// devcluster and worker: p50/p95 of POST /v1/jobs and GET /v1/jobs/{id}, the
// ratios edge/Node (target ≤ 1.5×) and the bundle's size. Requests alternate
// between the two targets so that load from elsewhere hits both alike.
// BENCH_EDGE_JOBS jobs per target per round (default 20), BENCH_ROUNDS rounds (default 3).
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
import { median, quantile } from './lib/stats.js';

const JOBS = Number(process.env.BENCH_EDGE_JOBS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const fmt = (n: number) => n.toFixed(1);

async function timed(url: string, init: RequestInit, expect: number): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = (await res.json()) as unknown;
  const ms = performance.now() - t0;
  if (res.status !== expect) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return { ms, body };
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
    for (const base of Object.values(targets)) for (let i = 0; i < 3; i++) await timed(`${base}/v1/jobs/${(await post(base).then((r) => r.body as { id: string })).id}`, {}, 200);

    const ratios = { postP50: [] as number[], postP95: [] as number[], getP50: [] as number[], getP95: [] as number[] };
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
      const q = (xs: number[], p: number) => quantile([...xs].sort((a, b) => a - b), p);
      for (const t of ['node', 'edge'] as const) {
        console.log(
          `round ${round} ${t}: post_p50_ms: ${fmt(q(s[t].post, 0.5))} post_p95_ms: ${fmt(q(s[t].post, 0.95))} get_p50_ms: ${fmt(q(s[t].get, 0.5))} get_p95_ms: ${fmt(q(s[t].get, 0.95))}`,
        );
      }
      ratios.postP50.push(q(s.edge.post, 0.5) / q(s.node.post, 0.5));
      ratios.postP95.push(q(s.edge.post, 0.95) / q(s.node.post, 0.95));
      ratios.getP50.push(q(s.edge.get, 0.5) / q(s.node.get, 0.5));
      ratios.getP95.push(q(s.edge.get, 0.95) / q(s.node.get, 0.95));
      console.log(
        `round ${round} edge/node: post_p50 ${(ratios.postP50.at(-1) as number).toFixed(2)}x post_p95 ${(ratios.postP95.at(-1) as number).toFixed(2)}x get_p50 ${(ratios.getP50.at(-1) as number).toFixed(2)}x get_p95 ${(ratios.getP95.at(-1) as number).toFixed(2)}x`,
      );
    }
    const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}`;
    console.log(`edge_vs_node_post_p95_ratio: ${median(ratios.postP95).toFixed(2)} (rounds ${spread(ratios.postP95)})`);
    console.log(`edge_vs_node_get_p95_ratio: ${median(ratios.getP95).toFixed(2)} (rounds ${spread(ratios.getP95)})`);
    console.log(`edge_vs_node_get_p50_ratio: ${median(ratios.getP50).toFixed(2)} (rounds ${spread(ratios.getP50)})`);
    console.log(`edge_vs_node_post_p50_ratio: ${median(ratios.postP50).toFixed(2)} (rounds ${spread(ratios.postP50)}; target <= 1.5)`);
  } finally {
    await edge.stop();
    await node.close();
    await worker.client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('bench over').catch(() => undefined);
    await worker.stop();
    await cluster.stop();
    await temporal.stop();
  }
}
