// The schedule operations of the gRPC TemporalAccess: raw WorkflowService
// calls (the same messages the HTTP API carries as JSON), so that both
// implementations send and read the same fields. The action's payloads are
// written by the SDK's default payload converter, as its ScheduleClient does.
import { defaultPayloadConverter, type Client } from '@temporalio/client';
import {
  TemporalError,
  emptyCalendar,
  scheduleOverlapByNumber,
  type CreateScheduleRequest,
  type ListSchedulesRequest,
  type ScheduleCalendar,
  type ScheduleDescription,
  type ScheduleOverlap,
  type SchedulePage,
  type SchedulePatch,
  type SchedulePolicies,
  type ScheduleRange,
  type ScheduleSpecInput,
  type ScheduleStartAction,
  type ScheduleState,
  type SearchAttributeEntry,
  type TemporalScheduleAccess,
  type UpdateScheduleRequest,
} from './access.js';
import { base64ToBytes, base64url } from './payload-json.js';

type Service = Client['workflowService'];
type Payload = ReturnType<typeof defaultPayloadConverter.toPayload>;
type Long = number | { toString(): string } | null | undefined;
interface RawDuration {
  seconds?: Long;
  nanos?: number | null;
}

const utf8 = new TextEncoder();
const n = (v: Long): number => (v === null || v === undefined ? 0 : Number(String(v)));
const durationOf = (ms: number): RawDuration => ({ seconds: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1e6) });
// Floor, as Date parsing of an RFC 3339 time with nanoseconds does (the HTTP side).
const msOf = (d: RawDuration | null | undefined): number | undefined => (d ? n(d.seconds) * 1000 + Math.floor((d.nanos ?? 0) / 1e6) : undefined);
const dateOf = (t: RawDuration | null | undefined): Date | undefined => (t ? new Date(msOf(t) as number) : undefined);
const overlapNumber = (o: ScheduleOverlap): number => scheduleOverlapByNumber.indexOf(o);

function payloadOf(value: unknown, type?: string): Payload {
  const p = defaultPayloadConverter.toPayload(value);
  if (type === undefined) return p;
  return { ...p, metadata: { ...p.metadata, type: utf8.encode(type) } };
}
const decode = (p: unknown): unknown => defaultPayloadConverter.fromPayload(p as Payload);
const decodeFields = (f: Record<string, unknown> | null | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(f ?? {}).map(([k, p]) => [k, decode(p)]));

const searchAttributes = (entries: SearchAttributeEntry[]) => ({ indexedFields: Object.fromEntries(entries.map((s) => [s.name, payloadOf(s.value, s.type)])) });

function specOf(s: ScheduleSpecInput) {
  return {
    structuredCalendar: s.calendars ?? [],
    cronString: s.cronStrings,
    interval: s.intervals.map((i) => ({ interval: durationOf(i.everyMs), phase: durationOf(i.offsetMs) })),
    timezoneName: s.timezone,
    ...(s.startAt ? { startTime: durationOf(s.startAt.getTime()) } : {}),
    ...(s.endAt ? { endTime: durationOf(s.endAt.getTime()) } : {}),
    ...(s.jitterMs !== undefined ? { jitter: durationOf(s.jitterMs) } : {}),
  };
}

function actionOf(a: ScheduleStartAction) {
  return {
    startWorkflow: {
      workflowId: a.workflowId,
      workflowType: { name: a.workflowType },
      // TaskQueueKind 1 = NORMAL.
      taskQueue: { name: a.taskQueue, kind: 1 },
      input: { payloads: a.args.map((x) => payloadOf(x)) },
      ...(a.memo ? { memo: { fields: Object.fromEntries(Object.entries(a.memo).filter(([, v]) => v !== undefined).map(([k, v]) => [k, payloadOf(v)])) } } : {}),
      ...(a.searchAttributes?.length ? { searchAttributes: searchAttributes(a.searchAttributes) } : {}),
    },
  };
}

const policiesOf = (p: SchedulePolicies) => ({
  overlapPolicy: overlapNumber(p.overlap),
  ...(p.catchupWindowMs !== undefined ? { catchupWindow: durationOf(p.catchupWindowMs) } : {}),
  pauseOnFailure: p.pauseOnFailure,
});

const stateOf = (s: ScheduleState) => ({
  paused: s.paused,
  ...(s.note !== undefined ? { notes: s.note } : {}),
  limitedActions: s.remainingActions !== undefined,
  ...(s.remainingActions !== undefined ? { remainingActions: s.remainingActions } : {}),
});

