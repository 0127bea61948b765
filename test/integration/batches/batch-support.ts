// Helpers for the batch tests: poll a batch through the API, sample the
// devcluster master's running tasks of a batch.
import type { ApiJob } from '../../../api/schemas.js';
import { http } from '../api/api-stack.js';
import { masterTasks, type Stack } from '../jobs/stack.js';
import { until } from '../../support/wait.js';
import type { BatchCounts } from '../../../workflows/batch-scheduler.js';

export interface Batch {
  id: string;
  status: string;
  /** As the API serves it: the batch workflow's counts. */
  counts: BatchCounts | null;
  stopReason: string | null;
  jobIds: string[];
  continuedAsNew: number;
  nodes: Array<{ name: string | null; waitingFor: string[]; skipped: number; skipReason: string | null; running: number; pendingReason: string | null }>;
  links: { self: string; jobs: string; events: string; temporal: string | null };
}

/** The API's job view (the CLI and tests read the type from the schemas). */
export type JobView = ApiJob;

export async function batchUntil(base: string, id: string, pred: (b: Batch) => boolean, what: string, timeoutMs = 120_000): Promise<Batch> {
  let last: unknown;
  try {
    return await until(
      async () => {
        const r = await http(`${base}/v1/batches/${id}`);
        last = r.json;
        return r.status === 200 && pred(r.json as Batch) ? (r.json as Batch) : undefined;
      },
      what,
      timeoutMs,
      200,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`, { cause: err });
  }
}

export const ended = (b: Batch) => b.status !== 'RUNNING' && b.counts !== null;

/** Every job of the batch the API lists (all pages), waiting until visibility shows `expected` of them. */
/**
 * The batch's jobs as its listing names them (all ended), each then read in
 * full with GET /v1/jobs/{id}: a list row is what visibility holds (status,
 * times of a failure, labels), the attempts and their updates are in the job's
 * own view.
 */
export async function batchJobs(base: string, id: string, expected: number): Promise<JobView[]> {
  const listed = await listedBatchJobs(base, id, expected);
  return Promise.all(
    listed.map(async (row) => {
      const r = await http(`${base}/v1/jobs/${encodeURIComponent(row.id)}`);
      if (r.status !== 200) throw new Error(`GET /v1/jobs/${row.id}: ${r.status} ${r.text}`);
      return r.json as JobView;
    }),
  );
}

async function listedBatchJobs(base: string, id: string, expected: number): Promise<JobView[]> {
  return until(
    async () => {
      const all: JobView[] = [];
      let cursor: string | null = null;
      do {
        const r = await http(`${base}/v1/batches/${id}/jobs?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        if (r.status !== 200) throw new Error(r.text);
        const page = r.json as { jobs: JobView[]; nextCursor: string | null };
        all.push(...page.jobs);
        cursor = page.nextCursor;
      } while (cursor);
      return all.length === expected && all.every((j) => ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'].includes(j.status)) ? all : undefined;
    },
    `${expected} ended jobs of batch ${id} in the listing`,
    60_000,
    300,
  );
}

const ACTIVE = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);

/** Tasks of the batch the master holds as launched and not ended. */
export async function activeTasks(stack: Pick<Stack, 'cluster'>, batchId: string): Promise<string[]> {
  return (await masterTasks(stack)).filter((t) => t.task_id.value.startsWith(`${batchId}.`) && ACTIVE.has(t.state)).map((t) => t.task_id.value);
}

/** Samples the master's active tasks of the batch until stopped; returns the most seen at once and the number of samples. */
export function sampleActive(stack: Pick<Stack, 'cluster'>, batchId: string, everyMs = 50): { stop(): Promise<{ max: number; samples: number }> } {
  let max = 0;
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const n = (await activeTasks(stack, batchId).catch(() => [])).length;
      max = Math.max(max, n);
      samples++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { max, samples };
    },
  };
}
