// TemporalAccess over gRPC with @temporalio/client: what the Node API uses.
// Reads (describe, list) take the raw responses and decode memo and search
// attributes with the SDK's default payload converter, so that both
// implementations hand the API the same plain values.
import { defaultPayloadConverter, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defineSearchAttributeKey, type SearchAttributePair, type SearchAttributeType as SdkSearchAttributeType } from '@temporalio/common';
import {
  TemporalError,
  workflowStatusByNumber,
  type ListWorkflowsRequest,
  type SearchAttributeType,
  type StartWorkflowRequest,
  type StartWorkflowResult,
  type TemporalAccess,
  type TemporalErrorKind,
  type WorkflowDescription,
  type WorkflowPage,
  type WorkflowSummary,
} from './access.js';
import { GrpcScheduleAccess } from './grpc-schedules.js';
import { base64ToBytes, base64url } from './payload-json.js';

const sdkTypes: Record<SearchAttributeType, SdkSearchAttributeType> = {
  Keyword: 'KEYWORD',
  KeywordList: 'KEYWORD_LIST',
  Text: 'TEXT',
  Int: 'INT',
  Double: 'DOUBLE',
  Bool: 'BOOL',
  Datetime: 'DATETIME',
};

interface RawPayload {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

interface RawTimestamp {
  seconds?: number | { toNumber(): number } | null;
  nanos?: number | null;
}

interface RawExecutionInfo {
  execution?: { workflowId?: string | null; runId?: string | null } | null;
  type?: { name?: string | null } | null;
  status?: number | null;
  memo?: { fields?: Record<string, RawPayload> | null } | null;
  searchAttributes?: { indexedFields?: Record<string, RawPayload> | null } | null;
  startTime?: RawTimestamp | null;
  closeTime?: RawTimestamp | null;
}

function dateOf(ts: RawTimestamp | null | undefined): Date | undefined {
  if (!ts || ts.seconds == null) return undefined;
  const s = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return new Date(s * 1000 + Math.floor((ts.nanos ?? 0) / 1e6));
}

function decodeFields(fields: Record<string, RawPayload> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(fields ?? {})) out[k] = defaultPayloadConverter.fromPayload(p as Parameters<typeof defaultPayloadConverter.fromPayload>[0]);
  return out;
}

/** Heartbeat details; undecodable ones read as none (a view without them is still a view). */
function decodeDetails(payloads: readonly RawPayload[] | null | undefined): unknown[] {
  try {
    return (payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p as Parameters<typeof defaultPayloadConverter.fromPayload>[0]));
  } catch {
    return [];
  }
}

function summaryOf(raw: RawExecutionInfo): WorkflowSummary {
  return {
    workflowId: raw.execution?.workflowId ?? '',
    runId: raw.execution?.runId ?? '',
    type: raw.type?.name ?? '',
    status: workflowStatusByNumber[raw.status ?? 0] ?? 'UNSPECIFIED',
    memo: decodeFields(raw.memo?.fields),
    searchAttributes: decodeFields(raw.searchAttributes?.indexedFields),
    startTime: dateOf(raw.startTime) ?? new Date(0),
    closeTime: dateOf(raw.closeTime),
  };
}

/** A gRPC failure as a TemporalError naming what was being done. */
function toTemporalError(err: unknown, what: string): TemporalError {
  if (err instanceof TemporalError) return err;
  if (err instanceof WorkflowNotFoundError) return new TemporalError('not-found', `${what}: ${err.message}`, { cause: err });
  // The SDK wraps gRPC errors (ServiceError); the status code is on the cause.
  let code: unknown;
  for (let e: unknown = err, depth = 0; e && depth < 4 && code === undefined; e = (e as { cause?: unknown }).cause, depth++) code = (e as { code?: unknown }).code;
  const msg = String((err as Error)?.message ?? err) + String((err as { cause?: Error })?.cause?.message ?? '');
  const byCode: Record<number, TemporalErrorKind> = { 3: 'invalid-argument', 6: 'already-exists', 4: 'timeout', 5: 'not-found', 7: 'permission-denied', 8: 'unavailable', 14: 'unavailable', 16: 'permission-denied' };
  let kind: TemporalErrorKind = typeof code === 'number' ? (byCode[code] ?? 'failed') : 'failed';
  if (kind === 'failed' && /DEADLINE_EXCEEDED|deadline/i.test(msg)) kind = 'timeout';
  if (kind === 'failed' && /UNAVAILABLE|ECONNREFUSED|Failed to connect/i.test(msg)) kind = 'unavailable';
  return new TemporalError(kind, `${what}: ${msg}`, { cause: err });
}

export class GrpcTemporalAccess implements TemporalAccess {
  readonly namespace: string;
  private readonly schedules: GrpcScheduleAccess;

  constructor(
    private readonly client: Client,
    namespace?: string,
  ) {
    this.namespace = namespace ?? client.options.namespace;
    this.schedules = new GrpcScheduleAccess(() => client.workflowService, this.namespace, toTemporalError);
  }

