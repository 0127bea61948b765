// The steps of the job workflow (job-workflow.ts), as functions over one
// explicit JobState: place and launch, follow the task, kill, decide, and
// what the job lists in its search attributes and memo. Workflow code: only
// deterministic calls, and the zod schema stays out (types only).
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PlaceAndLaunchActivities, PlaceAndLaunchResult, SessionActivities, TaskUpdateSignal } from '../activities/contract.js';
import { sessionTaskQueue } from '../activities/contract.js';
import type { JobSpec } from './job-spec.js';
import type { JobMemo, ListedStatus } from './job-status.js';
import { defaultJobTuning, type JobTuning } from './job-tuning.js';
import type { JobFailureDetails, JobResult, JobWorkflowInput } from './job-workflow.js';
import type { AttemptProgress, JobProgress } from './progress.js';
import { applyUpdate, beginAttempt, finish, initialProgress, isNeverLaunchedAnswer } from './progress.js';
import type { AttemptOutcome, RetryDecision } from './retry-decision.js';
import { classifyTerminal, decideAfterAttempt, failureMessage } from './retry-decision.js';
import { frameworkKey, jobStatusKey, labelsKey } from './search-attribute-keys.js';
import { deriveTaskId } from './task-id.js';
import { endsAttempt } from './task-states.js';
import { reachedLimit, shouldContinueAsNew } from './history-bound.js';
import { UpdateGate } from './update-gate.js';

const MAX_QUIET_MS = 15 * 60_000;
/** offerTimeoutSeconds' default (job-spec.ts), for the first attempt's deadline before the spec is validated. */
const DEFAULT_OFFER_TIMEOUT_SECONDS = 24 * 3600;

/** The attempt whose task may exist. */
export interface LiveAttempt {
  taskId: string;
  agentId: string;
  /** Workflow time of the launch (the job's timeout counts from here). */
  launchedAtMs: number;
}

/** What a run continued as new carries over. */
export interface JobResume {
  progress: JobProgress;
  spec: JobSpec;
  attemptNo: number;
  jobFailures: number;
  infrastructureFailures: number;
  live: LiveAttempt;
  listed: ListedStatus | undefined;
}

export interface JobState {
  readonly jobId: string;
  readonly input: JobWorkflowInput;
  readonly tuning: JobTuning;
  progress: JobProgress;
  /** Known once placeAndLaunch validated it. */
  spec: JobSpec | undefined;
  attemptNo: number;
  jobFailures: number;
  infrastructureFailures: number;
  live: LiveAttempt | undefined;
  /** Per task: when it last reported, and since when it is unreachable (workflow time). */
  lastUpdateAt: Map<string, number>;
  unreachableSince: Map<string, number>;
  /** The MesoflowJobStatus this run last wrote (or found at its start). */
  listed: ListedStatus | undefined;
  /** Holds update signals while an attempt's placeAndLaunch is open (update-gate.ts says why). */
  gate: UpdateGate<TaskUpdateSignal>;
}

export function newJobState(jobId: string, input: JobWorkflowInput): JobState {
  const r = input.resume;
  return {
    jobId,
    input,
    tuning: { ...defaultJobTuning, ...input.tuning },
    progress: r?.progress ?? initialProgress(jobId),
    spec: r?.spec,
    attemptNo: r?.attemptNo ?? 0,
    jobFailures: r?.jobFailures ?? 0,
    infrastructureFailures: r?.infrastructureFailures ?? 0,
    live: r?.live,
    lastUpdateAt: new Map(),
    unreachableSince: new Map(),
    listed: r?.listed,
    gate: new UpdateGate(),
  };
}

// ---- messages ----------------------------------------------------------

/** A status update signal: applied now, or after the open placeAndLaunch's own updates. */
export function onUpdateSignal(s: JobState, u: TaskUpdateSignal): void {
  s.gate.offer(u, (x) => recordUpdate(s, x));
}

