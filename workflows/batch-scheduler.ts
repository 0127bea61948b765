// The batch's scheduler as a pure state machine: which jobs to start now
// (in submission order among the nodes whose dependencies all succeeded,
// never more than maxParallel holding a slot), what a job's end changes
// (counts, dependents SKIPPED naming the dependency, the failure policy),
// and when the batch is over. The state is compact (counts per node, no
// record per job) so that continue-as-new can carry it for any batch size:
// jobs of a node start in index order, so the skipped ones of a node are
// exactly the indices from `launched` to the end.
import type { PlanNode } from './batch-plan.js';

export type JobOutcome = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED';

export interface NodeState {
  /** Jobs started so far: indices 0…launched-1. */
  launched: number;
  /** Started and not ended yet (each holds a slot). */
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  cancelled: number;
  /** Never started: indices launched…count-1 once the node is closed. */
  skipped: number;
  /** Why the node's remaining jobs were skipped (set once, when it closes early). */
  skipReason?: string;
}

export interface FailurePolicy {
  mode: 'continue' | 'stop';
  maxFailures?: number | undefined;
  cancelRunning: boolean;
}

export interface SchedulerState {
  nodes: NodeState[];
  /** Jobs that ended other than SUCCEEDED, not counting those the batch itself cancelled. */
  failures: number;
  /** Set when nothing more is launched (failure limit, or the batch was cancelled). */
  stopReason?: string;
  /** The batch was cancelled. */
  cancelled?: boolean;
}

export interface JobRef {
  node: number;
  index: number;
}

export function initialState(plan: readonly PlanNode[]): SchedulerState {
  return { nodes: plan.map(() => ({ launched: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, cancelled: 0, skipped: 0 })), failures: 0 };
}

function node(state: SchedulerState, i: number): NodeState {
  const n = state.nodes[i];
  if (!n) throw new RangeError(`no node ${i}`);
  return n;
}

/** No more jobs of this node will start (all started, or the rest skipped). */
export function isClosed(plan: readonly PlanNode[], state: SchedulerState, i: number): boolean {
  const n = node(state, i);
  return n.launched + n.skipped >= (plan[i]?.count ?? 0);
}

export function runningCount(state: SchedulerState): number {
  return state.nodes.reduce((s, n) => s + n.running, 0);
}

/** Dependencies of node i that have not all succeeded yet (names or indices for the top-level array). */
export function waitingFor(plan: readonly PlanNode[], state: SchedulerState, i: number): number[] {
  return (plan[i]?.deps ?? []).filter((d) => node(state, d).succeeded < (plan[d]?.count ?? 0));
}

/**
 * The jobs to start now, in submission order (node order, then index),
 * marked started in `state`. `maxParallel` bounds the jobs holding a slot.
 */
export function nextLaunches(plan: readonly PlanNode[], state: SchedulerState, maxParallel: number): JobRef[] {
  const out: JobRef[] = [];
  if (state.stopReason !== undefined) return out;
  let free = maxParallel - runningCount(state);
  for (let i = 0; i < plan.length && free > 0; i++) {
    if (isClosed(plan, state, i) || waitingFor(plan, state, i).length > 0) continue;
    const n = node(state, i);
    const count = plan[i]?.count ?? 0;
    while (free > 0 && n.launched < count) {
      out.push({ node: i, index: n.launched });
      n.launched++;
      n.running++;
      free--;
    }
  }
  return out;
}

function label(plan: readonly PlanNode[], i: number): string {
  return plan[i]?.name ?? `#${i}`;
}

/** Closes a node early: its jobs not started are SKIPPED for `reason`. */
function closeNode(plan: readonly PlanNode[], state: SchedulerState, i: number, reason: string): boolean {
  if (isClosed(plan, state, i)) return false;
  const n = node(state, i);
  n.skipped = (plan[i]?.count ?? 0) - n.launched;
  n.skipReason = reason;
  return true;
}