const rangesOf = (v: Array<{ start?: number | null; end?: number | null; step?: number | null }> | null | undefined): ScheduleRange[] =>
  (v ?? []).map((r) => ({ start: r.start ?? 0, end: r.end ?? 0, step: r.step ?? 0 }));

function calendarOf(c: Record<string, unknown>): ScheduleCalendar {
  const out = emptyCalendar();
  for (const k of ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'year', 'dayOfWeek'] as const) out[k] = rangesOf(c[k] as Parameters<typeof rangesOf>[0]);
  out.comment = typeof c.comment === 'string' ? c.comment : '';
  return out;
}

type DescribeResponse = Awaited<ReturnType<Service['describeSchedule']>>;

function descriptionOf(scheduleId: string, r: DescribeResponse): ScheduleDescription {
  const spec = r.schedule?.spec ?? {};
  const sw = r.schedule?.action?.startWorkflow ?? {};
  const policies = r.schedule?.policies ?? {};
  const state = r.schedule?.state ?? {};
  const info = r.info ?? {};
  const overlap = scheduleOverlapByNumber[Number(policies.overlapPolicy ?? 0)];
  return {
    scheduleId,
    spec: {
      calendars: (spec.structuredCalendar ?? []).map((c) => calendarOf(c as Record<string, unknown>)),
      intervals: (spec.interval ?? []).map((i) => ({ everyMs: msOf(i.interval) ?? 0, offsetMs: msOf(i.phase) ?? 0 })),
      timezone: spec.timezoneName || 'UTC',
      startAt: dateOf(spec.startTime),
      endAt: dateOf(spec.endTime),
      jitterMs: msOf(spec.jitter) || undefined,
    },
    action: {
      workflowId: sw.workflowId ?? '',
      workflowType: sw.workflowType?.name ?? '',
      taskQueue: sw.taskQueue?.name ?? '',
      args: (sw.input?.payloads ?? []).map(decode),
      memo: decodeFields(sw.memo?.fields),
      searchAttributes: decodeFields(sw.searchAttributes?.indexedFields),
    },
    policies: {
      overlap: overlap === undefined || overlap === 'UNSPECIFIED' ? 'SKIP' : overlap,
      catchupWindowMs: msOf(policies.catchupWindow) ?? 60_000,
      pauseOnFailure: policies.pauseOnFailure === true,
    },
    state: {
      paused: state.paused === true,
      note: state.notes || undefined,
      remainingActions: state.limitedActions ? n(state.remainingActions) : undefined,
    },
    info: {
      numActionsTaken: n(info.actionCount),
      numActionsMissedCatchupWindow: n(info.missedCatchupWindow),
      numActionsSkippedOverlap: n(info.overlapSkipped),
      runningWorkflowIds: (info.runningWorkflows ?? []).map((w) => w.workflowId ?? ''),
      recentActions: (info.recentActions ?? []).map((a) => ({
        scheduledAt: dateOf(a.scheduleTime) ?? new Date(0),
        takenAt: dateOf(a.actualTime) ?? new Date(0),
        workflowId: a.startWorkflowResult?.workflowId ?? '',
      })),
      nextActionTimes: (info.futureActionTimes ?? []).map((t) => dateOf(t) as Date),
      createdAt: dateOf(info.createTime) ?? new Date(0),
      lastUpdatedAt: dateOf(info.updateTime),
    },
  };
}

/** The schedule half of GrpcTemporalAccess; `fail` turns a gRPC error into a TemporalError naming what was being done. */
export class GrpcScheduleAccess implements TemporalScheduleAccess {
  constructor(
    private readonly service: () => Service,
    private readonly namespace: string,
    private readonly fail: (err: unknown, what: string) => TemporalError,
  ) {}

  private async call<T>(what: string, fn: (s: Service) => Promise<T>): Promise<T> {
    try {
      return await fn(this.service());
    } catch (err) {
      throw this.fail(err, what);
    }
  }

  async createSchedule(req: CreateScheduleRequest): Promise<void> {
    await this.call(`create schedule ${req.scheduleId}`, (s) =>
      s.createSchedule({
        namespace: this.namespace,
        scheduleId: req.scheduleId,
        requestId: crypto.randomUUID(),
        schedule: { spec: specOf(req.spec), action: actionOf(req.action), policies: policiesOf(req.policies), state: stateOf(req.state) },
        ...(req.searchAttributes?.length ? { searchAttributes: searchAttributes(req.searchAttributes) } : {}),
      } as Parameters<Service['createSchedule']>[0]),
    );
  }

