// The contract between the job workflow (workflows/job-workflow.ts) and the
// framework session (activities/session/*). Job activities that need the live
// Mesos subscription (its stream id) run on the session's task queue, served
// only by the worker that currently holds the subscription.
//
// Types only: workflow code imports this with `import type`.
import type { JobSpec } from '../workflows/job-spec.js';
import type { MatchReasonSummary } from '../workflows/progress.js';

/** Task queue served by whichever worker holds the session of this framework. */
export function sessionTaskQueue(frameworkName: string): string {
  return `mesoflow-session-${frameworkName}`;
}

/** Workflow id of the singleton session workflow of a framework. */
export function sessionWorkflowId(frameworkName: string): string {
  return `mesoflow-session-${frameworkName}`;
}

/** Signal carrying one Mesos status update to a job workflow. */
export interface TaskUpdateSignal {
  taskId: string;
  state: string; // TaskState name, e.g. TASK_RUNNING
  reason?: string;
  source?: string;
  message?: string;
  agentId?: string;
  hostname?: string;
  /** seconds since epoch, as Mesos writes it */
  timestamp: number;
  /** base64 uuid of the update (absent for master-generated ones) */
  uuid?: string;
  healthy?: boolean;
}
export const TASK_UPDATE_SIGNAL = 'taskUpdate';

export interface EnsureSessionResult {
  frameworkId: string | undefined;
  taskQueue: string;
}

export interface AwaitOfferRequest {
  jobId: string;
  attempt: number;
  taskId: string;
  spec: JobSpec;
}

/** Part of one offer held for one job until it launches (or the lease expires). */
export interface OfferLease {
  leaseId: string;
  offerId: string;
  agentId: string;
  hostname: string;
  /** Mesos Resource[] chosen for the task (concrete ports included), as JSON. */
  resources: unknown[];
}

export type AwaitOfferResult =
  | { kind: 'leased'; lease: OfferLease }
  | { kind: 'timeout'; waiting: MatchReasonSummary };

export interface LaunchRequest {
  jobId: string;
  attempt: number;
  taskId: string;
  spec: JobSpec;
  lease: OfferLease;
}

export type LaunchResult =
  | { kind: 'launched'; agentId: string; hostname: string }
  /** The master already knew the task (a launch retried after a crash). */
  | { kind: 'already-launched'; agentId: string; hostname: string; state: string }
  /** The lease expired or the offer was rescinded before the ACCEPT: infrastructure, retry. */
  | { kind: 'offer-lost'; message: string };

export interface KillRequest {
  taskId: string;
  agentId?: string;
  gracePeriodMs?: number;
}

export interface ReconcileRequest {
  taskId: string;
  agentId?: string;
}

/** Activities the job workflow calls (implemented by the session host). */
export interface JobActivities {
  ensureSession(frameworkName: string): Promise<EnsureSessionResult>;
  awaitOffer(req: AwaitOfferRequest): Promise<AwaitOfferResult>;
  launchTask(req: LaunchRequest): Promise<LaunchResult>;
  killTask(req: KillRequest): Promise<void>;
  reconcileTask(req: ReconcileRequest): Promise<void>;
  /** Why this job is waiting (offers seen, main reasons); cheap, from the session's summary. */
  waitingReasons(jobId: string): Promise<MatchReasonSummary | undefined>;
}
