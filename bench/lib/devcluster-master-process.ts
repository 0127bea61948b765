// The master side of the devcluster benchmark, in its own process so the
// load generator does not share its CPU: a devcluster with null agents
// (tasks finish at once) and a short allocation interval. Prints one JSON
// line {"masterUrl": ...} when ready; exits when stdin closes.
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