/** A status update (signal, or recorded by placeAndLaunch). */
export function recordUpdate(s: JobState, u: TaskUpdateSignal): void {
  if (isNeverLaunchedAnswer(s.progress, u)) return;
  applyUpdate(s.progress, u);
  s.lastUpdateAt.set(u.taskId, Date.now());
  if (u.state !== 'TASK_UNREACHABLE') s.unreachableSince.delete(u.taskId);
  else if (!s.unreachableSince.has(u.taskId)) s.unreachableSince.set(u.taskId, Date.now());
}

// ---- what the job lists (search attributes and memo) ---------------------

function list(s: JobState, status: ListedStatus): void {
  if (s.listed === status) return;
  s.listed = status;
  upsertSearchAttributes([{ key: jobStatusKey, value: status }]);
}

/**
 * The API starts a job with its status, framework and labels set; a job
 * started otherwise (a schedule, a batch, a test) sets them in its first
 * workflow task, once.
 */
export function listAtStart(s: JobState): void {
  if (s.input.resume) return;
  const sa = workflowInfo().typedSearchAttributes;
  const status = sa.get(jobStatusKey);
  if (status !== undefined && sa.get(frameworkKey) !== undefined) {
    s.listed = status as ListedStatus;
    return;
  }
  const labels = s.input.spec.labels ?? {};
  s.listed = 'WAITING_FOR_OFFER';
  upsertSearchAttributes([
    { key: jobStatusKey, value: 'WAITING_FOR_OFFER' },
    { key: frameworkKey, value: s.input.frameworkName },
    { key: labelsKey, value: Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`) },
  ]);
}

/**
 * The end: the status once, and what a list row shows of a finished job
 * beyond it. A success needs no memo (its row says exit code 0, "task
 * finished"): one event less on the path every successful job takes.
 */
function listEnd(s: JobState, status: Extract<ListedStatus, 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT'>): void {
  list(s, status);
  if (status === 'SUCCEEDED') return;
  const p = s.progress;
  const memo: JobMemo = {};
  if (p.exitCode !== undefined) memo.exitCode = p.exitCode;
  if (p.message !== undefined) memo.message = p.message;
  const started = firstRunningAt(p);
  if (started !== undefined) memo.startedAt = started;
  upsertMemo(memo as Record<string, unknown>);
}

function firstRunningAt(p: JobProgress): string | undefined {
  for (const a of p.attempts) {
    const r = a.statuses.find((x) => x.state === 'TASK_RUNNING');
    if (r) return r.time;
  }
  return undefined;
}

// ---- place and launch ----------------------------------------------------

function sessionActivities(s: JobState, offerDeadline: number) {
  const taskQueue = sessionTaskQueue(s.input.frameworkName);
  const heartbeatTimeout = `${s.tuning.sessionActivityHeartbeatSeconds}s` as const;
  return {
    attempt: proxyActivities<PlaceAndLaunchActivities>({
      taskQueue,
      startToCloseTimeout: Math.max(60_000, offerDeadline - Date.now()) + 10 * 60_000,
      heartbeatTimeout,
      // A cancelled job still learns whether its task was launched (then kills it).
      cancellationType: 'WAIT_CANCELLATION_COMPLETED',
      retry: { initialInterval: '500ms', maximumInterval: '5s' },
    }),
  };
}

function control(s: JobState) {
  return proxyActivities<SessionActivities>({
    taskQueue: sessionTaskQueue(s.input.frameworkName),
    startToCloseTimeout: '30s',
    retry: { initialInterval: '500ms', maximumInterval: '5s' },
  });
}

function offerTimeoutSeconds(s: JobState): number {
  const given = s.spec?.offerTimeoutSeconds ?? s.input.spec.offerTimeoutSeconds;
  return typeof given === 'number' && given > 0 ? given : DEFAULT_OFFER_TIMEOUT_SECONDS;
}

/** One attempt: place and launch (one activity), then follow the task. */
export async function runAttempt(s: JobState): Promise<AttemptOutcome> {
  s.attemptNo++;
  const taskId = deriveTaskId(s.jobId, s.attemptNo);
  const attempt = beginAttempt(s.progress, s.attemptNo, taskId);
  if (s.attemptNo > 1) list(s, 'WAITING_FOR_OFFER');
  const offerDeadline = Date.now() + offerTimeoutSeconds(s) * 1000;
  let r: PlaceAndLaunchResult;
  const apply = (u: TaskUpdateSignal) => recordUpdate(s, u);
  s.gate.hold();
  try {
    r = await sessionActivities(s, offerDeadline).attempt.placeAndLaunch({
      jobId: s.jobId,
      attempt: s.attemptNo,
      taskId,
      spec: s.spec ?? s.input.spec,
      offerDeadline,
      firstUpdateMs: s.tuning.firstUpdateSeconds * 1000,
    });
  } catch (err) {
    s.gate.release([], apply);
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'InvalidJobSpec') {
      finish(s.progress, 'FAILED', err.cause.message);
      listEnd(s, 'FAILED');
      throw ApplicationFailure.create({ type: 'InvalidJobSpec', nonRetryable: true, message: err.cause.message, details: err.cause.details ?? [] });
    }
    throw err;
  }
  s.spec = r.spec;
  if (r.frameworkId) s.progress.frameworkId = r.frameworkId;
  // The activity's updates first: signals that arrived meanwhile came later at Mesos.
  s.gate.release(r.updates, apply);
  if (r.kind === 'no-offer') {
    if (r.waiting) s.progress.waiting = r.waiting;
    failJob(s, 'FAILED', `no fitting offer within ${offerTimeoutSeconds(s)}s`);
  }
  delete s.progress.waiting;
  // Updates of this task prove it was launched, whatever the launch concluded.
  if (r.kind === 'offer-lost' && attempt.state === undefined) {
    attempt.outcome = 'infrastructure';
    attempt.message = `offer lost, never launched: ${r.message}`;
    return { kind: 'infrastructure', cause: `offer lost: ${r.message}` };
  }
  const where = r.kind === 'launched' ? r : { agentId: attempt.agentId ?? '', hostname: attempt.hostname ?? '' };
  attempt.agentId ??= where.agentId;
  attempt.hostname ??= where.hostname;
  attempt.launchedAt = new Date().toISOString();
  if (s.progress.phase === 'waiting-for-offer' || s.progress.phase === 'launching') s.progress.phase = 'staging';
  s.live = { taskId, agentId: where.agentId, launchedAtMs: Date.now() };
  return followTask(s);
}

// ---- follow the task -----------------------------------------------------

const ended = (a: AttemptProgress | undefined) => a?.state !== undefined && endsAttempt(a.state);

function liveAttempt(s: JobState): AttemptProgress {
  const taskId = s.live?.taskId;
  const a = s.progress.attempts.find((x) => x.taskId === taskId);
  if (!a || !s.live) throw new Error(`job ${s.jobId}: no live attempt to follow`);
  return a;
}

/** The running status, once, as soon as the task ran (LAUNCHING until then). */
function listRunning(s: JobState, a: AttemptProgress): void {
  if (ended(a) || s.listed === 'RUNNING') return;
  list(s, s.progress.status === 'RUNNING' && s.progress.phase !== 'staging' ? 'RUNNING' : 'LAUNCHING');
}

const runningUnlisted = (s: JobState, a: AttemptProgress) => !ended(a) && s.listed !== 'RUNNING' && s.progress.phase === 'running';

/**
 * Waits for the attempt's terminal update. Every wait is on the attempt's
 * state, never on "some update arrived": when several updates land in one
 * workflow activation, a condition on the update count would resolve at a
 * point that differs between the first run and a replay.
 */
export async function followTask(s: JobState): Promise<AttemptOutcome> {
  const a = liveAttempt(s);
  const live = s.live as LiveAttempt;
  const spec = s.spec as JobSpec;
  const deadline = spec.timeoutSeconds !== undefined ? live.launchedAtMs + spec.timeoutSeconds * 1000 : Infinity;
  const baseQuietMs = s.tuning.reconcileAfterSeconds * 1000;
  const boundMs = s.tuning.unreachableBoundSeconds * 1000;
  const startedAt = Date.now();
  let quietMs = baseQuietMs;
  let lastReconcileAt = startedAt;
  let lastSeenAtReconcile = -1;
  let next: Alarm | undefined;
  listRunning(s, a);
  while (!ended(a)) {
    if (reachedLimit(workflowInfo(), s.tuning.maxHistoryEvents) || continueBeforeLimit(s)) await continueWithLiveAttempt(s);
    const lastHeard = () => Math.max(s.lastUpdateAt.get(a.taskId) ?? startedAt, lastReconcileAt);
    const unreachable = s.unreachableSince.get(a.taskId);
    const wakeAt = Math.min(deadline, lastHeard() + quietMs, unreachable !== undefined ? unreachable + boundMs : Infinity);
    if (next === undefined || next.rang || next.at > wakeAt) next = alarm(wakeAt);
    const alarmed = next;
    await condition(() => ended(a) || runningUnlisted(s, a) || alarmed.rang);
    listRunning(s, a);
    if (ended(a)) break;
    const now = Date.now();
    if (now >= deadline) {
      await killAndWait(s, a);
      if (a.state === 'TASK_FINISHED') break;
      return { kind: 'timeout' };
    }
    const since = s.unreachableSince.get(a.taskId);
    if (since !== undefined && now - since >= boundMs) {
      // Best effort: if the agent comes back the task must not run on as a ghost.
      await control(s).killTask({ taskId: a.taskId, agentId: a.agentId ?? live.agentId });
      return { kind: 'infrastructure', cause: `TASK_UNREACHABLE for more than ${s.tuning.unreachableBoundSeconds}s` };
    }
    if (now - lastHeard() >= quietMs) {
      if (continueBeforeLimit(s)) await continueWithLiveAttempt(s);
      const heard = s.lastUpdateAt.get(a.taskId) ?? -1;
      // Quiet again since the last question: ask less often.
      quietMs = heard === lastSeenAtReconcile ? Math.min(quietMs * 2, MAX_QUIET_MS) : baseQuietMs;
      lastSeenAtReconcile = heard;
      await control(s).reconcileTask({ taskId: a.taskId, agentId: a.agentId ?? live.agentId });
      lastReconcileAt = Date.now();
    }
  }
  const last = [...a.statuses].reverse().find((x) => x.state === a.state);
  const terminal = { state: a.state ?? 'TASK_LOST' } as { state: string; reason?: string; message?: string };
  if (last?.reason !== undefined) terminal.reason = last.reason;
  if (last?.message !== undefined) terminal.message = last.message;
  return classifyTerminal(terminal);
}

/**
 * Whether to continue as new before the next step, so the run stays within
 * maxHistoryEvents (history-bound.ts). Behind a patch: runs recorded before
 * it continued only once past the limit, and replay them that way. The
 * patch is asked only when the rule would continue, so the marker costs only
 * runs that continue as new, not every job.
 */
function continueBeforeLimit(s: JobState): boolean {
  return shouldContinueAsNew(workflowInfo(), s.tuning.maxHistoryEvents) && patched('continue-before-history-limit');
}

/** Periodic reconciliation must not grow one history without bound: go on in a new run. */
async function continueWithLiveAttempt(s: JobState): Promise<never> {
  const resume: JobResume = {
    progress: s.progress,
    spec: s.spec as JobSpec,
    attemptNo: s.attemptNo,
    jobFailures: s.jobFailures,
    infrastructureFailures: s.infrastructureFailures,
    live: s.live as LiveAttempt,
    listed: s.listed,
  };
  const { resume: _old, ...input } = s.input;
  return continueAsNew<(i: JobWorkflowInput) => Promise<JobResult>>({ ...input, resume });
}

/**
 * A timer that is never cancelled: a task that ends before it fires costs no
 * TimerCanceled event (the workflow completes with it pending), and a wake
 * for another reason keeps it for the next wait.
 */
interface Alarm {
  at: number;
  rang: boolean;
}

function alarm(at: number): Alarm {
  const a: Alarm = { at, rang: false };
  sleep(Math.max(1, at - Date.now())).then(
    () => (a.rang = true),
    () => (a.rang = true),
  );
  return a;
}

// ---- kill ----------------------------------------------------------------

/**
 * Waits for `fn` or `ms`. Unlike condition(fn, ms) the timer is left to fire
 * instead of being cancelled: a TimerCanceled in the activation that
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

async function killAndWait(s: JobState, a: AttemptProgress): Promise<void> {
  s.progress.phase = 'killing';
  const agentId = a.agentId ?? s.live?.agentId;
  const graceMs = Math.round((s.spec?.killGracePeriodSeconds ?? 3) * 1000);
  const margin = s.tuning.killWaitMarginSeconds * 1000;
  await control(s).killTask({ taskId: a.taskId, ...(agentId ? { agentId } : {}), gracePeriodMs: graceMs });
  if (await waitUntil(() => ended(a), graceMs + margin)) return;
  // No terminal update: ask once more, then go with what the master last said.
  await control(s).reconcileTask({ taskId: a.taskId, ...(agentId ? { agentId } : {}) });
  await waitUntil(() => ended(a), margin);
}

/** The job was cancelled: kill its live task (if any) and end CANCELLED. */
export async function cancelJob(s: JobState): Promise<void> {
  const a = s.live ? s.progress.attempts.find((x) => x.taskId === s.live?.taskId) : undefined;
  if (a && !ended(a)) await killAndWait(s, a);
  finish(s.progress, 'CANCELLED', 'cancelled');
  listEnd(s, 'CANCELLED');
}

// ---- decide --------------------------------------------------------------

export function decide(s: JobState, outcome: AttemptOutcome): RetryDecision {
  const attempt = s.progress.attempts.at(-1) as AttemptProgress;
  if (outcome.kind === 'infrastructure') s.infrastructureFailures++;
  else if (outcome.kind !== 'succeeded') s.jobFailures++;
  attempt.outcome = outcome.kind;
  s.live = undefined;
  const decision = decideAfterAttempt(outcome, (s.spec as JobSpec).retry, { jobFailures: s.jobFailures, infrastructureFailures: s.infrastructureFailures });
  if (decision.action === 'retry') attempt.budget = decision.budget;
  return decision;
}

export function succeed(s: JobState): JobResult {
  const attempt = s.progress.attempts.at(-1) as AttemptProgress;
  finish(s.progress, 'SUCCEEDED', 'task finished');
  listEnd(s, 'SUCCEEDED');
  const result: JobResult = { status: 'SUCCEEDED', attempts: s.progress.attempts.length, taskId: attempt.taskId };
  if (attempt.exitCode !== undefined) result.exitCode = attempt.exitCode;
  if (attempt.agentId !== undefined) result.agentId = attempt.agentId;
  if (attempt.hostname !== undefined) result.hostname = attempt.hostname;
  return result;
}

/** Ends the job FAILED or TIMED_OUT; its message says why, with the last attempt's own reason. */
export function failJob(s: JobState, status: 'FAILED' | 'TIMED_OUT', why: string): never {
  const message = failureMessage(why, s.progress.attempts.at(-1));
  finish(s.progress, status, message);
  listEnd(s, status);
  const details: JobFailureDetails = { status, attempts: s.progress.attempts.length, why: message };
  if (s.progress.exitCode !== undefined) details.exitCode = s.progress.exitCode;
  throw ApplicationFailure.create({ type: status === 'TIMED_OUT' ? 'JobTimedOut' : 'JobFailed', nonRetryable: true, message, details: [details] });
}

export async function waitBeforeRetry(s: JobState, d: Extract<RetryDecision, { action: 'retry' }>): Promise<void> {
  s.progress.phase = 'pending';
  s.progress.status = 'WAITING';
  if (d.delayMs > 0) {
    list(s, 'QUEUED');
    await sleep(d.delayMs);
  }
}
