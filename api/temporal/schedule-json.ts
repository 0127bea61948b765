// Temporal's Schedule messages in canonical proto JSON (the HTTP API) to and
// from the neutral model of access.ts. Edge-safe: no Node built-ins.
import {
  emptyCalendar,
  type ScheduleCalendar,
  type ScheduleDescription,
  type ScheduleOverlap,
  type ScheduleRange,
  type ScheduleSpecInput,
  type ScheduleStartAction,
  type SchedulePolicies,
  type ScheduleState,
  type SearchAttributeEntry,
} from './access.js';
import { decodeFields, decodePayload, encodePayload } from './payload-json.js';

/** google.protobuf.Duration in JSON: "3600s", "0.500s". */
export function durationJson(ms: number): string {
  return `${ms / 1000}s`;
}

export function durationMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(v);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

export const overlapJson = (o: ScheduleOverlap): string => `SCHEDULE_OVERLAP_POLICY_${o}`;

function overlapOf(v: unknown): ScheduleOverlap {
  const s = typeof v === 'string' ? v.replace(/^SCHEDULE_OVERLAP_POLICY_/, '') : '';
  const known: readonly string[] = ['SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL'];
  // The server replaces UNSPECIFIED with the actual policy on describe; SKIP is its default.
  return known.includes(s) ? (s as ScheduleOverlap) : 'SKIP';
}

const dateOf = (v: unknown): Date | undefined => (typeof v === 'string' && v.length > 0 ? new Date(v) : undefined);
const num = (v: unknown): number => (v === undefined || v === null ? 0 : Number(v));

function rangesOf(v: unknown): ScheduleRange[] {
  return (Array.isArray(v) ? v : []).map((r: { start?: unknown; end?: unknown; step?: unknown }) => ({ start: num(r.start), end: num(r.end), step: num(r.step) }));
}

function calendarOf(c: Record<string, unknown>): ScheduleCalendar {
  const out = emptyCalendar();
  for (const k of ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'year', 'dayOfWeek'] as const) out[k] = rangesOf(c[k]);
  out.comment = typeof c.comment === 'string' ? c.comment : '';
  return out;
}

export function searchAttributesJson(entries: SearchAttributeEntry[]): { indexedFields: Record<string, unknown> } {
  return { indexedFields: Object.fromEntries(entries.map((s) => [s.name, encodePayload(s.value, s.type)])) };
}

export function specJson(s: ScheduleSpecInput): Record<string, unknown> {
  return {
    ...(s.calendars?.length ? { structuredCalendar: s.calendars } : {}),
    cronString: s.cronStrings,
    interval: s.intervals.map((i) => ({ interval: durationJson(i.everyMs), phase: durationJson(i.offsetMs) })),
    timezoneName: s.timezone,
    ...(s.startAt ? { startTime: s.startAt.toISOString() } : {}),
    ...(s.endAt ? { endTime: s.endAt.toISOString() } : {}),
    ...(s.jitterMs !== undefined ? { jitter: durationJson(s.jitterMs) } : {}),
  };
}

/** The start-workflow action, encoded as the SDK's ScheduleClient does (json/plain payloads, typed search attributes). */
export function actionJson(a: ScheduleStartAction): Record<string, unknown> {
  return {
    startWorkflow: {
      workflowId: a.workflowId,
      workflowType: { name: a.workflowType },
      taskQueue: { name: a.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: { payloads: a.args.map((x) => encodePayload(x)) },
      ...(a.memo ? { memo: { fields: Object.fromEntries(Object.entries(a.memo).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encodePayload(v)])) } } : {}),
      ...(a.searchAttributes?.length ? { searchAttributes: searchAttributesJson(a.searchAttributes) } : {}),
    },
  };
}

export function policiesJson(p: SchedulePolicies): Record<string, unknown> {
  return {
    overlapPolicy: overlapJson(p.overlap),
    ...(p.catchupWindowMs !== undefined ? { catchupWindow: durationJson(p.catchupWindowMs) } : {}),
    pauseOnFailure: p.pauseOnFailure,
  };
}

export function stateJson(s: ScheduleState): Record<string, unknown> {
  return {
    paused: s.paused,
    ...(s.note !== undefined ? { notes: s.note } : {}),
    limitedActions: s.remainingActions !== undefined,
    ...(s.remainingActions !== undefined ? { remainingActions: String(s.remainingActions) } : {}),
  };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** DescribeScheduleResponse → ScheduleDescription. */
export function scheduleDescriptionOf(scheduleId: string, body: unknown): ScheduleDescription {
  const r = obj(body);
  const schedule = obj(r.schedule);
  const spec = obj(schedule.spec);
  const sw = obj(obj(schedule.action).startWorkflow);
  const policies = obj(schedule.policies);
  const state = obj(schedule.state);
  const info = obj(r.info);
  return {
    scheduleId,
    spec: {
      calendars: arr(spec.structuredCalendar).map((c) => calendarOf(obj(c))),
      intervals: arr(spec.interval).map((i) => ({ everyMs: durationMs(obj(i).interval) ?? 0, offsetMs: durationMs(obj(i).phase) ?? 0 })),
      timezone: typeof spec.timezoneName === 'string' && spec.timezoneName ? spec.timezoneName : 'UTC',
      startAt: dateOf(spec.startTime),
      endAt: dateOf(spec.endTime),
      jitterMs: durationMs(spec.jitter) || undefined,
    },
    action: {
      workflowId: String(sw.workflowId ?? ''),
      workflowType: String(obj(sw.workflowType).name ?? ''),
      taskQueue: String(obj(sw.taskQueue).name ?? ''),
      args: arr(obj(sw.input).payloads).map(decodePayload),
      memo: decodeFields(obj(obj(sw.memo).fields)),
      searchAttributes: decodeFields(obj(obj(sw.searchAttributes).indexedFields)),
    },
    policies: {
      overlap: overlapOf(policies.overlapPolicy),
      catchupWindowMs: durationMs(policies.catchupWindow) ?? 60_000,
      pauseOnFailure: policies.pauseOnFailure === true,
    },
    state: {
      paused: state.paused === true,
      note: typeof state.notes === 'string' && state.notes ? state.notes : undefined,
      remainingActions: state.limitedActions === true ? num(state.remainingActions) : undefined,
    },
    info: {
      numActionsTaken: num(info.actionCount),
      numActionsMissedCatchupWindow: num(info.missedCatchupWindow),
      numActionsSkippedOverlap: num(info.overlapSkipped),
      runningWorkflowIds: arr(info.runningWorkflows).map((w) => String(obj(w).workflowId ?? '')),
      recentActions: arr(info.recentActions).map((a) => ({
        scheduledAt: dateOf(obj(a).scheduleTime) ?? new Date(0),
        takenAt: dateOf(obj(a).actualTime) ?? new Date(0),
        workflowId: String(obj(obj(a).startWorkflowResult).workflowId ?? ''),
      })),
      nextActionTimes: arr(info.futureActionTimes).flatMap((t) => dateOf(t) ?? []),
      createdAt: dateOf(info.createTime) ?? new Date(0),
      lastUpdatedAt: dateOf(info.updateTime),
    },
  };
}
