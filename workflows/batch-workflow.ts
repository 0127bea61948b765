// The batch workflow: runs a batch's jobs as child job workflows (the same
// jobWorkflow as a plain job, started through jobStartOptions with ids
// derived from the batch id and the job's node and index), as the pure
// scheduler says: submission order among what is ready, at most maxParallel
// at once, the failure policy. Its state is counts, never a record per job,
// and it continues as new before the history grows long, so 10,000 jobs
// neither reach Temporal's history limits nor grow the worker's memory. To
// continue as new it first lets the running children end (a new run cannot
// await the children of the old one), launching nothing meanwhile.
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  ChildWorkflowFailure,
  TerminatedFailure,
  TimeoutFailure,
  condition,
  makeContinueAsNewFunc,
  defineQuery,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { jobIdOf, jobSpecOf, planOf } from './batch-plan.js';
import { BATCH_PROGRESS_QUERY, batchProgressOf, type BatchProgress } from './batch-progress.js';
import type { JobOutcome, JobRef, SchedulerState } from './batch-scheduler.js';
import { finalStatus, initialState, isFinished, nextLaunches, recordEnd, runningCount, stopLaunching } from './batch-scheduler.js';
import { jobStartOptions, type BatchWorkflowInput } from './job-start.js';

export const batchProgressQuery = defineQuery<BatchProgress>(BATCH_PROGRESS_QUERY);

/** Continue as new once the history holds this many events (Temporal warns at 10,240 and fails at 51,200). */
export const DEFAULT_ROLL_AFTER_EVENTS = 10_000;

/** What a run hands to the next one. */
export interface BatchCarry {
  state: SchedulerState;
  createdAt: string;
  continuedAsNew: number;
}

export interface BatchRunInput extends BatchWorkflowInput {
  carry?: BatchCarry;
  /** Tests lower it to exercise continue-as-new with a few jobs. */
  rollAfterEvents?: number;
}

export interface BatchResult {
  batchId: string;
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  counts: BatchProgress['counts'];
}

/** How a child ended, from its result or its failure. */
function outcomeOf(err: unknown): { outcome: JobOutcome; why: string } {
  const cause = err instanceof ChildWorkflowFailure ? err.cause : err;
  if (cause instanceof CancelledFailure || cause instanceof TerminatedFailure) return { outcome: 'CANCELLED', why: cause.message };
  if (cause instanceof TimeoutFailure) return { outcome: 'TIMED_OUT', why: cause.message };
  if (cause instanceof ApplicationFailure && cause.type === 'JobTimedOut') return { outcome: 'TIMED_OUT', why: cause.message };
  return { outcome: 'FAILED', why: (cause as Error | undefined)?.message ?? String(err) };
}

export async function batchWorkflow(input: BatchRunInput): Promise<BatchResult> {
  const batchId = workflowInfo().workflowId;
  const { spec } = input;
  const plan = planOf(spec);
  const state = input.carry?.state ?? initialState(plan);
  const createdAt = input.carry?.createdAt ?? workflowInfo().startTime.toISOString();
  const continued = input.carry?.continuedAsNew ?? 0;
  const rollAfter = input.rollAfterEvents ?? DEFAULT_ROLL_AFTER_EVENTS;
  let draining = false;
  let endedAt: string | undefined;
  let changes = 0;
  /**
   * Job ids of the running children (for cancelRunning). No cancellation
   * scope per child: each would stay attached to the root scope for the rest
   * of the run; children are cancelled by id instead, and a batch cancel
   * reaches them through the root scope.
   */
  const running = new Set<string>();
  /** Jobs the batch cancelled itself: their CANCELLED is not a failure of theirs. */
  const cancelledByBatch = new Set<string>();
  const root = CancellationScope.current();

  setHandler(batchProgressQuery, () =>
    batchProgressOf(spec, plan, state, {
      batchId,
      status: endedAt !== undefined ? finalStatus(plan, state) : 'RUNNING',
      createdAt,
      endedAt,
      continuedAsNew: continued,
      draining,
    }),
  );

  const cancelRunning = () => {
    for (const id of running) {
      if (cancelledByBatch.has(id)) continue;
      cancelledByBatch.add(id);
      // Not awaited: the child's own end is what settles it.
      getExternalWorkflowHandle(id)
        .cancel()
        .catch(() => undefined);
    }
  };

  const launch = (ref: JobRef) => {
    const jobId = jobIdOf(batchId, spec, ref.node, ref.index);
    const { workflowType, ...options } = jobStartOptions({
      jobId,
      spec: jobSpecOf(batchId, spec, ref.node, ref.index),
      frameworkName: input.frameworkName,
      taskQueue: workflowInfo().taskQueue,
      tuning: input.tuning,
      batch: { batchId, index: ref.index, node: plan[ref.node]?.name },
    });
    running.add(jobId);
    const settle = (outcome: JobOutcome) => {
      running.delete(jobId);
      const effects = recordEnd(plan, state, spec.failurePolicy, ref, outcome, jobId, cancelledByBatch.has(jobId) || root.consideredCancelled);
      cancelledByBatch.delete(jobId);
      if (effects.cancelRunning) cancelRunning();
      changes++;
    };
    startChild(workflowType, {
      ...options,
      // A terminated batch still gets its tasks killed (with their grace period), not left running.
      parentClosePolicy: 'REQUEST_CANCEL',
      cancellationType: 'WAIT_CANCELLATION_COMPLETED',
    })
      .then((child) => child.result())
      .then(
        () => settle('SUCCEEDED'),
        (err: unknown) => settle(outcomeOf(err).outcome),
      );
  };

  try {
    for (;;) {
      if (!draining && workflowInfo().historyLength >= rollAfter && !isFinished(plan, state)) draining = true;
      if (!draining) for (const ref of nextLaunches(plan, state, spec.maxParallel)) launch(ref);
      if (isFinished(plan, state)) break;
      if (draining && runningCount(state) === 0) {
        const carry: BatchCarry = { state, createdAt, continuedAsNew: continued + 1 };
        // The memo (spec hash: idempotent resubmission) and search attributes (framework, labels) go with it.
        const info = workflowInfo();
        await makeContinueAsNewFunc<typeof batchWorkflow>({ memo: info.memo ?? {}, typedSearchAttributes: info.typedSearchAttributes })({ ...input, carry });
      }
      const seen = changes;
      await condition(() => changes !== seen);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled: pending jobs end SKIPPED; running ones were cancelled with
    // the root scope (each killed with its grace period); wait for them to end.
    state.cancelled = true;
    stopLaunching(plan, state, 'the batch was cancelled');
    await CancellationScope.nonCancellable(() => condition(() => runningCount(state) === 0));
    endedAt = new Date().toISOString();
    throw err;
  }
  endedAt = new Date().toISOString();
  const status = finalStatus(plan, state);
  const result: BatchResult = { batchId, status, counts: batchProgressOf(spec, plan, state, { batchId, status, createdAt, endedAt, continuedAsNew: continued, draining }).counts };
  if (status === 'SUCCEEDED') return result;
  const c = result.counts;
  throw ApplicationFailure.create({
    type: 'BatchFailed',
    nonRetryable: true,
    message: `batch ${batchId}: ${c.SUCCEEDED} of ${c.total} jobs succeeded (${c.FAILED} failed, ${c.TIMED_OUT} timed out, ${c.CANCELLED} cancelled, ${c.SKIPPED} skipped)${state.stopReason ? `; ${state.stopReason}` : ''}`,
    details: [result],
  });
}
