// How far V8 lets the JavaScript heap grow past what survived the last full
// collection. On a machine with plenty of memory V8 lets it grow up to 4×:
// under a 10,000-job backlog the worker's heap reached 372 MB while only
// 100–150 MB of it was live (the rest garbage of finished offer cycles,
// heartbeats and activations, waiting for the next full collection). A
// bounded factor keeps the resident set near what is live, for a full
// collection every few seconds under load instead of every minute.
import { setFlagsFromString } from 'node:v8';

/**
 * Sets V8's heap growing factor for this process to 1 + percent/100 (the
 * flag applies to every isolate of the process, the workflow thread's too).
 * 0 leaves V8's own policy. Process-wide: the last call wins.
 */
export function applyHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growing percent must be an integer ≥ 0, got ${percent}`);
  if (percent === 0) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
