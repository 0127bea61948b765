// TemporalAccess: the one small interface through which the API reaches
// Temporal. Two implementations: grpc-access.ts (@temporalio/client, Node) and
// http-access.ts (Temporal's HTTP/JSON API over fetch, for runtimes without
// gRPC such as Cloudflare Workers). Both pass the same contract suite
// (test/integration/api/temporal-access-contract.test.ts) against a real
// server. This file imports nothing: it is on the edge build's import graph.

/** Temporal's execution status names, without the WORKFLOW_EXECUTION_STATUS_ prefix. */
export type WorkflowStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'CONTINUED_AS_NEW' | 'TIMED_OUT' | 'PAUSED' | 'UNSPECIFIED';

/** Search attribute types as Temporal names them (the `type` metadata of their payloads). */
export type SearchAttributeType = 'Keyword' | 'KeywordList' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime';

export interface SearchAttributeEntry {
  name: string;
  type: SearchAttributeType;
  /** A Datetime is given as an ISO-8601 string. */
  value: string | string[] | number | boolean;
}

export interface StartWorkflowRequest {
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  /** The workflow's arguments, each encoded as one json/plain payload. */
  args: unknown[];
  memo?: Record<string, unknown>;
  searchAttributes?: SearchAttributeEntry[];
  /** What happens when a closed workflow has this id; default REJECT_DUPLICATE. */
  idReusePolicy?: 'ALLOW_DUPLICATE' | 'ALLOW_DUPLICATE_FAILED_ONLY' | 'REJECT_DUPLICATE';
}

export type StartWorkflowResult = { started: true; runId: string } | { started: false; runId: string | undefined };

/** What describe and list both tell of a workflow execution. */
export interface WorkflowSummary {
  workflowId: string;
  runId: string;
  type: string;
  status: WorkflowStatus;
  /** Memo fields, decoded from json/plain. */
  memo: Record<string, unknown>;
  /** Search attributes by name, decoded from json/plain (a Datetime stays an ISO string). */
  searchAttributes: Record<string, unknown>;
  startTime: Date;
  closeTime: Date | undefined;
}

/** An activity in flight, as describe tells it. */
export interface PendingActivityInfo {
  type: string;
  started: boolean;
  /** Its last heartbeat's details, decoded from json/plain ([] when none, or when they cannot be decoded). */
  heartbeatDetails: unknown[];
}

/** What describe tells beyond a summary: the activities in flight (readiness looks for the session's, a job's view for its attempt's heartbeat). */
export interface WorkflowDescription extends WorkflowSummary {
  pendingActivities: PendingActivityInfo[];
}

export interface ListWorkflowsRequest {
  /** A visibility query (`WorkflowType = 'jobWorkflow' AND …`). */
  query: string;
  pageSize: number;
  /** The nextPageToken of the previous page. */
  pageToken?: string;
}

export interface WorkflowPage {
  executions: WorkflowSummary[];
  /** Opaque (base64url of Temporal's token bytes, the same for both implementations); null on the last page. */
  nextPageToken: string | null;
}

/** Why a Temporal call failed, independent of the transport. */
export type TemporalErrorKind = 'not-found' | 'already-exists' | 'invalid-argument' | 'unavailable' | 'timeout' | 'permission-denied' | 'failed';

export class TemporalError extends Error {
  constructor(
    readonly kind: TemporalErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TemporalError';
  }
}

export interface TemporalAccess extends TemporalScheduleAccess {
  readonly namespace: string;
  /** Resolves when the frontend answers (GetSystemInfo); rejects with a TemporalError otherwise. */
  checkReachable(timeoutMs: number): Promise<void>;
  /** Starts a workflow; `started: false` when one with this id exists (running, or closed and the policy rejects reuse). */
  startWorkflow(req: StartWorkflowRequest): Promise<StartWorkflowResult>;
  /** The latest run of the workflow, or undefined when there is none. */
  describeWorkflow(workflowId: string): Promise<WorkflowDescription | undefined>;
  /** Runs a query; rejects with TemporalError('timeout') when no answer comes within timeoutMs (no worker). */
  queryWorkflow<T>(workflowId: string, queryType: string, args: unknown[], timeoutMs: number): Promise<T>;
  listWorkflows(req: ListWorkflowsRequest): Promise<WorkflowPage>;
  countWorkflows(query: string): Promise<number>;
  /** Requests cancellation of the latest run; TemporalError('not-found') when there is none. */
  cancelWorkflow(workflowId: string): Promise<void>;
  signalWorkflow(workflowId: string, signalName: string, args: unknown[]): Promise<void>;
}

const statusPrefix = 'WORKFLOW_EXECUTION_STATUS_';

/** WORKFLOW_EXECUTION_STATUS_RUNNING (or RUNNING) → RUNNING. */
/** The proto enum's numbers (gRPC) in order: WorkflowExecutionStatus. */
export const workflowStatusByNumber: readonly WorkflowStatus[] = ['UNSPECIFIED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT', 'PAUSED'];

export function workflowStatusFromName(name: string | undefined): WorkflowStatus {
  let s = (name ?? '').startsWith(statusPrefix) ? (name as string).slice(statusPrefix.length) : (name ?? '');
  // The proto enum spells it CANCELED; the SDK (and mesoflow) CANCELLED.
  if (s === 'CANCELED') s = 'CANCELLED';
  const known: readonly string[] = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT', 'PAUSED'];
  return known.includes(s) ? (s as WorkflowStatus) : 'UNSPECIFIED';
}

// ---- Schedules -------------------------------------------------------------
// A transport-neutral model of the parts of Temporal's Schedule messages that
// mesoflow uses (temporal.api.schedule.v1). Durations are milliseconds.

