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
export type TemporalErrorKind = 'not-found' | 'invalid-argument' | 'unavailable' | 'timeout' | 'permission-denied' | 'failed';

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

export interface TemporalAccess {
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