  createSchedule: TemporalAccess['createSchedule'] = (r) => this.schedules.createSchedule(r);
  describeSchedule: TemporalAccess['describeSchedule'] = (id) => this.schedules.describeSchedule(id);
  listSchedules: TemporalAccess['listSchedules'] = (r) => this.schedules.listSchedules(r);
  updateSchedule: TemporalAccess['updateSchedule'] = (r) => this.schedules.updateSchedule(r);
  patchSchedule: TemporalAccess['patchSchedule'] = (id, p) => this.schedules.patchSchedule(id, p);
  listScheduleMatchingTimes: TemporalAccess['listScheduleMatchingTimes'] = (id, s, e) => this.schedules.listScheduleMatchingTimes(id, s, e);
  deleteSchedule: TemporalAccess['deleteSchedule'] = (id) => this.schedules.deleteSchedule(id);

  async startWorkflow(req: StartWorkflowRequest): Promise<StartWorkflowResult> {
    const typedSearchAttributes = (req.searchAttributes ?? []).map(
      (s) => ({ key: defineSearchAttributeKey(s.name, sdkTypes[s.type]), value: s.type === 'Datetime' ? new Date(s.value as string) : s.value }) as SearchAttributePair,
    );
    try {
      const handle = await this.client.workflow.start(req.workflowType, {
        taskQueue: req.taskQueue,
        workflowId: req.workflowId,
        args: req.args,
        ...(req.memo ? { memo: req.memo } : {}),
        ...(typedSearchAttributes.length ? { typedSearchAttributes } : {}),
        workflowIdReusePolicy: req.idReusePolicy ?? 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
      });
      return { started: true, runId: handle.firstExecutionRunId };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { started: false, runId: undefined };
      throw toTemporalError(err, `start workflow ${req.workflowId}`);
    }
  }

  async checkReachable(timeoutMs: number): Promise<void> {
    try {
      await this.client.withDeadline(Date.now() + timeoutMs, () => this.client.workflowService.getSystemInfo({}));
    } catch (err) {
      throw toTemporalError(err, 'reach Temporal');
    }
  }

  async describeWorkflow(workflowId: string): Promise<WorkflowDescription | undefined> {
    try {
      const res = await this.client.workflowService.describeWorkflowExecution({ namespace: this.namespace, execution: { workflowId } });
      return {
        ...summaryOf((res.workflowExecutionInfo ?? {}) as RawExecutionInfo),
        // PendingActivityState 2 = STARTED (the proto package is not a direct dependency).
        pendingActivities: (res.pendingActivities ?? []).map((a) => ({
          type: a.activityType?.name ?? '',
          started: Number(a.state) === 2,
          heartbeatDetails: decodeDetails(a.heartbeatDetails?.payloads),
        })),
      };
    } catch (err) {
      const e = toTemporalError(err, `describe workflow ${workflowId}`);
      if (e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  async queryWorkflow<T>(workflowId: string, queryType: string, args: unknown[], timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    try {
      return await this.client.withDeadline(deadline, () => this.client.workflow.getHandle(workflowId).query<T, unknown[]>(queryType, ...args));
    } catch (err) {
      const e = toTemporalError(err, `query ${queryType} of ${workflowId}`);
      // grpc-js may report our own deadline as CANCELLED ("Call cancelled") rather than DEADLINE_EXCEEDED.
      if (e.kind === 'failed' && Date.now() >= deadline) throw new TemporalError('timeout', e.message, { cause: err });
      throw e;
    }
  }

  async listWorkflows(req: ListWorkflowsRequest): Promise<WorkflowPage> {
    let nextPageToken: Uint8Array | undefined;
    if (req.pageToken !== undefined) {
      try {
        nextPageToken = base64ToBytes(req.pageToken);
      } catch (err) {
        throw new TemporalError('invalid-argument', 'list workflows: the page token is not base64url', { cause: err });
      }
      if (nextPageToken.length === 0) throw new TemporalError('invalid-argument', 'list workflows: empty page token');
    }
    try {
      const res = await this.client.workflowService.listWorkflowExecutions({
        namespace: this.namespace,
        pageSize: req.pageSize,
        query: req.query,
        ...(nextPageToken ? { nextPageToken } : {}),
      });
      const token = res.nextPageToken;
      return { executions: (res.executions ?? []).map((e) => summaryOf(e as RawExecutionInfo)), nextPageToken: token && token.length > 0 ? base64url(token) : null };
    } catch (err) {
      throw toTemporalError(err, `list workflows (${req.query})`);
    }
  }

  async countWorkflows(query: string): Promise<number> {
    try {
      const res = await this.client.workflowService.countWorkflowExecutions({ namespace: this.namespace, query });
      const c = res.count;
      return c == null ? 0 : typeof c === 'number' ? c : c.toNumber();
    } catch (err) {
      throw toTemporalError(err, `count workflows (${query})`);
    }
  }

  async cancelWorkflow(workflowId: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(workflowId).cancel();
    } catch (err) {
      throw toTemporalError(err, `cancel workflow ${workflowId}`);
    }
  }

  async signalWorkflow(workflowId: string, signalName: string, args: unknown[]): Promise<void> {
    try {
      await this.client.workflow.getHandle(workflowId).signal(signalName, ...args);
    } catch (err) {
      throw toTemporalError(err, `signal ${signalName} to ${workflowId}`);
    }
  }
}
