// The backlog bench's worker, as it is deployed: plain Node running the
// built package (dist/, written by `npm run build`), with no TypeScript
// loader in the process, so that its resident set is the worker's own.
// Configured by BENCH_WORKER (JSON, a WorkerConfigInput). Prints one JSON
// line when the session subscribed, then its session's statistics every
// 500 ms; ends the worker when its stdin closes.
import { startWorker } from '../../dist/worker/start-worker.js';
import { createLogger } from '../../dist/common/logger.js';

const config = JSON.parse(process.env.BENCH_WORKER ?? '{}');
const worker = await startWorker(config, { logger: createLogger({ level: 'error' }) });
const session = () => [...worker.sessions][0];
const report = () => {
  const s = session();
  const m = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ subscribed: (s?.stats.subscribes ?? 0) > 0, stats: s?.stats, heapTotal: m.heapTotal })}\n`);
};
const timer = setInterval(report, 500);
process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(timer);
  report();
  void worker.stop().then(() => process.exit(0));
});
