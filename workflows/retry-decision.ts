// What happens after an attempt ends. Infrastructure failures (the task was
// lost with its agent, the offer went away, the master forgot the task) are
// not the job's fault: they are retried within their own bound and never
// spend the job's retry budget. The job's own failures follow its policy.
import type { RetryPolicy, RetryableOutcome } from './job-spec.js';
import { parseExitCode } from './exit-status.js';

export type AttemptOutcome =
  | { kind: 'succeeded' }
  | { kind: 'failed'; exitCode?: number }
  | { kind: 'killed' }
  | { kind: 'error' }
  | { kind: 'timeout' }
  | { kind: 'infrastructure'; cause: string };

/** Reasons that mean the machine or Mesos failed the task, not the task itself. */
const infrastructureReasons = new Set([
  'REASON_AGENT_DISCONNECTED',
  'REASON_AGENT_REMOVED',
  'REASON_AGENT_REMOVED_BY_OPERATOR',
  'REASON_AGENT_RESTARTED',
  'REASON_AGENT_UNKNOWN',
  'REASON_AGENT_DRAINING',
  'REASON_AGENT_REREGISTERED',
  'REASON_MASTER_DISCONNECTED',
  'REASON_INVALID_OFFERS',
  'REASON_RESOURCES_UNKNOWN',
  'REASON_EXECUTOR_REGISTRATION_TIMEOUT',
  'REASON_EXECUTOR_REREGISTRATION_TIMEOUT',
  'REASON_CONTAINER_PREEMPTED',
  'REASON_FRAMEWORK_REMOVED',
  'REASON_GC_ERROR',
]);

const lostStates = new Set(['TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN', 'TASK_UNREACHABLE']);

export interface TerminalUpdate {
  state: string;
  reason?: string;
  message?: string;
}

/**
 * Classifies the update that ended an attempt. `killRequested` tells whether
 * mesoflow itself asked for the kill (cancel or timeout), in which case the
 * caller decides the outcome and this is not consulted for TASK_KILLED.
 */
export function classifyTerminal(update: TerminalUpdate): AttemptOutcome {
  const { state, reason, message } = update;
  if (state === 'TASK_FINISHED') return { kind: 'succeeded' };
  if (lostStates.has(state)) return { kind: 'infrastructure', cause: reason ? `${state} (${reason})` : state };
  if (reason !== undefined && infrastructureReasons.has(reason)) return { kind: 'infrastructure', cause: `${state} (${reason})` };
  switch (state) {
    case 'TASK_FAILED': {
      const exitCode = parseExitCode(message);
      return exitCode === undefined ? { kind: 'failed' } : { kind: 'failed', exitCode };
    }
    case 'TASK_KILLED':
      return { kind: 'killed' };
    case 'TASK_ERROR':
      return { kind: 'error' };
    default:
      return { kind: 'infrastructure', cause: state };
  }
}

export interface RetryCounters {
  /** Attempts ended by the job's own failures so far (this one included). */
  jobFailures: number;
  /** Attempts ended by infrastructure so far (this one included). */
  infrastructureFailures: number;
}

export type RetryDecision =
  | { action: 'succeed' }
  | { action: 'retry'; delayMs: number; budget: 'job' | 'infrastructure' }
  | { action: 'fail'; why: string };

export function backoffDelayMs(policy: RetryPolicy, retryNumber: number): number {
  const { initialSeconds, multiplier, maxSeconds } = policy.backoff;
  const s = Math.min(maxSeconds, initialSeconds * Math.pow(multiplier, Math.max(0, retryNumber - 1)));
  return Math.round(s * 1000);
}

/** Infrastructure retries wait briefly and grow slowly: the next offer usually comes from another agent. */
export function infrastructureDelayMs(retryNumber: number): number {
  return Math.min(30_000, 500 * Math.pow(2, Math.max(0, retryNumber - 1)));
}

const outcomeName: Record<Exclude<AttemptOutcome['kind'], 'succeeded' | 'infrastructure'>, RetryableOutcome> = {
  failed: 'failed',
  killed: 'killed',
  error: 'error',
  timeout: 'timeout',
};

/** `counters` must already count the attempt that just ended. */
export function decideAfterAttempt(outcome: AttemptOutcome, policy: RetryPolicy, counters: RetryCounters): RetryDecision {
  if (outcome.kind === 'succeeded') return { action: 'succeed' };
  if (outcome.kind === 'infrastructure') {
    if (counters.infrastructureFailures > policy.maxInfrastructureRetries) {
      return { action: 'fail', why: `infrastructure failures exhausted their bound (${policy.maxInfrastructureRetries} retries); last: ${outcome.cause}` };
    }
    return { action: 'retry', delayMs: infrastructureDelayMs(counters.infrastructureFailures), budget: 'infrastructure' };
  }
  const name = outcomeName[outcome.kind];
  if (!policy.retryOn.includes(name)) return { action: 'fail', why: `outcome "${name}" is not retried by the job's policy` };
  if (counters.jobFailures >= policy.maxAttempts) return { action: 'fail', why: `all ${policy.maxAttempts} attempts used` };
  return { action: 'retry', delayMs: backoffDelayMs(policy, counters.jobFailures), budget: 'job' };
}

/** What a failed job's message says: why it stopped, then what its last attempt reported (state, reason, Mesos message). */
export function failureMessage(why: string, last: { state?: string; message?: string; statuses: Array<{ state: string; reason?: string; message?: string }> } | undefined): string {
  if (last === undefined) return why;
  const s = [...last.statuses].reverse().find((x) => x.state === last.state);
  const parts = [last.state, s?.reason && `(${s.reason})`].filter(Boolean).join(' ');
  const detail = s?.message ?? last.message;
  const said = [parts, detail].filter((x) => x !== undefined && x !== '').join(': ');
  return said === '' ? why : `${why}; last attempt: ${said}`;
}
