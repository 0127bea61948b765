// The API's access to Temporal Schedules: a mesoflow schedule is a Temporal
// Schedule (so it shows on the Temporal Web UI's Schedules page) whose action
// starts a job or batch workflow exactly as POST /v1/jobs or /v1/batches
// does (workflows/job-start.ts), so its runs are ordinary jobs and batches.
// Temporal names each run `<schedule id>-<nominal time>`.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsAction,
  type ScheduleOverlapPolicy,
  type ScheduleSpec,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { msToTimestamp, timestampToDate } from './proto-time.js';
import type { JobSpec } from '../workflows/job-spec.js';
import { batchStartOptions, jobStartOptions } from '../workflows/job-start.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { frameworkKey } from '../workflows/search-attribute-keys.js';
import { problems } from './problem.js';
import {
  MAX_BACKFILL_SLOTS,
  specIssues,
  type BackfillRequest,
  type CreateScheduleRequest,
  type OverlapPolicy,
  type ScheduleAction,
  type UpdateScheduleRequest,
} from './schedule-schemas.js';

export interface ScheduleServiceOptions {
  client: Client;
  namespace: string;
  frameworkName: string;
  taskQueue: string;
  tuning?: Partial<JobTuning>;
}

/** Temporal keeps the cron text only as parsed calendars; the text rides along as the calendar's comment. */
const CRON_COMMENT = 'cron: ';

export const toTemporalOverlap = (p: OverlapPolicy): ScheduleOverlapPolicy => p.toUpperCase().replace('-', '_') as ScheduleOverlapPolicy;
export const fromTemporalOverlap = (p: ScheduleOverlapPolicy | undefined): OverlapPolicy => (p ?? 'SKIP').toLowerCase().replace('_', '-') as OverlapPolicy;

