// Child of heap-growth.test.ts: applies the worker's heap policy (argv[2],
// percent), then keeps about 40 MB live while replacing it many times over,
// each object living long enough to reach the old generation; prints the
// largest heap V8 kept.
import { applyHeapGrowth } from '../../../worker/heap-growth.js';

applyHeapGrowth(Number(process.argv[2]));
const ring: unknown[] = new Array(40_000);
let peak = 0;
for (let i = 0; i < 3_000_000; i++) {
  ring[i % ring.length] = { id: i, payload: 'x'.repeat(900) + i, list: [i, i + 1, i + 2] };
  if (i % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
}
console.log(JSON.stringify({ peakHeapBytes: peak }));
