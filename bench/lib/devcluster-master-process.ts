// The master side of the devcluster benchmark, in its own process so the
// load generator does not share its CPU: a devcluster with null agents
// (tasks finish at once) and a short allocation interval. Prints one JSON
// line {"masterUrl": ...} when ready; exits when stdin closes.
import { performance } from 'node:perf_hooks';
import { startDevCluster } from '../../devcluster/index.js';
import { nullAgentFactory } from './devcluster-null-agent.js';

const agents = Number(process.env.BENCH_AGENTS ?? 100);
const allocationIntervalMs = Number(process.env.BENCH_ALLOCATION_MS ?? 10);
const cluster = await startDevCluster({
  agents,
  allocationIntervalMs,
  agentFactory: nullAgentFactory([
    { name: 'cpus', type: 'SCALAR', scalar: { value: 100_000 } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 100_000_000 } },
  ]),
});
process.stdout.write(`${JSON.stringify({ masterUrl: cluster.masterUrl })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void cluster.stop().then(() => process.exit(0));
});

// How busy the master was: a master below ~90% of one core is not the bottleneck of the run.
const startCpu = process.cpuUsage();
const startWall = performance.now();
process.on('exit', () => {
  const cpu = process.cpuUsage(startCpu);
  const wallMs = performance.now() - startWall;
  process.stderr.write(`devcluster_master_cpu_percent_of_one_core: ${(((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(0)}\n`);
});
