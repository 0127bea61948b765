// The contract between the job workflow (workflows/job-workflow.ts) and the
// framework session (activities/session/*). Job activities that need the live
// Mesos subscription (its stream id) run on the session's task queue, served
// only by the worker that currently holds the subscription.
//
// Types and tiny pure helpers only: workflow code imports this.
import type { JobSpec } from '../workflows/job-spec.js';
import type { MatchReasonSummary, UpdateFields } from '../workflows/progress.js';

/** Task queue served by whichever worker holds the session of this framework. */
export function sessionTaskQueue(frameworkName: string): string {
  return `mesoflow-session-${frameworkName}`;
}

/** Workflow id of the singleton session workflow of a framework. */
export function sessionWorkflowId(frameworkName: string): string {
  return `mesoflow-session-${frameworkName}`;
}

/**
 * Signal carrying one Mesos status update to a job workflow: the fields the
 * progress reducer records (the uuid, absent on master-generated updates,
 * lets a re-delivered update be recorded once).
 */
export type TaskUpdateSignal = UpdateFields;
export const TASK_UPDATE_SIGNAL = 'taskUpdate';
export const PROGRESS_QUERY = 'progress';

/** Signal the session activity sends its workflow once Mesos gave it a framework id. */
export const FRAMEWORK_ID_SIGNAL = 'frameworkSubscribed';
export const FRAMEWORK_ID_QUERY = 'frameworkId';

export interface EnsureSessionRequest {
  frameworkName: string;
  /** The job's spec as given; validated here, outside the workflow sandbox. */
  spec: unknown;
}

export interface EnsureSessionResult {
  frameworkId: string | undefined;
  taskQueue: string;
  /** The spec, validated, with every default filled in. */
  spec: JobSpec;
}

export interface AwaitOfferRequest {
  jobId: string;
  attempt: number;
  taskId: string;
  spec: JobSpec;
  /** Return `waiting` with a summary after this long without a fitting offer. */
  pollMs: number;
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

export type AwaitOfferResult = { kind: 'leased'; lease: OfferLease } | { kind: 'waiting'; waiting: MatchReasonSummary };

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

/** Activities served on the general task queue (any worker). */
export interface GeneralActivities {
  /** Starts the session workflow if needed and validates the job spec (ApplicationFailure InvalidJobSpec, non-retryable). */
  ensureSession(req: EnsureSessionRequest): Promise<EnsureSessionResult>;
}

/** Activities served on the session task queue (the worker holding the subscription). */
export interface SessionActivities {
  awaitOffer(req: AwaitOfferRequest): Promise<AwaitOfferResult>;
  launchTask(req: LaunchRequest): Promise<LaunchResult>;
  killTask(req: KillRequest): Promise<void>;
  reconcileTask(req: ReconcileRequest): Promise<void>;
}

/** Input of the long-running activity that holds the subscription. */
export interface HoldSessionRequest {
  frameworkName: string;
  frameworkId: string | undefined;
}

export interface SessionHostActivities {
  holdSession(req: HoldSessionRequest): Promise<void>;
}

export type JobActivities = GeneralActivities & SessionActivities;
