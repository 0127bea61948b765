// Polling helpers for job tests: wait for a condition with a generous bound.
import type { WorkflowHandle } from '@temporalio/client';
import { jobProgress } from '../../../worker/job-client.js';
import type { JobProgress } from '../../../workflows/progress.js';

export async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function progressUntil(h: WorkflowHandle, pred: (p: JobProgress) => boolean, what: string, timeoutMs = 60_000): Promise<JobProgress> {
  return until(async () => {
    const p = await jobProgress(h);
    return pred(p) ? p : undefined;
  }, what, timeoutMs);
}
