// Calls per second the devcluster master sustains, for ACKNOWLEDGE and for
// ACCEPT carrying 10 LAUNCH operations.
//
// What is measured and why it is fair: the master runs in its own process
// (bench/lib/devcluster-master-process.ts) so the load generator does not
// steal its CPU, with 100 in-process null agents whose tasks finish at once
// (spawning real processes is the agent's cost, not the master's). Offers are
// real: the allocator re-offers each agent's resources every 10 ms, every
// ACCEPT consumes a real offer, is fully validated (offer checks, 10 task
// validations, resource arithmetic) and launches 10 tasks; their TASK_FINISHED
// updates flow back on the event stream. ACCEPTs go out over 8 keep-alive
// connections as fast as offers arrive. The ACKNOWLEDGE phase then
// acknowledges those real updates (each moves a terminal task to completed and
// is forwarded to the agent), again over 8 connections.
// Knobs (environment): BENCH_CONNECTIONS (8), BENCH_AGENTS (100),
// BENCH_ALLOCATION_MS (10), BENCH_MASTER_NODE_ARGS (e.g. "--cpu-prof").
// devcluster_master_cpu_percent_of_one_core is the master process's CPU over
// its whole life (start-up and both phases included).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Pool, request } from 'undici';
import { RecordIODecoder } from '../mesos/recordio.js';
import { quantile } from './lib/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const ACCEPT_SECONDS = 5;
const WARMUP_SECONDS = 1;
const LAUNCHES = 10;
const HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

interface Ack {
  agent: string;
  task: string;
  uuid: string;
}

async function startMaster(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_MASTER_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''), '--import', 'tsx', join(here, 'lib/devcluster-master-process.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first: string = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench master exited with ${code}`)));
  });
  const { masterUrl } = JSON.parse(first) as { masterUrl: string };
  return { url: masterUrl, stop: () => child.stdin.end() };
}