/** Skips every node that depends on `from` (directly or through a skipped node), each naming the dependency that caused it. */
function skipDependents(plan: readonly PlanNode[], state: SchedulerState, from: number, reason: (dep: string) => string): void {
  const queue: Array<{ dep: number; why: (dep: string) => string }> = [{ dep: from, why: reason }];
  while (queue.length > 0) {
    const { dep, why } = queue.shift() as { dep: number; why: (dep: string) => string };
    plan.forEach((p, i) => {
      if (!p.deps.includes(dep)) return;
      if (closeNode(plan, state, i, why(label(plan, dep)))) queue.push({ dep: i, why: (d) => `dependency ${d} was SKIPPED` });
    });
  }
}

/** Stops launching: every job not started yet ends SKIPPED for `reason`. */
export function stopLaunching(plan: readonly PlanNode[], state: SchedulerState, reason: string): void {
  if (state.stopReason !== undefined) return;
  state.stopReason = reason;
  plan.forEach((_, i) => closeNode(plan, state, i, reason));
}

export interface EndEffects {
  /** Running jobs the batch must now cancel (failure limit reached with cancelRunning). */
  cancelRunning: boolean;
}

/**
 * Records the end of a started job. `byBatch`: the batch cancelled it itself
 * (batch cancel, or cancelRunning), which is neither a failure that counts
 * toward maxFailures nor a reason to skip dependents (they are skipped already).
 */
export function recordEnd(plan: readonly PlanNode[], state: SchedulerState, policy: FailurePolicy, ref: JobRef, outcome: JobOutcome, jobId: string, byBatch = false): EndEffects {
  const n = node(state, ref.node);
  if (n.running <= 0) throw new RangeError(`node ${ref.node} has no running job to end (index ${ref.index})`);
  n.running--;
  switch (outcome) {
    case 'SUCCEEDED':
      n.succeeded++;
      return { cancelRunning: false };
    case 'FAILED':
      n.failed++;
      break;
    case 'TIMED_OUT':
      n.timedOut++;
      break;
    case 'CANCELLED':
      n.cancelled++;
      break;
  }
  if (byBatch) return { cancelRunning: false };
  state.failures++;
  skipDependents(plan, state, ref.node, (dep) => `dependency ${dep} ended ${outcome} (job ${jobId})`);
  if (policy.mode === 'stop' && state.stopReason === undefined && state.failures >= (policy.maxFailures ?? 1)) {
    stopLaunching(plan, state, `maxFailures (${policy.maxFailures ?? 1}) reached: ${state.failures} job(s) failed`);
    return { cancelRunning: policy.cancelRunning };
  }
  return { cancelRunning: false };
}

/** Every job started has ended and no more will start. */
export function isFinished(plan: readonly PlanNode[], state: SchedulerState): boolean {
  return runningCount(state) === 0 && plan.every((_, i) => isClosed(plan, state, i));
}

export interface BatchCounts {
  total: number;
  /** Not started yet (waiting for a slot or for dependencies). */
  PENDING: number;
  RUNNING: number;
  SUCCEEDED: number;
  FAILED: number;
  TIMED_OUT: number;
  CANCELLED: number;
  SKIPPED: number;
}

export function countsOf(plan: readonly PlanNode[], state: SchedulerState): BatchCounts {
  const c: BatchCounts = { total: 0, PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, TIMED_OUT: 0, CANCELLED: 0, SKIPPED: 0 };
  plan.forEach((p, i) => {
    const n = node(state, i);
    c.total += p.count;
    c.PENDING += p.count - n.launched - n.skipped;
    c.RUNNING += n.running;
    c.SUCCEEDED += n.succeeded;
    c.FAILED += n.failed;
    c.TIMED_OUT += n.timedOut;
    c.CANCELLED += n.cancelled;
    c.SKIPPED += n.skipped;
  });
  return c;
}

export type BatchStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/** SUCCEEDED when every job succeeded; CANCELLED when the batch was cancelled; otherwise FAILED. */
export function finalStatus(plan: readonly PlanNode[], state: SchedulerState): Exclude<BatchStatus, 'RUNNING'> {
  if (state.cancelled) return 'CANCELLED';
  const c = countsOf(plan, state);
  return c.SUCCEEDED === c.total ? 'SUCCEEDED' : 'FAILED';
}
