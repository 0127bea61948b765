// The job workflow as it was before issue 11 (ensureSession, awaitOffer,
// launchTask: three activities per attempt). Kept unchanged so that jobs
// started before the change replay and finish: jobWorkflow runs it for every
// history without the one-activity patch marker. New jobs never take it.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { GeneralActivities, SessionActivities } from '../activities/contract.js';
import { sessionTaskQueue } from '../activities/contract.js';
import { progressQuery, taskUpdateSignal } from './job-messages.js';
import type { JobFailureDetails, JobResult, JobTuning, JobWorkflowInput } from './job-workflow.js';
import { defaultJobTuning } from './job-tuning.js';
// Types only: the zod schema stays out of the workflow bundle (the SDK
// re-initialises every bundled module for every new workflow, and zod made
// that the most expensive part of starting a job). ensureSession validates.
import type { JobSpec } from './job-spec.js';
import type { AttemptProgress, JobStatus } from './progress.js';
import { applyUpdate, beginAttempt, finish, initialProgress } from './progress.js';
import type { AttemptOutcome } from './retry-decision.js';
import { classifyTerminal, decideAfterAttempt } from './retry-decision.js';
import { deriveTaskId } from './task-id.js';
import { endsAttempt } from './task-states.js';
import { frameworkKey, jobStatusKey, labelsKey } from './search-attribute-keys.js';

const MAX_QUIET_MS = 15 * 60_000;
const MAX_POLL_SECONDS = 300;

