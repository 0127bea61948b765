// Mesos task states as the job workflow sees them. The names come from
// mesos/task-states.ts, a dependency-free module, so that the workflow
// bundle holds only pure, tiny modules (no zod).
import { terminalTaskStates } from '../mesos/task-states.js';

export const TERMINAL_STATES: ReadonlySet<string> = new Set(terminalTaskStates);

/**
 * States that end an attempt for the workflow. TASK_UNKNOWN is not terminal
 * in Mesos, but it is only ever a reconciliation answer meaning "the master
 * does not know this task": waiting on would wait forever.
 */
export function endsAttempt(state: string): boolean {
  return TERMINAL_STATES.has(state) || state === 'TASK_UNKNOWN';
}

export type JobPhase = 'pending' | 'waiting-for-offer' | 'launching' | 'staging' | 'running' | 'killing' | 'terminal';

/** The phase an attempt is in after its task reported `state`. */
export function phaseForState(state: string): JobPhase {
  if (endsAttempt(state)) return 'terminal';
  switch (state) {
    case 'TASK_STAGING':
    case 'TASK_STARTING':
      return 'staging';
    case 'TASK_KILLING':
      return 'killing';
    default:
      // RUNNING, UNREACHABLE (may come back), anything newer.
      return 'running';
  }
}

/**
 * Whether an update for the current attempt should move it on. Once an
 * attempt has reached a terminal state nothing moves it back (a late
 * reconciliation answer or a resent RUNNING must not resurrect it).
 */
export function acceptsTransition(current: string | undefined, _next: string): boolean {
  if (current === undefined) return true;
  if (endsAttempt(current)) return false;
  return true;
}

/**
 * A reconciliation answer saying the master never had the task: during a
 * launch it answers the launch's own question and is no update of a task
 * (the attempt was never launched).
 */
export function isUnknownTaskAnswer(u: { state: string; reason?: string | undefined; message?: string | undefined }): boolean {
  return u.reason === 'REASON_RECONCILIATION' && /unknown/i.test(u.message ?? '') && ['TASK_LOST', 'TASK_UNKNOWN', 'TASK_GONE', 'TASK_DROPPED'].includes(u.state);
}
