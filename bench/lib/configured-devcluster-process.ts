// A devcluster in a process of its own (Mesos is not part of the scheduler's
// process in real life), configured by the JSON in BENCH_DEVCLUSTER (the
// DevClusterOptions that survive JSON). Prints one JSON line
// {"masterUrl": ...} when ready; stats are read over HTTP
// (GET /__devcluster/stats); exits when stdin closes.
import { startDevCluster, type DevClusterOptions } from '../../devcluster/index.js';

const options = JSON.parse(process.env.BENCH_DEVCLUSTER ?? '{}') as DevClusterOptions;
const cluster = await startDevCluster(options);
process.stdout.write(`${JSON.stringify({ masterUrl: cluster.masterUrl })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void cluster.stop().then(() => process.exit(0));
});
