// The devcluster of the jobs benchmark in its own process (Mesos is not part
// of the scheduler's process in real life): real agents running real task
// processes. Prints one JSON line {"masterUrl": ...} when ready; stats are
// read over HTTP (GET /__devcluster/stats); exits when stdin closes.
import { startDevCluster } from '../../devcluster/index.js';

const cluster = await startDevCluster({
  agents: Number(process.env.BENCH_AGENTS ?? 4),
  resources: 'cpus:8;mem:16384;disk:16384;ports:[31000-32000]',
  allocationIntervalMs: Number(process.env.BENCH_ALLOCATION_MS ?? 100),
  heartbeatIntervalMs: 5000,
});
process.stdout.write(`${JSON.stringify({ masterUrl: cluster.masterUrl })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void cluster.stop().then(() => process.exit(0));
});
