// TemporalAccess over Temporal's HTTP/JSON API (the frontend's grpc-gateway
// routes under /api/v1/namespaces/{ns}/…), with `fetch` only: no Node
// built-ins, no gRPC, so that it runs at the edge (Cloudflare Workers). An API
// key (Temporal Cloud) is sent as a bearer token.
import {
  TemporalError,
  workflowStatusFromName,
  type CreateScheduleRequest,
  type ListSchedulesRequest,
  type ScheduleDescription,
  type SchedulePage,
  type SchedulePatch,
  type UpdateScheduleRequest,
  type ListWorkflowsRequest,
  type StartWorkflowRequest,
  type StartWorkflowResult,
  type TemporalAccess,
  type TemporalErrorKind,
  type WorkflowPage,
  type WorkflowDescription,
  type WorkflowSummary,
} from './access.js';
import { base64ToBytes, base64url, bytesToBase64, decodeFields, decodePayload, encodePayload } from './payload-json.js';
import { actionJson, overlapJson, policiesJson, scheduleDescriptionOf, searchAttributesJson, specJson, stateJson } from './schedule-json.js';

export interface HttpTemporalAccessOptions {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:7243 or https://<namespace>.<account>.tmprl.cloud. */
  baseUrl: string;
  namespace: string;
  /** Sent as `Authorization: Bearer <apiKey>` (Temporal Cloud API keys). */
  apiKey?: string | undefined;
  /** Deadline of every call but queries (which bring their own); default 10 s. */
  timeoutMs?: number;
  /** The fetch to use; default globalThis.fetch. */
  fetch?: typeof fetch;
}

const CANONICAL_JSON = 'application/json+no-payload-shorthand';

/** The JSON shapes read here (the subset of Temporal's messages mesoflow uses). */
interface RawExecutionInfo {
  execution?: { workflowId?: string; runId?: string };
  type?: { name?: string };
  status?: string;
  memo?: { fields?: Record<string, unknown> };
  searchAttributes?: { indexedFields?: Record<string, unknown> };
  startTime?: string;
  closeTime?: string;
}

interface RawStatus {
  code?: number;
  message?: string;
  details?: { '@type'?: string; runId?: string }[];
}

/** gRPC status codes (in the error body) to what went wrong. */
function kindOf(httpStatus: number, code: number | undefined): TemporalErrorKind {
  switch (code) {
    case 5:
      return 'not-found';
    case 6:
      return 'already-exists';
    case 3:
    case 9:
    case 11:
      return 'invalid-argument';
    case 14:
    case 8:
      return 'unavailable';
    case 4:
      return 'timeout';
    case 7:
    case 16:
      return 'permission-denied';
  }
  if (httpStatus === 404) return 'not-found';
  if (httpStatus === 409) return 'already-exists';
  if (httpStatus === 400) return 'invalid-argument';
  if (httpStatus === 401 || httpStatus === 403) return 'permission-denied';
  if (httpStatus === 502 || httpStatus === 503) return 'unavailable';
  if (httpStatus === 504) return 'timeout';
  return 'failed';
}

/** Payloads in a response: the shorthand array or `{payloads: [...]}`. */
function payloadList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  const p = (v as { payloads?: unknown[] } | undefined)?.payloads;
  return Array.isArray(p) ? p : [];
}

/** Heartbeat details (a Payloads message); undecodable ones read as none (a view without them is still a view). */
function decodeDetails(v: unknown): unknown[] {
  try {
    return payloadList(v).map((p) => decodePayload(p));
  } catch {
    return [];
  }
}

function summaryOf(raw: RawExecutionInfo): WorkflowSummary {
  return {
    workflowId: raw.execution?.workflowId ?? '',
    runId: raw.execution?.runId ?? '',
    type: raw.type?.name ?? '',
    status: workflowStatusFromName(raw.status),
    memo: decodeFields(raw.memo?.fields),
    searchAttributes: decodeFields(raw.searchAttributes?.indexedFields),
    startTime: new Date(raw.startTime ?? 0),
    closeTime: raw.closeTime ? new Date(raw.closeTime) : undefined,
  };
}

/** A 429 answer, to be tried again (send()). */
class ResourceExhausted extends Error {
  constructor(readonly error: TemporalError) {
    super(error.message);
  }
}

