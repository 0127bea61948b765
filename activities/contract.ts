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

// ---- issue 11: one activity per attempt (workflow side: placeAndLaunch) ----
//
// Agreed interface between the workflow side (session-activities.ts,
// workflows/*) and the framework-session side (framework-session.ts,
// hold-session.ts, status-router.ts):
//
// 1. The job workflow calls ONE activity per attempt on the session task
//    queue, `placeAndLaunch`, instead of ensureSession + awaitOffer +
//    launchTask. It validates the spec, waits for a lease (session.awaitOffer,
//    polls as today; statistics carry over), launches (session.launch, same
//    LaunchRequest/LaunchResult as today) and then stays open until the
//    task's first update that is not TASK_STAGING/TASK_STARTING (or
//    `firstUpdateMs` passed). It completes asynchronously (Temporal client
//    `activity.complete(taskToken)`), so the session can tell when Temporal
//    recorded it. It heartbeats through the client, awaited, carrying
//    PlaceAndLaunchHeartbeat (waiting reasons within 2 s of the first offer
//    weighed, the lease, the updates it recorded).
// 2. Status updates while that activity is open are recorded by it instead
//    of by a signal: hold-session.ts's `signalJob` must first call
//    `routeUpdate(workflowId, update)` returned by createSessionActivities():
//      'recorded'  -> Temporal recorded it (heartbeat details or the activity's
//                     completion): acknowledge as after a signal;
//      'not-mine'  -> no open placeAndLaunch for this task: signal as today.
//    So TASK_STARTING never wakes the workflow; ack-after-record holds.
//    createSessionActivities(session, { client }) returns
//    { activities, routeUpdate } (see session-activities.ts).
// 3. What placeAndLaunch needs from FrameworkSession: awaitOffer(req, signal),
//    waitingSummary(taskId), launch(LaunchRequest), kill, reconcile, and the
//    `frameworkId` getter — unchanged signatures. A reconciliation answer for
//    a task the master never had (masterDoesNotKnow) seen during the launch is
//    not a task update: the activity reports `offer-lost`.
// 4. ensureSession is no longer called per job (the worker starts the session
//    workflow at start-up and every 30 s); it stays registered so running
//    jobs started before the change finish.

/** Input of placeAndLaunch. */
export interface PlaceAndLaunchRequest {
  jobId: string;
  attempt: number;
  taskId: string;
  /** The spec as given; validated in the activity (ApplicationFailure InvalidJobSpec, non-retryable). */
  spec: unknown;
  /** Epoch ms after which the activity gives up waiting and returns `no-offer`. */
  offerDeadline: number;
  /** How long after the launch to wait for the first update beyond TASK_STARTING before returning anyway. */
  firstUpdateMs: number;
}

export type PlaceAndLaunchResult = (
  | { kind: 'launched'; agentId: string; hostname: string; alreadyLaunched: boolean }
  /** The lease expired or the offer went away, or the master never had the task: infrastructure, retry. */
  | { kind: 'offer-lost'; message: string }
  /** offerDeadline passed without a fitting offer. */
  | { kind: 'no-offer'; waiting: MatchReasonSummary | undefined }
) & {
  spec: JobSpec;
  frameworkId?: string;
  /** Updates of the task Temporal recorded through this activity (in arrival order). */
  updates: TaskUpdateSignal[];
};

/** Heartbeat details of placeAndLaunch (also what a retried attempt resumes from). */
export interface PlaceAndLaunchHeartbeat {
  waiting?: MatchReasonSummary;
  /** Set once the lease was handed to the launch: a retry checks with the master instead of placing again. */
  lease?: OfferLease;
  updates: TaskUpdateSignal[];
}

/** The one activity per attempt, on the session task queue. */
export interface PlaceAndLaunchActivities {
  placeAndLaunch(req: PlaceAndLaunchRequest): Promise<PlaceAndLaunchResult>;
}

export type RouteOutcome = 'recorded' | 'not-mine';
export type RouteUpdate = (workflowId: string, update: TaskUpdateSignal) => Promise<RouteOutcome>;

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