  private async describeRaw(scheduleId: string): Promise<DescribeResponse | undefined> {
    try {
      return await this.call(`describe schedule ${scheduleId}`, (s) => s.describeSchedule({ namespace: this.namespace, scheduleId }));
    } catch (err) {
      if (err instanceof TemporalError && err.kind === 'not-found') return undefined;
      throw err;
    }
  }

  async describeSchedule(scheduleId: string): Promise<ScheduleDescription | undefined> {
    const r = await this.describeRaw(scheduleId);
    return r === undefined ? undefined : descriptionOf(scheduleId, r);
  }

  async listSchedules(req: ListSchedulesRequest): Promise<SchedulePage> {
    let nextPageToken: Uint8Array | undefined;
    if (req.pageToken !== undefined) {
      try {
        nextPageToken = base64ToBytes(req.pageToken);
      } catch (err) {
        throw new TemporalError('invalid-argument', 'list schedules: the page token is not base64url', { cause: err });
      }
      if (nextPageToken.length === 0) throw new TemporalError('invalid-argument', 'list schedules: empty page token');
    }
    const res = await this.call(`list schedules (${req.query})`, (s) =>
      s.listSchedules({ namespace: this.namespace, maximumPageSize: req.pageSize, query: req.query, ...(nextPageToken ? { nextPageToken } : {}) }),
    );
    const token = res.nextPageToken;
    return {
      schedules: (res.schedules ?? []).map((x) => ({
        scheduleId: x.scheduleId ?? '',
        paused: x.info?.paused === true,
        note: x.info?.notes || undefined,
        nextActionTimes: (x.info?.futureActionTimes ?? []).map((t) => dateOf(t) as Date),
      })),
      nextPageToken: token && token.length > 0 ? base64url(token) : null,
    };
  }

  async updateSchedule(req: UpdateScheduleRequest): Promise<void> {
    let action: unknown;
    if (req.action) action = actionOf(req.action);
    else {
      // Without a new action, the current one goes back exactly as Temporal holds it.
      const current = await this.describeRaw(req.scheduleId);
      if (current === undefined) throw new TemporalError('not-found', `update schedule ${req.scheduleId}: no such schedule`);
      action = current.schedule?.action;
    }
    await this.call(`update schedule ${req.scheduleId}`, (s) =>
      s.updateSchedule({
        namespace: this.namespace,
        scheduleId: req.scheduleId,
        requestId: crypto.randomUUID(),
        schedule: { spec: specOf(req.spec), action, policies: policiesOf(req.policies), state: stateOf(req.state) },
      } as Parameters<Service['updateSchedule']>[0]),
    );
  }

  async patchSchedule(scheduleId: string, patch: SchedulePatch): Promise<void> {
    await this.call(`patch schedule ${scheduleId}`, (s) =>
      s.patchSchedule({
        namespace: this.namespace,
        scheduleId,
        requestId: crypto.randomUUID(),
        patch: {
          ...(patch.pause !== undefined ? { pause: patch.pause } : {}),
          ...(patch.unpause !== undefined ? { unpause: patch.unpause } : {}),
          ...(patch.trigger ? { triggerImmediately: { overlapPolicy: overlapNumber(patch.trigger.overlap) } } : {}),
          ...(patch.backfill
            ? {
                backfillRequest: patch.backfill.map((b) => ({
                  startTime: durationOf(b.start.getTime()),
                  endTime: durationOf(b.end.getTime()),
                  overlapPolicy: overlapNumber(b.overlap),
                })),
              }
            : {}),
        },
      } as Parameters<Service['patchSchedule']>[0]),
    );
  }

  async listScheduleMatchingTimes(scheduleId: string, start: Date, end: Date): Promise<Date[]> {
    const res = await this.call(`list matching times of schedule ${scheduleId}`, (s) =>
      s.listScheduleMatchingTimes({
        namespace: this.namespace,
        scheduleId,
        startTime: durationOf(start.getTime()),
        endTime: durationOf(end.getTime()),
      } as Parameters<Service['listScheduleMatchingTimes']>[0]),
    );
    return (res.startTime ?? []).map((t) => dateOf(t) as Date);
  }

  async deleteSchedule(scheduleId: string): Promise<void> {
    await this.call(`delete schedule ${scheduleId}`, (s) => s.deleteSchedule({ namespace: this.namespace, scheduleId }));
  }
}