export class HttpTemporalAccess implements TemporalAccess {
  readonly namespace: string;
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: HttpTemporalAccessOptions) {
    this.namespace = options.namespace;
    this.base = `${options.baseUrl.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(options.namespace)}`;
    // Workers' fetch must be called unbound from the global, not as a method of options.
    const f = options.fetch ?? globalThis.fetch;
    this.fetchFn = (input, init) => f(input, init);
  }

  async startWorkflow(req: StartWorkflowRequest): Promise<StartWorkflowResult> {
    const body = {
      requestId: crypto.randomUUID(),
      workflowType: { name: req.workflowType },
      taskQueue: { name: req.taskQueue },
      input: { payloads: req.args.map((a) => encodePayload(a)) },
      ...(req.memo ? { memo: { fields: Object.fromEntries(Object.entries(req.memo).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encodePayload(v)])) } } : {}),
      ...(req.searchAttributes?.length
        ? { searchAttributes: { indexedFields: Object.fromEntries(req.searchAttributes.map((s) => [s.name, encodePayload(s.value, s.type)])) } }
        : {}),
      workflowIdReusePolicy: `WORKFLOW_ID_REUSE_POLICY_${req.idReusePolicy ?? 'REJECT_DUPLICATE'}`,
      workflowIdConflictPolicy: 'WORKFLOW_ID_CONFLICT_POLICY_FAIL',
    };
    const path = `/workflows/${encodeURIComponent(req.workflowId)}`;
    const res = await this.send('POST', path, body, `start workflow ${req.workflowId}`, { allow: [409] });
    if (res.status === 409) {
      const st = res.body as RawStatus;
      const detail = st.details?.find((d) => d['@type']?.endsWith('WorkflowExecutionAlreadyStartedFailure'));
      if (st.code === 6 || detail) return { started: false, runId: detail?.runId };
      throw new TemporalError('failed', `start workflow ${req.workflowId}: ${st.message ?? 'conflict'}`);
    }
    return { started: true, runId: String((res.body as { runId?: string }).runId ?? '') };
  }

  async checkReachable(timeoutMs: number): Promise<void> {
    await this.send('GET', '', undefined, 'reach Temporal', { timeoutMs, url: `${this.options.baseUrl.replace(/\/+$/, '')}/api/v1/system-info` });
  }

  async describeWorkflow(workflowId: string): Promise<WorkflowDescription | undefined> {
    try {
      const res = await this.send('GET', `/workflows/${encodeURIComponent(workflowId)}`, undefined, `describe workflow ${workflowId}`);
      const r = res.body as { workflowExecutionInfo?: RawExecutionInfo; pendingActivities?: Array<{ activityType?: { name?: string }; state?: string; heartbeatDetails?: unknown }> };
      return {
        ...summaryOf(r.workflowExecutionInfo ?? {}),
        pendingActivities: (r.pendingActivities ?? []).map((a) => ({
          type: a.activityType?.name ?? '',
          started: a.state === 'PENDING_ACTIVITY_STATE_STARTED',
          heartbeatDetails: decodeDetails(a.heartbeatDetails),
        })),
      };
    } catch (err) {
      if (err instanceof TemporalError && err.kind === 'not-found') return undefined;
      throw err;
    }
  }

  async queryWorkflow<T>(workflowId: string, queryType: string, args: unknown[], timeoutMs: number): Promise<T> {
    const body = { query: { queryType, ...(args.length ? { queryArgs: { payloads: args.map((a) => encodePayload(a)) } } : {}) } };
    const res = await this.send('POST', `/workflows/${encodeURIComponent(workflowId)}/query/${encodeURIComponent(queryType)}`, body, `query ${queryType} of ${workflowId}`, {
      timeoutMs,
    });
    const r = res.body as { queryResult?: unknown; queryRejected?: { status?: string } };
    if (r.queryRejected) throw new TemporalError('failed', `query ${queryType} of ${workflowId} rejected (workflow ${r.queryRejected.status ?? 'closed'})`);
    return decodePayload(payloadList(r.queryResult)[0] ?? null) as T;
  }

  async listWorkflows(req: ListWorkflowsRequest): Promise<WorkflowPage> {
    const params = new URLSearchParams({ query: req.query, pageSize: String(req.pageSize) });
    if (req.pageToken !== undefined) {
      let token: Uint8Array;
      try {
        token = base64ToBytes(req.pageToken);
      } catch (err) {
        throw new TemporalError('invalid-argument', 'list workflows: the page token is not base64url', { cause: err });
      }
      if (token.length === 0) throw new TemporalError('invalid-argument', 'list workflows: empty page token');
      params.set('nextPageToken', bytesToBase64(token));
    }
    const res = await this.send('GET', `/workflows?${params.toString()}`, undefined, `list workflows (${req.query})`);
    const r = res.body as { executions?: RawExecutionInfo[]; nextPageToken?: string };
    const token = r.nextPageToken ? base64ToBytes(r.nextPageToken) : undefined;
    return { executions: (r.executions ?? []).map(summaryOf), nextPageToken: token && token.length > 0 ? base64url(token) : null };
  }

  async countWorkflows(query: string): Promise<number> {
    const res = await this.send('GET', `/workflow-count?${new URLSearchParams({ query }).toString()}`, undefined, `count workflows (${query})`);
    return Number((res.body as { count?: string | number }).count ?? 0);
  }

  async cancelWorkflow(workflowId: string): Promise<void> {
    await this.send('POST', `/workflows/${encodeURIComponent(workflowId)}/cancel`, { requestId: crypto.randomUUID() }, `cancel workflow ${workflowId}`);
  }

  async signalWorkflow(workflowId: string, signalName: string, args: unknown[]): Promise<void> {
    const body = { requestId: crypto.randomUUID(), input: { payloads: args.map((a) => encodePayload(a)) } };
    await this.send('POST', `/workflows/${encodeURIComponent(workflowId)}/signal/${encodeURIComponent(signalName)}`, body, `signal ${signalName} to ${workflowId}`);
  }

  async createSchedule(req: CreateScheduleRequest): Promise<void> {
    const body = {
      requestId: crypto.randomUUID(),
      schedule: { spec: specJson(req.spec), action: actionJson(req.action), policies: policiesJson(req.policies), state: stateJson(req.state) },
      ...(req.searchAttributes?.length ? { searchAttributes: searchAttributesJson(req.searchAttributes) } : {}),
    };
    await this.send('POST', this.schedulePath(req.scheduleId), body, `create schedule ${req.scheduleId}`);
  }

  async describeSchedule(scheduleId: string): Promise<ScheduleDescription | undefined> {
    const r = await this.describeScheduleRaw(scheduleId);
    return r === undefined ? undefined : scheduleDescriptionOf(scheduleId, r);
  }

  private async describeScheduleRaw(scheduleId: string): Promise<Record<string, unknown> | undefined> {
    try {
      return (await this.send('GET', this.schedulePath(scheduleId), undefined, `describe schedule ${scheduleId}`)).body as Record<string, unknown>;
    } catch (err) {
      if (err instanceof TemporalError && err.kind === 'not-found') return undefined;
      throw err;
    }
  }

  async listSchedules(req: ListSchedulesRequest): Promise<SchedulePage> {
    const params = new URLSearchParams({ query: req.query, maximumPageSize: String(req.pageSize) });
    if (req.pageToken !== undefined) params.set('nextPageToken', bytesToBase64(this.pageTokenBytes(req.pageToken, 'list schedules')));
    const res = await this.send('GET', `/schedules?${params.toString()}`, undefined, `list schedules (${req.query})`);
    const r = res.body as { schedules?: Array<{ scheduleId?: string; info?: { paused?: boolean; notes?: string; futureActionTimes?: string[] } }>; nextPageToken?: string };
    const token = r.nextPageToken ? base64ToBytes(r.nextPageToken) : undefined;
    return {
      schedules: (r.schedules ?? []).map((s) => ({
        scheduleId: s.scheduleId ?? '',
        paused: s.info?.paused === true,
        note: s.info?.notes || undefined,
        nextActionTimes: (s.info?.futureActionTimes ?? []).map((t) => new Date(t)),
      })),
      nextPageToken: token && token.length > 0 ? base64url(token) : null,
    };
  }

  async updateSchedule(req: UpdateScheduleRequest): Promise<void> {
    // Without a new action, the current one goes back exactly as Temporal holds it (full payloads).
    let action: unknown;
    if (req.action) action = actionJson(req.action);
    else {
      const current = await this.describeScheduleRaw(req.scheduleId);
      if (current === undefined) throw new TemporalError('not-found', `update schedule ${req.scheduleId}: no such schedule`);
      action = (current.schedule as { action?: unknown } | undefined)?.action;
    }
    const body = {
      requestId: crypto.randomUUID(),
      schedule: { spec: specJson(req.spec), action, policies: policiesJson(req.policies), state: stateJson(req.state) },
    };
    await this.send('POST', `${this.schedulePath(req.scheduleId)}/update`, body, `update schedule ${req.scheduleId}`);
  }

  async patchSchedule(scheduleId: string, patch: SchedulePatch): Promise<void> {
    const body = {
      requestId: crypto.randomUUID(),
      patch: {
        ...(patch.pause !== undefined ? { pause: patch.pause } : {}),
        ...(patch.unpause !== undefined ? { unpause: patch.unpause } : {}),
        ...(patch.trigger ? { triggerImmediately: { overlapPolicy: overlapJson(patch.trigger.overlap) } } : {}),
        ...(patch.backfill
          ? { backfillRequest: patch.backfill.map((b) => ({ startTime: b.start.toISOString(), endTime: b.end.toISOString(), overlapPolicy: overlapJson(b.overlap) })) }
          : {}),
      },
    };
    await this.send('POST', `${this.schedulePath(scheduleId)}/patch`, body, `patch schedule ${scheduleId}`);
  }

  async listScheduleMatchingTimes(scheduleId: string, start: Date, end: Date): Promise<Date[]> {
    const params = new URLSearchParams({ startTime: start.toISOString(), endTime: end.toISOString() });
    const res = await this.send('GET', `${this.schedulePath(scheduleId)}/matching-times?${params.toString()}`, undefined, `list matching times of schedule ${scheduleId}`);
    return ((res.body as { startTime?: string[] }).startTime ?? []).map((t) => new Date(t));
  }

  async deleteSchedule(scheduleId: string): Promise<void> {
    await this.send('DELETE', this.schedulePath(scheduleId), undefined, `delete schedule ${scheduleId}`);
  }

  private schedulePath(scheduleId: string): string {
    return `/schedules/${encodeURIComponent(scheduleId)}`;
  }

  private pageTokenBytes(pageToken: string, what: string): Uint8Array {
    let token: Uint8Array;
    try {
      token = base64ToBytes(pageToken);
    } catch (err) {
      throw new TemporalError('invalid-argument', `${what}: the page token is not base64url`, { cause: err });
    }
    if (token.length === 0) throw new TemporalError('invalid-argument', `${what}: empty page token`);
    return token;
  }

  /**
   * One call: JSON in and out; non-2xx answers become TemporalErrors naming
   * `what`. A 429 (RESOURCE_EXHAUSTED: e.g. "consistent query buffer is
   * full" when two describes of one schedule meet) is tried again with a
   * short backoff within the deadline, as the gRPC client's retry interceptor
   * does; every mutating call carries a requestId, so a repeat is safe.
   */
  private async send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    what: string,
    opts: { allow?: number[]; timeoutMs?: number; url?: string } = {},
  ): Promise<{ status: number; body: unknown }> {
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sendOnce(method, path, body, what, { ...opts, timeoutMs: Math.max(1, deadline - Date.now()) });
      } catch (err) {
        const backoff = Math.min(400, 25 * 2 ** attempt);
        if (!(err instanceof ResourceExhausted) || Date.now() + backoff >= deadline) throw err instanceof ResourceExhausted ? err.error : err;
        await new Promise((r) => setTimeout(r, backoff));
      }
    }
  }

  private async sendOnce(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    what: string,
    opts: { allow?: number[]; timeoutMs?: number; url?: string } = {},
  ): Promise<{ status: number; body: unknown }> {
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs ?? 10_000;
    // Canonical proto JSON both ways: the gateway's default "payload shorthand"
    // is lossy (it turns [] inside a payload into null, so a job's empty attempt
    // list would come back as null). Full payloads are encoded here instead.
    const headers: Record<string, string> = { accept: CANONICAL_JSON };
    if (body !== undefined) headers['content-type'] = CANONICAL_JSON;
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    // The gateway turns this into the gRPC deadline, so the server gives up when we do.
    headers['grpc-timeout'] = `${Math.max(1, Math.floor(timeoutMs))}m`;
    let res: Response;
    try {
      res = await this.fetchFn(opts.url ?? this.base + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new TemporalError('timeout', `${what}: no answer from Temporal in ${timeoutMs} ms`, { cause: err });
      throw new TemporalError('unavailable', `${what}: Temporal's HTTP API at ${this.options.baseUrl} is not reachable: ${String((err as Error)?.message ?? err)}`, {
        cause: err,
      });
    }
    // Decoded by hand: the gateway labels its JSON "Content-Type: *", which res.text() warns about in workerd.
    const text = new TextDecoder().decode(await res.arrayBuffer());
    let parsed: unknown = {};
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { message: text.slice(0, 200) };
      }
    }
    if (res.ok || opts.allow?.includes(res.status)) return { status: res.status, body: parsed };
    const st = parsed as RawStatus;
    const error = new TemporalError(kindOf(res.status, st.code), `${what}: HTTP ${res.status}: ${st.message ?? res.statusText}`);
    if (res.status === 429) throw new ResourceExhausted(error);
    throw error;
  }
}
