// The batch's `progress` query answer, built from the plan and the compact
// scheduler state: status, counts by job status, and per node what it waits
// for and why its jobs were skipped. Pure.
import type { BatchSpec } from './batch-spec.js';
import type { PlanNode } from './batch-plan.js';
import { jobIdPrefixOf } from './batch-plan.js';
import type { BatchCounts, BatchStatus, SchedulerState } from './batch-scheduler.js';
import { countsOf, isClosed, runningCount, waitingFor } from './batch-scheduler.js';

export const BATCH_PROGRESS_QUERY = 'progress';

export interface BatchNodeProgress {
  /** The graph node's name; null for the top-level array. */
  name: string | null;
  count: number;
  /** Job ids: `<prefix><index>` for arrays (prefix ends with "."), the prefix itself for single jobs. */
  jobIdPrefix: string;
  array: boolean;
  dependsOn: string[];
  /** Dependencies that have not all SUCCEEDED yet: why the node's jobs wait. */
  waitingFor: string[];
  launched: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  cancelled: number;
  skipped: number;
  skipReason: string | null;
  closed: boolean;
  /** Why the node's pending jobs are not started yet; null when none is pending. */
  pendingReason: string | null;
}

export interface BatchProgress {
  batchId: string;
  name: string | null;
  status: BatchStatus;
  maxParallel: number;
  failurePolicy: BatchSpec['failurePolicy'];
  counts: BatchCounts;
  nodes: BatchNodeProgress[];
  /** ISO time of the batch's start (its first run). */
  createdAt: string;
  endedAt: string | null;
  /** Why nothing more is launched (failure limit reached, cancelled). */
  stopReason: string | null;
  /** How many times the workflow continued as new (history kept short for large batches). */
  continuedAsNew: number;
  /** Waiting for running jobs to end before continuing as new. */
  draining: boolean;
}

export interface ProgressMeta {
  batchId: string;
  status: BatchStatus;
  createdAt: string;
  endedAt?: string | undefined;
  continuedAsNew: number;
  draining: boolean;
}

export function batchProgressOf(spec: BatchSpec, plan: readonly PlanNode[], state: SchedulerState, meta: ProgressMeta): BatchProgress {
  const name = (i: number) => plan[i]?.name ?? `#${i}`;
  const running = runningCount(state);
  const pendingReason = (i: number): string | null => {
    const n = state.nodes[i];
    if (!n || isClosed(plan, state, i)) return null;
    const deps = waitingFor(plan, state, i);
    if (deps.length > 0) return `waiting for ${deps.map(name).join(', ')} to succeed`;
    if (meta.draining) return `waiting for the running jobs to end before the batch continues as new`;
    if (running >= spec.maxParallel) return `waiting for a free slot (maxParallel ${spec.maxParallel}, ${running} running)`;
    return 'starting';
  };
  return {
    batchId: meta.batchId,
    name: spec.name ?? null,
    status: meta.status,
    maxParallel: spec.maxParallel,
    failurePolicy: spec.failurePolicy,
    counts: countsOf(plan, state),
    nodes: plan.map((p, i) => {
      const n = state.nodes[i];
      const prefix = jobIdPrefixOf(meta.batchId, spec, i);
      const array = spec.array !== undefined || spec.graph?.[i]?.array !== undefined;
      return {
        name: p.name ?? null,
        count: p.count,
        jobIdPrefix: array && p.name !== undefined ? `${prefix}.` : prefix,
        array,
        dependsOn: p.deps.map(name),
        waitingFor: isClosed(plan, state, i) ? [] : waitingFor(plan, state, i).map(name),
        launched: n?.launched ?? 0,
        running: n?.running ?? 0,
        succeeded: n?.succeeded ?? 0,
        failed: n?.failed ?? 0,
        timedOut: n?.timedOut ?? 0,
        cancelled: n?.cancelled ?? 0,
        skipped: n?.skipped ?? 0,
        skipReason: n?.skipReason ?? null,
        closed: isClosed(plan, state, i),
        pendingReason: pendingReason(i),
      };
    }),
    createdAt: meta.createdAt,
    endedAt: meta.endedAt ?? null,
    stopReason: state.stopReason ?? null,
    continuedAsNew: meta.continuedAsNew,
    draining: meta.draining,
  };
}