export async function run(): Promise<void> {
  const master = await startMaster();
  try {
    const offers: Array<{ id: string; agent: string }> = [];
    let offerWaiter: (() => void) | undefined;
    const acks: Ack[] = [];
    const sub = await request(`${master.url}/api/v1/scheduler`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'bench', name: 'bench', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }], failover_timeout: 60 } } }),
    });
    const streamId = String(sub.headers['mesos-stream-id']);
    let frameworkId = '';
    const subscribed = new Promise<void>((resolve) => {
      const decoder = new RecordIODecoder();
      const offerRe = /\{"id":\{"value":"([^"]+)"\},"framework_id":\{"value":"[^"]+"\},"agent_id":\{"value":"([^"]+)"\}/g;
      const uuidRe = /"task_id":\{"value":"([^"]+)"\}.*"agent_id":\{"value":"([^"]+)"\}.*"uuid":"([^"]+)"/;
      sub.body.on('data', (chunk: Buffer) => {
        for (const rec of decoder.push(chunk)) {
          const text = Buffer.from(rec).toString('utf8');
          if (text.startsWith('{"type":"UPDATE"')) {
            const m = uuidRe.exec(text);
            if (m) acks.push({ task: m[1] as string, agent: m[2] as string, uuid: m[3] as string });
          } else if (text.startsWith('{"type":"OFFERS"')) {
            for (const m of text.matchAll(offerRe)) offers.push({ id: m[1] as string, agent: m[2] as string });
            offerWaiter?.();
          } else if (text.startsWith('{"type":"SUBSCRIBED"')) {
            frameworkId = (JSON.parse(text) as { subscribed: { framework_id: { value: string } } }).subscribed.framework_id.value;
            resolve();
          }
        }
      });
    });
    await subscribed;
    const headers = { ...HEADERS, 'mesos-stream-id': streamId };
    const pool = new Pool(master.url, { connections: CONNECTIONS, pipelining: 1 });
    const post = async (body: string): Promise<number> => {
      const t0 = performance.now();
      const r = await pool.request({ path: '/api/v1/scheduler', method: 'POST', headers, body });
      await r.body.dump();
      if (r.statusCode !== 202) throw new Error(`call answered ${r.statusCode}`);
      return performance.now() - t0;
    };

    // ACCEPT phase.
    let taskSeq = 0;
    // Bodies are built by string concatenation so that the load generator stays cheap next to the master.
    const acceptBody = (offer: { id: string; agent: string }): string => {
      const ops: string[] = [];
      for (let i = 0; i < LAUNCHES; i++) {
        const id = `t-${taskSeq++}`;
        ops.push(
          `{"type":"LAUNCH","launch":{"task_infos":[{"name":"${id}","task_id":{"value":"${id}"},"agent_id":{"value":"${offer.agent}"},` +
            `"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.01}},{"name":"mem","type":"SCALAR","scalar":{"value":1}}],"command":{"value":"true"}}]}}`,
        );
      }
      return `{"type":"ACCEPT","framework_id":{"value":"${frameworkId}"},"accept":{"offer_ids":[{"value":"${offer.id}"}],"operations":[${ops.join(',')}],"filters":{"refuse_seconds":0}}}`;
    };
    const nextOffer = async (deadline: number): Promise<{ id: string; agent: string } | undefined> => {
      while (offers.length === 0) {
        if (performance.now() > deadline) return undefined;
        await new Promise<void>((r) => {
          offerWaiter = r;
          setTimeout(r, 50);
        });
      }
      return offers.shift();
    };
    const acceptLatencies: number[] = [];
    let accepted = 0;
    const start = performance.now();
    const measureFrom = start + WARMUP_SECONDS * 1000;
    const end = measureFrom + ACCEPT_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (;;) {
          const offer = await nextOffer(end);
          if (offer === undefined || performance.now() > end) return;
          const t = await post(acceptBody(offer));
          if (performance.now() >= measureFrom) {
            accepted++;
            acceptLatencies.push(t);
          }
        }
      }),
    );
    const acceptRate = accepted / ACCEPT_SECONDS;

    // ACKNOWLEDGE phase: acknowledge the real TASK_FINISHED updates collected above.
    await new Promise((r) => setTimeout(r, 300));
    const toAck = acks.splice(0);
    const ackBodies = toAck.map((a) => JSON.stringify({ type: 'ACKNOWLEDGE', framework_id: { value: frameworkId }, acknowledge: { agent_id: { value: a.agent }, task_id: { value: a.task }, uuid: a.uuid } }));
    const ackLatencies: number[] = [];
    let next = 0;
    const ackStart = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < ackBodies.length) {
          const body = ackBodies[next++] as string;
          ackLatencies.push(await post(body));
        }
      }),
    );
    const ackSeconds = (performance.now() - ackStart) / 1000;
    const ackRate = ackBodies.length / ackSeconds;
    await pool.close();
    sub.body.destroy();

    acceptLatencies.sort((a, b) => a - b);
    ackLatencies.sort((a, b) => a - b);
    console.log(`devcluster_acknowledge_calls: ${ackBodies.length}`);
    console.log(`devcluster_acknowledge_p50_ms: ${quantile(ackLatencies, 0.5).toFixed(2)}`);
    console.log(`devcluster_acknowledge_p99_ms: ${quantile(ackLatencies, 0.99).toFixed(2)}`);
    console.log(`devcluster_acknowledge_calls_per_s: ${ackRate.toFixed(0)}`);
    console.log(`devcluster_accept_10_launch_calls: ${accepted}`);
    console.log(`devcluster_accept_10_launch_p50_ms: ${quantile(acceptLatencies, 0.5).toFixed(2)}`);
    console.log(`devcluster_accept_10_launch_p99_ms: ${quantile(acceptLatencies, 0.99).toFixed(2)}`);
    console.log(`devcluster_launched_tasks_per_s: ${(acceptRate * LAUNCHES).toFixed(0)}`);
    console.log(`devcluster_accept_10_launch_calls_per_s: ${acceptRate.toFixed(0)}`);
  } finally {
    master.stop();
  }
}
