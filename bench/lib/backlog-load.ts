// The load side of the backlog benchmark, in a process of its own so that
// the benchmark's process holds the worker alone and its peak RSS is the
// worker's: the API (as `mesoflow api` runs it, on its own Temporal
// connection) and a client submitting BENCH_LOAD.jobs jobs through it at
// once (bounded concurrency) and awaiting their results. Prints one JSON line
// per second ({"done": n}), then {"done": n, "wallMs": ms, "finished": true};
// exits when stdin closes.
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { Client, Connection } from '@temporalio/client';
import { createLogger } from '../../common/logger.js';
import { createApi } from '../../api/app.js';
import { serveApi } from '../../api/server.js';
import { Limiter } from '../../activities/session/limiter.js';

interface LoadOptions {
  temporalAddress: string;
  masterUrl: string;
  frameworkName: string;
  taskQueue: string;
  jobs: number;
  submitConcurrency: number;
  command: string;
}

const o = JSON.parse(process.env.BENCH_LOAD ?? '{}') as LoadOptions;
const connection = await Connection.connect({ address: o.temporalAddress });
const client = new Client({ connection });
const api = createApi({ client, namespace: 'default', frameworkName: o.frameworkName, taskQueue: o.taskQueue, masters: [o.masterUrl], logger: createLogger({ level: 'error' }) });
const server = await serveApi(api.app, { port: 0 });
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));

const submits = new Limiter(o.submitConcurrency);
const results = new Limiter(256);
let done = 0;
const t0 = performance.now();
const progress = setInterval(() => process.stdout.write(`${JSON.stringify({ done })}\n`), 1000);
await Promise.all(
  Array.from({ length: o.jobs }, async () => {
    const id = await submits.run(async () => {
      const res = await request(`${server.url}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command: o.command, resources: { cpus: 0.1, mem: 32 } }),
      });
      const body = (await res.body.json()) as { id: string };
      if (res.statusCode !== 201) throw new Error(`POST /v1/jobs answered ${res.statusCode}: ${JSON.stringify(body)}`);
      return body.id;
    });
    await results.run(() => client.workflow.getHandle(id).result());
    done++;
  }),
);
clearInterval(progress);
process.stdout.write(`${JSON.stringify({ done, wallMs: performance.now() - t0, finished: true })}\n`);
