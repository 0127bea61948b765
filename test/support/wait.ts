// Polling helpers for integration tests: wait for a condition with a
// generous bound (never a fixed sleep), reporting what was awaited.
import type { WorkflowHandle } from '@temporalio/client';
import { jobProgress, jobProgressLive } from '../../worker/job-client.js';
import type { JobProgress } from '../../workflows/progress.js';

/**
 * Polls `probe` until it returns something other than undefined/false and
 * returns that; a probe that throws counts as "not yet" (its last error is
 * reported on timeout).
 */
export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
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
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Polls a job's progress as the API shows it (the query, with what the
 * attempt's open activity heartbeated) until `pred` holds; on timeout the
 * last progress seen is in the error.
 */
export async function progressUntil(h: WorkflowHandle, pred: (p: JobProgress) => boolean, what: string, timeoutMs = 60_000): Promise<JobProgress> {
  let seen: JobProgress | undefined;
  try {
    return await until(
      async () => {
        seen = await jobProgressLive(h);
        return pred(seen) ? seen : undefined;
      },
      what,
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last progress: ${JSON.stringify(seen)}`, { cause: err });
  }
}

/**
 * A workflow's result within a bound: the test fails with the job's last
 * progress instead of hanging when the workflow never ends.
 */
export async function resultWithin<T = unknown>(h: WorkflowHandle, timeoutMs = 120_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      jobProgress(h).then(
        (p) => reject(new Error(`workflow ${h.workflowId} did not end within ${timeoutMs} ms; last progress: ${JSON.stringify(p)}`)),
        (err: unknown) => reject(new Error(`workflow ${h.workflowId} did not end within ${timeoutMs} ms (progress unreadable: ${String(err)})`)),
      );
    }, timeoutMs);
  });
  try {
    return (await Promise.race([h.result() as Promise<T>, timeout])) as T;
  } finally {
    clearTimeout(timer);
  }
}
