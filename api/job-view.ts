// Pure mapping from what Temporal knows of a job (the workflow's progress
// query, its execution status and search attributes) to the API's job.
import type { JobProgress, AttemptProgress } from '../workflows/progress.js';
import { jobStatuses, type JobMemo } from '../workflows/job-status.js';
import type { ApiAttempt, ApiJob, ApiJobStatus } from './schemas.js';

/** Temporal's execution status names (WorkflowExecutionStatusName). */
export type ExecutionStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'CONTINUED_AS_NEW' | 'TIMED_OUT' | 'UNSPECIFIED' | 'UNKNOWN' | 'PAUSED';

export interface JobFacts {
  id: string;
  /** The progress query's answer; undefined when it could not be asked. */
  progress: JobProgress | undefined;
  executionStatus: ExecutionStatus;
  /** The MesoflowJobStatus search attribute. */
  searchStatus: string | undefined;
  /** The workflow's memo: name, and at the end exit code, message and start time. */
  memo: JobMemo;
  createdAt: Date;
  closedAt: Date | undefined;
  labels: Record<string, string>;
  name: string | undefined;
  /** The batch the job belongs to (the MesoflowBatchId search attribute). */
  batchId?: string | undefined;
}

export interface ViewOptions {
  /** Base of the Temporal Web UI, for a link to the workflow. */
  temporalUiUrl?: string | undefined;
  namespace?: string;
}

export const TERMINAL_API_STATUSES: ReadonlySet<ApiJobStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

export function isTerminal(status: ApiJobStatus): boolean {
  return TERMINAL_API_STATUSES.has(status);
}

function fromExecution(s: ExecutionStatus): ApiJobStatus | undefined {
  switch (s) {
    case 'COMPLETED':
      return 'SUCCEEDED';
    case 'FAILED':
      return 'FAILED';
    case 'TIMED_OUT':
      return 'TIMED_OUT';
    case 'CANCELLED':
    case 'TERMINATED':
      return 'CANCELLED';
    default:
      return undefined;
  }
}

/** The API status: the workflow's own terminal status first, then its phase, then what Temporal says. */
export function apiStatus(progress: JobProgress | undefined, execution: ExecutionStatus, searchStatus?: string): ApiJobStatus {
  if (progress !== undefined) {
    if (progress.status === 'SUCCEEDED' || progress.status === 'FAILED' || progress.status === 'CANCELLED' || progress.status === 'TIMED_OUT') return progress.status;
    const closed = fromExecution(execution);
    // A workflow closed without finishing its progress (terminated, or failed before its first step).
    if (closed !== undefined) return closed;
    switch (progress.phase) {
      case 'pending':
        return 'QUEUED';
      case 'waiting-for-offer':
        return 'WAITING_FOR_OFFER';
      case 'launching':
      case 'staging':
        return 'LAUNCHING';
      case 'running':
      case 'killing':
        return 'RUNNING';
      case 'terminal':
        return progress.status === 'RUNNING' ? 'RUNNING' : 'QUEUED';
    }
  }
  // No progress (a list row): the search attribute holds the API's status.
  const listed = (jobStatuses as readonly string[]).includes(searchStatus ?? '') ? (searchStatus as ApiJobStatus) : undefined;
  const closed = fromExecution(execution);
  if (closed !== undefined) return listed !== undefined && isTerminal(listed) ? listed : closed;
  if (listed !== undefined) return listed;
  // Written by jobs started before the vocabulary was one.
  if (searchStatus === 'WAITING') return 'WAITING_FOR_OFFER';
  return 'QUEUED';
}

function attemptView(a: AttemptProgress): ApiAttempt {
  const last = a.statuses.at(-1);
  return {
    attempt: a.attempt,
    taskId: a.taskId,
    agentId: a.agentId ?? null,
    hostname: a.hostname ?? null,
    state: a.state ?? null,
    reason: last?.reason ?? null,
    exitCode: a.exitCode ?? null,
    outcome: a.outcome ?? null,
    launchedAt: a.launchedAt ?? null,
    statusUpdates: a.statuses.map((s) => ({ ...s })),
  };
}