export async function jobWorkflowV1(input: JobWorkflowInput): Promise<JobResult> {
  const info = workflowInfo();
  const jobId = info.workflowId;
  const tuning: JobTuning = { ...defaultJobTuning, ...input.tuning };
  const progress = initialProgress(jobId);
  // Per task: when it last reported, and since when it is unreachable.
  const lastUpdateAt = new Map<string, number>();
  const unreachableSince = new Map<string, number>();
  setHandler(progressQuery, () => progress);
  setHandler(taskUpdateSignal, (u) => {
    applyUpdate(progress, u);
    lastUpdateAt.set(u.taskId, Date.now());
    if (u.state !== 'TASK_UNREACHABLE') unreachableSince.delete(u.taskId);
    else if (!unreachableSince.has(u.taskId)) unreachableSince.set(u.taskId, Date.now());
  });

  let spec!: JobSpec;
  const setStatus = (status: JobStatus) => upsertSearchAttributes([{ key: jobStatusKey, value: status }]);

  const general = proxyActivities<GeneralActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1s', maximumInterval: '10s' },
  });
  const taskQueue = sessionTaskQueue(input.frameworkName);
  const hb = `${tuning.sessionActivityHeartbeatSeconds}s` as const;
  const offers = proxyActivities<SessionActivities>({
    taskQueue,
    startToCloseTimeout: `${Math.max(tuning.offerPollSeconds, MAX_POLL_SECONDS) + 60}s`,
    heartbeatTimeout: hb,
    retry: { initialInterval: '500ms', maximumInterval: '5s' },
  });
  const launcher = proxyActivities<SessionActivities>({
    taskQueue,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout: hb,
    retry: { initialInterval: '500ms', maximumInterval: '5s', maximumAttempts: 30 },
  });
  const control = proxyActivities<SessionActivities>({
    taskQueue,
    startToCloseTimeout: '30s',
    retry: { initialInterval: '500ms', maximumInterval: '5s' },
  });

  let attemptNo = 0;
  let jobFailures = 0;
  let infrastructureFailures = 0;
  /** The attempt whose task may exist (launch sent or under way). */
  let live: { attempt: AttemptProgress; agentId?: string } | undefined;

  const ended = (a: AttemptProgress) => a.state !== undefined && endsAttempt(a.state);

  /**
   * Waits for `fn` or `ms`. Unlike condition(fn, ms) the timer is left to
   * fire instead of being cancelled: a TimerCanceled in the activation that
   * completes a cancelled workflow does not replay (SDK 1.24, found by the
   * replay test), and this runs exactly there.
   */
  async function waitUntil(fn: () => boolean, ms: number): Promise<boolean> {
    let elapsed = false;
    sleep(ms).then(
      () => (elapsed = true),
      () => (elapsed = true),
    );
    await condition(() => fn() || elapsed);
    return fn();
  }

  async function killAndWait(a: AttemptProgress, agentId: string | undefined): Promise<void> {
    progress.phase = 'killing';
    const graceMs = Math.round(spec.killGracePeriodSeconds * 1000);
    await control.killTask({ taskId: a.taskId, ...(agentId ? { agentId } : {}), gracePeriodMs: graceMs });
    if (await waitUntil(() => ended(a), graceMs + tuning.killWaitMarginSeconds * 1000)) return;
    // No terminal update: ask once more, then go with what the master last said.
    await control.reconcileTask({ taskId: a.taskId, ...(agentId ? { agentId } : {}) });
    await waitUntil(() => ended(a), tuning.killWaitMarginSeconds * 1000);
  }

  function fail(status: 'FAILED' | 'TIMED_OUT', why: string): never {
    finish(progress, status, why);
    setStatus(status);
    const details: JobFailureDetails = { status, attempts: progress.attempts.length, why };
    if (progress.exitCode !== undefined) details.exitCode = progress.exitCode;
    throw ApplicationFailure.create({
      type: status === 'TIMED_OUT' ? 'JobTimedOut' : 'JobFailed',
      nonRetryable: true,
      message: why,
      details: [details],
    });
  }

  try {
    let session;
    try {
      session = await general.ensureSession({ frameworkName: input.frameworkName, spec: input.spec });
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'InvalidJobSpec') {
        finish(progress, 'FAILED', err.cause.message);
        setStatus('FAILED');
        throw ApplicationFailure.create({ type: 'InvalidJobSpec', nonRetryable: true, message: err.cause.message, details: err.cause.details ?? [] });
      }
      throw err;
    }
    spec = session.spec;
    if (session.frameworkId) progress.frameworkId = session.frameworkId;
    upsertSearchAttributes([
      { key: jobStatusKey, value: 'WAITING' },
      { key: frameworkKey, value: input.frameworkName },
      { key: labelsKey, value: Object.entries(spec.labels).map(([k, v]) => `${k}=${v}`) },
    ]);
    upsertMemo({ command: spec.command, resources: spec.resources, ...(spec.name ? { name: spec.name } : {}) });

    for (;;) {
      attemptNo++;
      const taskId = deriveTaskId(jobId, attemptNo);
      const attempt = beginAttempt(progress, attemptNo, taskId);
      if (attemptNo > 1) setStatus('WAITING');

      // 1. An offer (several polls, each telling why nothing fit yet).
      const offerDeadline = Date.now() + spec.offerTimeoutSeconds * 1000;
      let lease;
      for (let poll = 0; ; poll++) {
        const pollSeconds = Math.min(tuning.offerPollSeconds * 2 ** Math.min(poll, 10), Math.max(tuning.offerPollSeconds, MAX_POLL_SECONDS));
        const untilDeadline = Math.max(1000, offerDeadline - Date.now());
        const r = await offers.awaitOffer({ jobId, attempt: attemptNo, taskId, spec, pollMs: Math.min(pollSeconds * 1000, untilDeadline) });
        if (r.kind === 'leased') {
          lease = r.lease;
          break;
        }
        progress.waiting = r.waiting;
        if (Date.now() >= offerDeadline) fail('FAILED', `no fitting offer within ${spec.offerTimeoutSeconds}s`);
      }
      delete progress.waiting;

      // 2. Launch. Not cancellable half-way: a cancel during the ACCEPT must
      // still see whether a task was started, so that it can be killed.
      progress.phase = 'launching';
      live = { attempt, agentId: lease.agentId };
      const launched = await CancellationScope.nonCancellable(() =>
        launcher.launchTask({ jobId, attempt: attemptNo, taskId, spec, lease }),
      );
      let outcome: AttemptOutcome;
      // Updates of this task prove it was launched, whatever the launch
      // call concluded (a retried launch may no longer find a task that
      // already finished and was acknowledged).
      if (launched.kind === 'offer-lost' && attempt.state === undefined) {
        live = undefined;
        attempt.outcome = 'infrastructure';
        outcome = { kind: 'infrastructure', cause: `offer lost: ${launched.message}` };
      } else {
        const where = launched.kind === 'offer-lost' ? { agentId: attempt.agentId ?? lease.agentId, hostname: lease.hostname } : launched;
        attempt.agentId ??= where.agentId;
        attempt.hostname ??= where.hostname;
        attempt.launchedAt = new Date().toISOString();
        if (progress.phase === 'launching') progress.phase = 'staging';
        setStatus('RUNNING');
        outcome = await followTask(attempt, where.agentId);
      }

      // 3. Decide.
      if (outcome.kind === 'infrastructure') infrastructureFailures++;
      else if (outcome.kind !== 'succeeded') jobFailures++;
      attempt.outcome = outcome.kind;
      const decision = decideAfterAttempt(outcome, spec.retry, { jobFailures, infrastructureFailures });
      live = undefined;
      if (decision.action === 'succeed') {
        finish(progress, 'SUCCEEDED', 'task finished');
        setStatus('SUCCEEDED');
        const result: JobResult = { status: 'SUCCEEDED', attempts: progress.attempts.length, taskId };
        if (attempt.exitCode !== undefined) result.exitCode = attempt.exitCode;
        if (attempt.agentId !== undefined) result.agentId = attempt.agentId;
        if (attempt.hostname !== undefined) result.hostname = attempt.hostname;
        return result;
      }
      if (decision.action === 'fail') fail(outcome.kind === 'timeout' ? 'TIMED_OUT' : 'FAILED', decision.why);
      attempt.budget = decision.budget;
      progress.phase = 'pending';
      await sleep(decision.delayMs);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(async () => {
      const l = live;
      if (l && !ended(l.attempt)) await killAndWait(l.attempt, l.attempt.agentId ?? l.agentId);
      finish(progress, 'CANCELLED', 'cancelled');
      setStatus('CANCELLED');
    });
    throw err;
  }

  /**
   * Waits for the attempt's terminal update. Every wait is on `ended(a)`
   * alone, never on "some update arrived": when several updates land in one
   * workflow activation, a condition on the update count would resolve at a
   * point that differs between the first run and a replay.
   */
  async function followTask(a: AttemptProgress, agentId: string): Promise<AttemptOutcome> {
    const launchedAt = Date.now();
    const deadline = spec.timeoutSeconds !== undefined ? launchedAt + spec.timeoutSeconds * 1000 : Infinity;
    const baseQuietMs = tuning.reconcileAfterSeconds * 1000;
    const boundMs = tuning.unreachableBoundSeconds * 1000;
    let quietMs = baseQuietMs;
    let lastReconcileAt = launchedAt;
    let lastSeenAtReconcile = -1;
    while (!ended(a)) {
      const lastHeard = () => Math.max(lastUpdateAt.get(a.taskId) ?? launchedAt, lastReconcileAt);
      const unreachable = unreachableSince.get(a.taskId);
      const wakeAt = Math.min(deadline, lastHeard() + quietMs, unreachable !== undefined ? unreachable + boundMs : Infinity);
      if (await condition(() => ended(a), Math.max(1, wakeAt - Date.now()))) break;
      const now = Date.now();
      if (now >= deadline) {
        await killAndWait(a, a.agentId ?? agentId);
        if (a.state === 'TASK_FINISHED') break;
        return { kind: 'timeout' };
      }
      const since = unreachableSince.get(a.taskId);
      if (since !== undefined && now - since >= boundMs) {
        // Best effort: if the agent comes back the task must not run on as a ghost.
        await control.killTask({ taskId: a.taskId, agentId: a.agentId ?? agentId });
        return { kind: 'infrastructure', cause: `TASK_UNREACHABLE for more than ${tuning.unreachableBoundSeconds}s` };
      }
      if (now - lastHeard() >= quietMs) {
        const heard = lastUpdateAt.get(a.taskId) ?? -1;
        // Quiet again since the last question: ask less often (long tasks must not fill the history).
        quietMs = heard === lastSeenAtReconcile ? Math.min(quietMs * 2, MAX_QUIET_MS) : baseQuietMs;
        lastSeenAtReconcile = heard;
        await control.reconcileTask({ taskId: a.taskId, agentId: a.agentId ?? agentId });
        lastReconcileAt = Date.now();
      }
    }
    const last = [...a.statuses].reverse().find((s) => s.state === a.state);
    const terminal = { state: a.state ?? 'TASK_LOST' } as { state: string; reason?: string; message?: string };
    if (last?.reason !== undefined) terminal.reason = last.reason;
    if (last?.message !== undefined) terminal.message = last.message;
    return classifyTerminal(terminal);
  }
}