export type ScheduleOverlap = 'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';
export const scheduleOverlapByNumber: readonly (ScheduleOverlap | 'UNSPECIFIED')[] = ['UNSPECIFIED', 'SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL'];

/** A range of a structured calendar (end 0 means start; step 0 means 1, as in the proto). */
export interface ScheduleRange {
  start: number;
  end: number;
  step: number;
}

/** StructuredCalendarSpec: Temporal compiles cron strings into these, keeping the text after "#" as the comment. */
export interface ScheduleCalendar {
  second: ScheduleRange[];
  minute: ScheduleRange[];
  hour: ScheduleRange[];
  dayOfMonth: ScheduleRange[];
  month: ScheduleRange[];
  year: ScheduleRange[];
  dayOfWeek: ScheduleRange[];
  comment: string;
}

export interface ScheduleInterval {
  everyMs: number;
  offsetMs: number;
}

export interface ScheduleSpecInput {
  /** Cron strings, compiled by Temporal into calendars. */
  cronStrings: string[];
  /** Structured calendars sent as they are (kept on update). */
  calendars?: ScheduleCalendar[];
  intervals: ScheduleInterval[];
  timezone: string;
  startAt?: Date | undefined;
  endAt?: Date | undefined;
  jitterMs?: number | undefined;
}

export interface ScheduleSpecDescription {
  calendars: ScheduleCalendar[];
  intervals: ScheduleInterval[];
  timezone: string;
  startAt: Date | undefined;
  endAt: Date | undefined;
  jitterMs: number | undefined;
}

/** The start-workflow action; Temporal appends `-<nominal time>` to the workflow id of each run (and always allows duplicates). */
export type ScheduleStartAction = Omit<StartWorkflowRequest, 'idReusePolicy'>;

export interface ScheduleActionDescription {
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  args: unknown[];
  memo: Record<string, unknown>;
  searchAttributes: Record<string, unknown>;
}

export interface SchedulePolicies {
  overlap: ScheduleOverlap;
  /** Unset on create: Temporal's default (1 year on current servers; a description without one reads 60 s, as the SDK does). */
  catchupWindowMs?: number | undefined;
  pauseOnFailure: boolean;
}

export interface ScheduleState {
  paused: boolean;
  note: string | undefined;
  /** Runs left; undefined for unlimited. */
  remainingActions: number | undefined;
}

export interface CreateScheduleRequest {
  scheduleId: string;
  spec: ScheduleSpecInput;
  action: ScheduleStartAction;
  policies: SchedulePolicies;
  state: ScheduleState;
  /** The schedule's own search attributes (listing schedules filters on them). */
  searchAttributes?: SearchAttributeEntry[];
}

export interface UpdateScheduleRequest {
  scheduleId: string;
  spec: ScheduleSpecInput;
  /** Undefined keeps the current action exactly as Temporal holds it. */
  action?: ScheduleStartAction | undefined;
  policies: SchedulePolicies;
  state: ScheduleState;
}

export interface ScheduleActionResult {
  scheduledAt: Date;
  takenAt: Date;
  workflowId: string;
}

export interface ScheduleDescription {
  scheduleId: string;
  spec: ScheduleSpecDescription;
  action: ScheduleActionDescription;
  policies: Required<SchedulePolicies>;
  state: ScheduleState;
  info: {
    numActionsTaken: number;
    numActionsMissedCatchupWindow: number;
    numActionsSkippedOverlap: number;
    runningWorkflowIds: string[];
    recentActions: ScheduleActionResult[];
    nextActionTimes: Date[];
    createdAt: Date;
    lastUpdatedAt: Date | undefined;
  };
}

/** One change of PatchSchedule: pause or unpause (with a note), trigger now, backfill ranges. */
export interface SchedulePatch {
  pause?: string;
  unpause?: string;
  trigger?: { overlap: ScheduleOverlap };
  backfill?: Array<{ start: Date; end: Date; overlap: ScheduleOverlap }>;
}

export interface ScheduleListEntry {
  scheduleId: string;
  paused: boolean;
  note: string | undefined;
  nextActionTimes: Date[];
}

export interface ListSchedulesRequest {
  /** A visibility query on the schedules' search attributes. */
  query: string;
  pageSize: number;
  pageToken?: string;
}

export interface SchedulePage {
  schedules: ScheduleListEntry[];
  /** Same form as WorkflowPage's; null on the last page. */
  nextPageToken: string | null;
}

/** The schedule operations, part of TemporalAccess. Errors: TemporalError ('not-found', 'already-exists', 'invalid-argument' for a spec Temporal refuses). */
export interface TemporalScheduleAccess {
  createSchedule(req: CreateScheduleRequest): Promise<void>;
  /** Undefined when there is no schedule with this id. */
  describeSchedule(scheduleId: string): Promise<ScheduleDescription | undefined>;
  listSchedules(req: ListSchedulesRequest): Promise<SchedulePage>;
  updateSchedule(req: UpdateScheduleRequest): Promise<void>;
  patchSchedule(scheduleId: string, patch: SchedulePatch): Promise<void>;
  /** The nominal times of the schedule's slots after `start` up to `end`, computed by Temporal. */
  listScheduleMatchingTimes(scheduleId: string, start: Date, end: Date): Promise<Date[]>;
  deleteSchedule(scheduleId: string): Promise<void>;
}

export function emptyCalendar(): ScheduleCalendar {
  return { second: [], minute: [], hour: [], dayOfMonth: [], month: [], year: [], dayOfWeek: [], comment: '' };
}