/** When the job's task first ran: the first TASK_RUNNING of any attempt. */
export function firstRunningAt(progress: JobProgress | undefined): string | undefined {
  for (const a of progress?.attempts ?? []) {
    const r = a.statuses.find((s) => s.state === 'TASK_RUNNING');
    if (r) return r.time;
  }
  return undefined;
}

function waitingView(p: JobProgress, status: ApiJobStatus): ApiJob['waiting'] {
  if (status !== 'WAITING_FOR_OFFER') return null;
  const w = p.waiting;
  if (w === undefined) return { reason: 'waiting for an offer that fits the job', offersSeen: 0, reasons: [], at: null };
  const top = w.reasons[0];
  const reason =
    w.offersSeen === 0
      ? 'no offer received yet'
      : top !== undefined
        ? `${w.offersSeen} offer(s) seen, none fits: ${top.reason}`
        : `${w.offersSeen} offer(s) seen, none fits`;
  return { reason, offersSeen: w.offersSeen, reasons: w.reasons.map((r) => ({ ...r })), at: w.at };
}

/**
 * A job succeeds only when its task finished, i.e. exited 0: a successful
 * job writes no memo at its end (one event less), so its list row says so
 * from the status alone. The message is the one the workflow ends with.
 */
const SUCCESS_EXIT_CODE = 0;
const SUCCESS_MESSAGE = 'task finished';

export function jobView(f: JobFacts, options: ViewOptions = {}): ApiJob {
  const status = apiStatus(f.progress, f.executionStatus, f.searchStatus);
  const p = f.progress;
  const self = `/v1/jobs/${encodeURIComponent(f.id)}`;
  const ns = options.namespace ?? 'default';
  const lastAttempt = p?.attempts.at(-1);
  return {
    id: f.id,
    name: f.name ?? null,
    batchId: f.batchId ?? null,
    status,
    phase: p?.phase ?? (isTerminal(status) ? 'terminal' : 'pending'),
    exitCode: p?.exitCode ?? (isTerminal(status) ? (lastAttempt?.exitCode ?? f.memo.exitCode ?? (status === 'SUCCEEDED' ? SUCCESS_EXIT_CODE : null)) : null),
    message: p?.message ?? f.memo.message ?? (status === 'SUCCEEDED' && p === undefined ? SUCCESS_MESSAGE : null),
    waiting: p ? waitingView(p, status) : null,
    attempts: (p?.attempts ?? []).map(attemptView),
    frameworkId: p?.frameworkId ?? null,
    labels: { ...f.labels },
    createdAt: f.createdAt.toISOString(),
    startedAt: firstRunningAt(p) ?? f.memo.startedAt ?? null,
    // The progress can say terminal a moment before the workflow closes: then the last update's time.
    endedAt: f.closedAt?.toISOString() ?? (isTerminal(status) ? (lastAttempt?.statuses.at(-1)?.time ?? null) : null),
    links: {
      self,
      logs: `${self}/logs`,
      events: `${self}/events`,
      temporal: options.temporalUiUrl ? `${options.temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(ns)}/workflows/${encodeURIComponent(f.id)}` : null,
    },
  };
}

/** Labels from the MesoflowLabels search attribute (`key=value` strings). */
export function labelsFromKeywords(values: readonly unknown[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    if (typeof v !== 'string') continue;
    const i = v.indexOf('=');
    if (i > 0) out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

/** A fingerprint of what an event stream reports: a new one means a new event. */
export function changeKey(job: ApiJob): string {
  const a = job.attempts.at(-1);
  return [job.status, job.phase, job.attempts.length, a?.state ?? ''].join('|');
}
