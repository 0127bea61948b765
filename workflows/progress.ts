// The job's progress as the `progress` query returns it: phase, every attempt
// with every status update, and while it waits for an offer, why. Pure
// reducers so the workflow stays a thin loop and the rules are unit-tested.
import type { JobPhase } from './task-states.js';
import { acceptsTransition, endsAttempt, isUnknownTaskAnswer, phaseForState } from './task-states.js';
import { parseExitCode } from './exit-status.js';
import type { AttemptOutcome } from './retry-decision.js';

export type { JobPhase };

export type JobStatus = 'WAITING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

/** Why a job is still waiting for an offer; summarised by the session, never one event per offer. */
export interface MatchReasonSummary {
  offersSeen: number;
  /** The most frequent reasons offers did not fit, with how many offers each ruled out. */
  reasons: Array<{ reason: string; offers: number }>;
  /** ISO time the summary was taken. */
  at: string;
}

export interface StatusRecord {
  /** ISO time of the update (the agent's or master's timestamp). */
  time: string;
  state: string;
  reason?: string;
  source?: string;
  message?: string;
  healthy?: boolean;
  /** The update's uuid (agent and executor updates only). */
  uuid?: string;
}

export interface AttemptProgress {
  attempt: number;
  taskId: string;
  agentId?: string;
  hostname?: string;
  launchedAt?: string;
  state?: string;
  statuses: StatusRecord[];
  exitCode?: number;
  outcome?: AttemptOutcome['kind'];
  /** Which budget this attempt's failure spent, if it failed. */
  budget?: 'job' | 'infrastructure';
  /** What happened to an attempt no task update explains (e.g. "offer lost, never launched: …"). */
  message?: string;
}

export interface JobProgress {
  jobId: string;
  status: JobStatus;
  phase: JobPhase;
  frameworkId?: string;
  attempts: AttemptProgress[];
  waiting?: MatchReasonSummary;
  exitCode?: number;
  message?: string;
}

export function initialProgress(jobId: string): JobProgress {
  return { jobId, status: 'WAITING', phase: 'pending', attempts: [] };
}

export function currentAttempt(p: JobProgress): AttemptProgress | undefined {
  return p.attempts[p.attempts.length - 1];
}

/** Opens the record of a new attempt (or returns the open one for the same task id). */
export function beginAttempt(p: JobProgress, attempt: number, taskId: string): AttemptProgress {
  const cur = currentAttempt(p);
  if (cur && cur.taskId === taskId) return cur;
  const a: AttemptProgress = { attempt, taskId, statuses: [] };
  p.attempts.push(a);
  p.phase = 'waiting-for-offer';
  p.status = 'WAITING';
  return a;
}

export interface UpdateFields {
  taskId: string;
  state: string;
  reason?: string;
  source?: string;
  message?: string;
  agentId?: string;
  hostname?: string;
  /** seconds since the epoch, as Mesos writes it */
  timestamp: number;
  healthy?: boolean;
  /** base64 uuid of the update (absent on master-generated ones) */
  uuid?: string;
}

function isoFromSeconds(s: number): string {
  return Number.isFinite(s) ? new Date(Math.round(s * 1000)).toISOString() : new Date(0).toISOString();
}

/**
 * Records an update against the attempt whose task it names. Returns whether
 * it moved that attempt's state (false for duplicates, stale updates after a
 * terminal state, and unknown task ids).
 */
export function applyUpdate(p: JobProgress, u: UpdateFields): boolean {
  const a = p.attempts.find((x) => x.taskId === u.taskId);
  if (!a) return false;
  // An update delivered again (its acknowledgement was lost, the agent resent it) is recorded once.
  if (u.uuid !== undefined && a.statuses.some((s) => s.uuid === u.uuid)) return false;
  // After the attempt's terminal state an earlier state is stale (a late
  // reconciliation answer, an update delivered out of order): the record
  // never shows a task running again after it ended.
  if (isStaleAfterEnd(a.state, u.state)) return false;
  const rec: StatusRecord = { time: isoFromSeconds(u.timestamp), state: u.state };
  if (u.reason !== undefined) rec.reason = u.reason;
  if (u.source !== undefined) rec.source = u.source;
  if (u.message !== undefined) rec.message = u.message;
  if (u.healthy !== undefined) rec.healthy = u.healthy;
  if (u.uuid !== undefined) rec.uuid = u.uuid;
  a.statuses.push(rec);
  if (u.agentId !== undefined && a.agentId === undefined) a.agentId = u.agentId;
  if (u.hostname !== undefined && a.hostname === undefined) a.hostname = u.hostname;
  if (!acceptsTransition(a.state, u.state)) return false;
  const moved = a.state !== u.state;
  a.state = u.state;
  const code = parseExitCode(u.message);
  if (code !== undefined && endsAttempt(u.state)) a.exitCode = code;
  if (a === currentAttempt(p) && p.phase !== 'terminal') {
    const phase = phaseForState(u.state);
    // 'killing' is set by the workflow when it asks for a kill; a RUNNING
    // reconciliation answer must not undo it.
    if (!(p.phase === 'killing' && phase === 'running')) p.phase = phase === 'terminal' ? p.phase : phase;
    if (phase === 'running' || phase === 'staging') p.status = 'RUNNING';
  }
  return moved;
}

/** Whether an update of state `next` is stale for an attempt in state `current`: a non-terminal state after a terminal one. */
export function isStaleAfterEnd(current: string | undefined, next: string): boolean {
  return current !== undefined && endsAttempt(current) && !endsAttempt(next);
}

export function finish(p: JobProgress, status: Exclude<JobStatus, 'WAITING' | 'RUNNING'>, message: string): void {
  p.status = status;
  p.phase = 'terminal';
  p.message = message;
  const last = currentAttempt(p);
  if (last?.exitCode !== undefined) p.exitCode = last.exitCode;
  delete p.waiting;
}

/** What a pending placeAndLaunch has heartbeated (activities/contract.ts PlaceAndLaunchHeartbeat). */
export interface LiveAttemptDetails {
  waiting?: MatchReasonSummary;
  lease?: unknown;
  updates?: UpdateFields[];
}

/**
 * The progress with what the attempt's open activity knows and the workflow
 * has not recorded yet: why the job waits (within seconds of the first offer
 * weighed), that its launch is under way, and the updates of a starting task.
 */
export function withLiveAttempt(p: JobProgress, live: LiveAttemptDetails | undefined): JobProgress {
  if (live === undefined || p.phase !== 'waiting-for-offer') return p;
  if (live.waiting && live.waiting.offersSeen >= (p.waiting?.offersSeen ?? 0)) p.waiting = live.waiting;
  if (live.lease !== undefined) {
    p.phase = 'launching';
    delete p.waiting;
  }
  for (const u of live.updates ?? []) applyUpdate(p, u);
  return p;
}

/**
 * Whether an update is the master's "never heard of it" about a task that
 * was never launched: not an update of that task (the attempt must not look
 * launched, nor the job RUNNING, for a task that never ran).
 */
export function isNeverLaunchedAnswer(p: JobProgress, u: UpdateFields): boolean {
  const a = p.attempts.find((x) => x.taskId === u.taskId);
  return a !== undefined && a.launchedAt === undefined && a.state === undefined && isUnknownTaskAnswer(u);
}
