// A Temporal schedule's description (TemporalAccess's neutral model) as the API shows it. Pure except for the
// run statuses, which the caller looks up and passes in.
import type { ScheduleDescription } from './temporal/access.js';
import { BATCH_WORKFLOW_TYPE } from '../workflows/job-start.js';
import { cronOf, fromTemporalOverlap } from './schedule-service.js';
import { formatDuration, type ApiSchedule } from './schedule-schemas.js';

export interface RunFacts {
  kind: 'job' | 'batch';
  status: string;
}

export interface ScheduleViewOptions {
  temporalUiUrl?: string | undefined;
  namespace: string;
  /** Per run workflow id: what it is and how it stands (looked up by the route). */
  runs: Map<string, RunFacts>;
}

/** How many upcoming run times a schedule shows. */
export const NEXT_RUNS_SHOWN = 5;

export function scheduleLink(id: string): string {
  return `/v1/schedules/${encodeURIComponent(id)}`;
}

export function temporalScheduleUrl(base: string | undefined, namespace: string, id: string): string | null {
  return base ? `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/schedules/${encodeURIComponent(id)}` : null;
}

export function actionOf(d: Pick<ScheduleDescription, 'action'>): ApiSchedule['action'] {
  // Both workflow inputs carry the validated spec (JobWorkflowInput, BatchWorkflowInput).
  const spec = (d.action.args?.[0] as { spec?: Record<string, unknown> } | undefined)?.spec;
  if (!spec) return {};
  return d.action.workflowType === BATCH_WORKFLOW_TYPE ? { batch: spec } : { job: spec };
}

/**
 * Upcoming run times. A paused schedule stops processing its slots, so
 * Temporal keeps showing the ones that were due when it paused: those that
 * have passed will never run and are left out.
 */
export function upcoming(times: Date[], now: Date): string[] {
  return times
    .filter((t) => t.getTime() >= now.getTime())
    .slice(0, NEXT_RUNS_SHOWN)
    .map((t) => t.toISOString());
}

export function scheduleView(d: ScheduleDescription, o: ScheduleViewOptions, now = new Date()): ApiSchedule {
  return {
    id: d.scheduleId,
    paused: d.state.paused,
    note: d.state.note || null,
    spec: {
      cron: cronOf(d),
      intervals: d.spec.intervals.map((i) => ({ every: formatDuration(i.everyMs), offset: formatDuration(i.offsetMs) })),
      timeZone: d.spec.timezone,
      startAt: d.spec.startAt?.toISOString() ?? null,
      endAt: d.spec.endAt?.toISOString() ?? null,
      jitter: d.spec.jitterMs ? formatDuration(d.spec.jitterMs) : null,
    },
    action: actionOf(d),
    overlap: fromTemporalOverlap(d.policies.overlap),
    catchupWindow: formatDuration(d.policies.catchupWindowMs),
    pauseOnFailure: d.policies.pauseOnFailure,
    remainingRuns: d.state.remainingActions ?? null,
    nextRuns: upcoming(d.info.nextActionTimes, now),
    recentRuns: d.info.recentActions.map((a) => {
      const id = a.workflowId;
      const f = o.runs.get(id);
      const kind = f?.kind ?? 'job';
      return {
        scheduledAt: a.scheduledAt.toISOString(),
        startedAt: a.takenAt.toISOString(),
        kind,
        id,
        status: f?.status ?? 'UNKNOWN',
        link: `/v1/${kind === 'job' ? 'jobs' : 'batches'}/${encodeURIComponent(id)}`,
      };
    }),
    running: d.info.runningWorkflowIds,
    counts: { started: d.info.numActionsTaken, skippedOverlap: d.info.numActionsSkippedOverlap, missedCatchupWindow: d.info.numActionsMissedCatchupWindow },
    createdAt: d.info.createdAt.toISOString(),
    updatedAt: d.info.lastUpdatedAt?.toISOString() ?? null,
    links: { self: scheduleLink(d.scheduleId), temporal: temporalScheduleUrl(o.temporalUiUrl, o.namespace, d.scheduleId) },
  };
}