/** The workflow id Temporal gives the run of `slot`: the action's id, a dash, the nominal time in RFC 3339 to the second. */
export function runIdFor(actionWorkflowId: string, slot: Date): string {
  return `${actionWorkflowId}-${slot.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

export interface BackfillResult {
  slots: string[];
  started: string[];
  alreadyRun: string[];
}

export class ScheduleService {
  private readonly client: Client;
  /** One backfill at a time per schedule in this process, so two identical requests cannot both find a slot missing. */
  private readonly backfills = new Map<string, Promise<unknown>>();

  constructor(readonly options: ScheduleServiceOptions) {
    this.client = options.client;
  }

  /**
   * The start-workflow action: the same workflow type, input, memo and search
   * attributes as POST /v1/jobs or /v1/batches, so a scheduled run is an
   * ordinary job or batch. Temporal appends the nominal time to the id.
   */
  private actionFor(scheduleId: string, action: ScheduleAction): ScheduleOptionsAction {
    const common = { frameworkName: this.options.frameworkName, taskQueue: this.options.taskQueue, tuning: this.options.tuning };
    const o = action.batch ? batchStartOptions({ batchId: scheduleId, spec: action.batch, ...common }) : jobStartOptions({ jobId: scheduleId, spec: action.job as JobSpec, ...common });
    // Temporal refuses a reuse policy on a schedule's action (it always allows duplicates; see backfill()).
    const { workflowIdReusePolicy: _reuse, ...start } = o;
    void _reuse;
    return { type: 'startWorkflow', ...start, memo: { ...start.memo, scheduleId } };
  }

  private specFor(r: Pick<CreateScheduleRequest, 'cron' | 'intervals' | 'timeZone' | 'startAt' | 'endAt' | 'jitter'>): ScheduleSpec {
    return {
      // "#" starts the comment Temporal keeps with the parsed calendar (cron-expression.ts refuses "#" in the expression itself).
      cronExpressions: (r.cron ?? []).map((c) => `${c.trim()} #${CRON_COMMENT}${c.trim()}`),
      intervals: (r.intervals ?? []).map((i) => ({ every: i.every, offset: i.offset ?? 0 })),
      timezone: r.timeZone ?? 'UTC',
      ...(r.startAt ? { startAt: r.startAt } : {}),
      ...(r.endAt ? { endAt: r.endAt } : {}),
      ...(r.jitter !== undefined ? { jitter: r.jitter } : {}),
    };
  }

  async create(r: CreateScheduleRequest): Promise<ScheduleDescription> {
    try {
      await this.client.schedule.create({
        scheduleId: r.id,
        spec: this.specFor(r),
        action: this.actionFor(r.id, r.action),
        policies: {
          overlap: toTemporalOverlap(r.overlap ?? 'skip'),
          ...(r.catchupWindow !== undefined ? { catchupWindow: r.catchupWindow } : {}),
          pauseOnFailure: r.pauseOnFailure ?? false,
        },
        typedSearchAttributes: [{ key: frameworkKey, value: this.options.frameworkName }],
        state: {
          paused: r.paused ?? false,
          ...(r.note !== undefined ? { note: r.note } : {}),
          ...(r.maxRuns !== undefined ? { remainingActions: r.maxRuns } : {}),
        },
      });
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) throw problems.conflict(`a schedule with id ${r.id} exists`);
      throw asSpecProblem(err, `creating schedule ${r.id}`);
    }
    return this.describe(r.id);
  }

  async describe(id: string): Promise<ScheduleDescription> {
    try {
      return await this.client.schedule.getHandle(id).describe();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw problems.notFound(`no schedule with id ${id}`);
      throw err;
    }
  }

  async list(limit: number, cursor: string | undefined): Promise<{ ids: Array<{ id: string; paused: boolean; note: string | null; nextRuns: Date[] }>; nextCursor: string | null }> {
    let nextPageToken: Uint8Array | undefined;
    if (cursor !== undefined) {
      nextPageToken = Buffer.from(cursor, 'base64url');
      if (nextPageToken.length === 0) throw problems.invalid('cursor is not one this API returned', [{ path: 'cursor', message: 'invalid cursor' }]);
    }
    const res = await this.client.workflowService
      .listSchedules({
        namespace: this.options.namespace,
        maximumPageSize: limit,
        query: `${frameworkKey.name} = '${this.options.frameworkName.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
        ...(nextPageToken ? { nextPageToken } : {}),
      })
      .catch((err: unknown) => {
        if (cursor !== undefined && /token|cursor|invalid/i.test(String((err as Error).message))) {
          throw problems.invalid('cursor is not one this API returned', [{ path: 'cursor', message: 'invalid cursor' }]);
        }
        throw err;
      });
    const ids = (res.schedules ?? []).map((s) => ({
      id: s.scheduleId ?? '',
      paused: s.info?.paused ?? false,
      note: s.info?.notes || null,
      nextRuns: (s.info?.futureActionTimes ?? []).map((t) => timestampToDate(t) as Date),
    }));
    const token = res.nextPageToken;
    return { ids, nextCursor: token && token.length > 0 ? Buffer.from(token).toString('base64url') : null };
  }

  /** Pause/unpause alone keeps the rest untouched; any other change rewrites spec, action and policies from the current ones. */
  async update(id: string, u: UpdateScheduleRequest): Promise<ScheduleDescription> {
    const handle = this.client.schedule.getHandle(id);
    const current = await this.describe(id);
    const onlyState = Object.keys(u).every((k) => k === 'paused' || k === 'note');
    if (onlyState) {
      if (u.paused === true) await handle.pause(u.note ?? 'paused through the mesoflow API');
      else if (u.paused === false) await handle.unpause(u.note ?? 'unpaused through the mesoflow API');
      else if (u.note !== undefined) {
        // A note without a state change: Temporal only sets notes with pause/unpause, so repeat the current state.
        if (current.state.paused) await handle.pause(u.note);
        else await handle.unpause(u.note);
      }
      return this.describe(id);
    }
    const prevCron = cronOf(current);
    const merged = {
      cron: u.cron ?? prevCron,
      intervals: u.intervals ?? (current.spec.intervals ?? []).map((i) => ({ every: i.every, offset: i.offset })),
      timeZone: u.timeZone ?? current.spec.timezone ?? 'UTC',
      startAt: u.startAt ?? current.spec.startAt,
      endAt: u.endAt ?? current.spec.endAt,
      jitter: u.jitter ?? current.spec.jitter,
    };
    const issues = specIssues(merged);
    if (issues.length > 0) throw problems.invalid('the schedule would not be valid', issues);
    const uncommented = (current.spec.calendars ?? []).filter((c) => !c.comment?.startsWith(CRON_COMMENT));
    const spec: ScheduleSpec = { ...this.specFor(merged), ...(uncommented.length > 0 && u.cron === undefined ? { calendars: uncommented } : {}) };
    const action = u.action ? this.actionFor(id, u.action) : undefined;
    try {
      await handle.update((prev) => {
        const next: ScheduleUpdateOptions = {
          spec,
          action: action ?? (prev.action as ScheduleOptionsAction),
          policies: {
            overlap: u.overlap ? toTemporalOverlap(u.overlap) : prev.policies.overlap,
            catchupWindow: u.catchupWindow ?? prev.policies.catchupWindow,
            pauseOnFailure: u.pauseOnFailure ?? prev.policies.pauseOnFailure,
          },
          typedSearchAttributes: prev.typedSearchAttributes,
          state: {
            paused: u.paused ?? prev.state.paused,
            ...((u.note ?? prev.state.note) !== undefined ? { note: u.note ?? prev.state.note } : {}),
            ...(u.maxRuns === null ? {} : (u.maxRuns ?? prev.state.remainingActions) !== undefined ? { remainingActions: u.maxRuns ?? prev.state.remainingActions } : {}),
          },
        };
        return next;
      });
    } catch (err) {
      throw asSpecProblem(err, `updating schedule ${id}`);
    }
    return this.describe(id);
  }

  async trigger(id: string, overlap: OverlapPolicy | undefined): Promise<void> {
    await this.describe(id);
    // Temporal's default for a manual trigger is allow-all: "run now" runs now.
    await this.client.schedule.getHandle(id).trigger(toTemporalOverlap(overlap ?? 'allow-all'));
  }

  /**
   * One run per slot of the range. Temporal itself would start a slot again
   * once its earlier run has closed (it starts schedule runs with
   * ALLOW_DUPLICATE and refuses any other reuse policy), so the slots whose
   * run already exists are left out, and the call returns only once the runs
   * it asked for exist, so that a repeated backfill finds them.
   */
  async backfill(id: string, r: BackfillRequest): Promise<BackfillResult> {
    const prev = this.backfills.get(id) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(() => this.backfillNow(id, r));
    this.backfills.set(id, run);
    try {
      return await run;
    } finally {
      if (this.backfills.get(id) === run) this.backfills.delete(id);
    }
  }

  private async backfillNow(id: string, r: BackfillRequest): Promise<BackfillResult> {
    const current = await this.describe(id);
    const prefix = current.action.workflowId ?? id;
    const slots = await this.matchingTimes(id, r.start, r.end);
    if (slots.length > MAX_BACKFILL_SLOTS) {
      throw problems.invalid(`the range holds ${slots.length} runs; a backfill starts at most ${MAX_BACKFILL_SLOTS}`, [
        { path: 'end', message: `the range holds ${slots.length} runs; at most ${MAX_BACKFILL_SLOTS} per backfill` },
      ]);
    }
    const exists = await Promise.all(slots.map((s) => this.workflowExists(runIdFor(prefix, s))));
    const missing = slots.filter((_, i) => !exists[i]);
    if (missing.length > 0) {
      // One backfill range per slot, just wide enough to hold it (slots are whole seconds apart).
      await this.client.schedule.getHandle(id).backfill(
        missing.map((s) => ({ start: new Date(s.getTime() - 500), end: s, overlap: toTemporalOverlap(r.overlap ?? 'allow-all') })),
      );
      await this.awaitRuns(
        missing.map((s) => runIdFor(prefix, s)),
        r.overlap === undefined || r.overlap === 'allow-all' ? 15_000 : 0,
      );
    }
    const iso = (d: Date) => d.toISOString();
    return { slots: slots.map(iso), started: missing.map(iso), alreadyRun: slots.filter((_, i) => exists[i]).map(iso) };
  }

  /** Nominal times of the schedule's slots in [start, end], computed by Temporal (time zone and DST included). */
  async matchingTimes(id: string, start: Date, end: Date): Promise<Date[]> {
    // Temporal lists the times after startTime: begin one second early so that a slot at `start` itself counts.
    const res = await this.client.workflowService.listScheduleMatchingTimes({
      namespace: this.options.namespace,
      scheduleId: id,
      startTime: msToTimestamp(start.getTime() - 1000),
      endTime: msToTimestamp(end.getTime()),
    });
    return (res.startTime ?? [])
      .map((t) => timestampToDate(t) as Date)
      .filter((d) => d.getTime() >= start.getTime() && d.getTime() <= end.getTime());
  }

  async delete(id: string): Promise<void> {
    try {
      await this.client.schedule.getHandle(id).delete();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw problems.notFound(`no schedule with id ${id}`);
      throw err;
    }
  }

  async workflowType(workflowId: string): Promise<{ type: string; status: string } | undefined> {
    try {
      const d = await this.client.workflow.getHandle(workflowId).describe();
      return { type: d.type, status: d.status.name };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  private async workflowExists(workflowId: string): Promise<boolean> {
    return (await this.workflowType(workflowId)) !== undefined;
  }

  private async awaitRuns(ids: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let pending = ids;
    while (pending.length > 0 && Date.now() < deadline) {
      const exists = await Promise.all(pending.map((w) => this.workflowExists(w)));
      pending = pending.filter((_, i) => !exists[i]);
      if (pending.length > 0) await new Promise((res) => setTimeout(res, 200));
    }
  }
}

/** The cron texts a schedule was given (kept as its calendars' comments). */
export function cronOf(d: Pick<ScheduleDescription, 'spec'>): string[] {
  return (d.spec.calendars ?? []).flatMap((c) => (c.comment?.startsWith(CRON_COMMENT) ? [c.comment.slice(CRON_COMMENT.length)] : []));
}

/** Temporal refusing a spec (the SDK turns that into a TypeError) is the client's mistake: a 400. */
function asSpecProblem(err: unknown, doing: string): unknown {
  const cause = (err as { cause?: { code?: unknown; details?: unknown } } | undefined)?.cause;
  if (err instanceof TypeError || cause?.code === 3) {
    const msg = typeof cause?.details === 'string' ? cause.details : String((err as Error).message);
    return problems.invalid(`Temporal refused the schedule while ${doing}: ${msg}`, [{ path: /time ?zone|location/i.test(msg) ? 'timeZone' : 'cron', message: msg }]);
  }
  return err;
}
