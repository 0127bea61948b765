// The API's access to Temporal Schedules: a mesoflow schedule is a Temporal
// Schedule (so it shows on the Temporal Web UI's Schedules page) whose action
// starts a job or batch workflow exactly as POST /v1/jobs or /v1/batches
// does (workflows/job-start.ts), so its runs are ordinary jobs and batches.
// Temporal names each run `<schedule id>-<nominal time>`. Temporal is reached
// through TemporalAccess (gRPC on Node, HTTP at the edge): no Node built-ins.
import type { JobSpec } from '../workflows/job-spec.js';
import { batchStartOptions, jobStartOptions } from '../workflows/job-start.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { frameworkKey } from '../workflows/search-attribute-keys.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { searchAttributeEntries } from './job-service.js';
import { base64ToBytes, base64url } from './temporal/payload-json.js';
import {
  TemporalError,
  type ScheduleDescription,
  type ScheduleOverlap,
  type ScheduleSpecInput,
  type ScheduleStartAction,
  type TemporalAccess,
} from './temporal/access.js';
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
  temporal: TemporalAccess;
  frameworkName: string;
  taskQueue: string;
  tuning?: Partial<JobTuning>;
}

/** Temporal keeps the cron text only as parsed calendars; the text rides along as the calendar's comment. */
const CRON_COMMENT = 'cron: ';

export const toTemporalOverlap = (p: OverlapPolicy): ScheduleOverlap => p.toUpperCase().replace('-', '_') as ScheduleOverlap;
export const fromTemporalOverlap = (p: ScheduleOverlap | undefined): OverlapPolicy => (p ?? 'SKIP').toLowerCase().replace('_', '-') as OverlapPolicy;

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
  private readonly temporal: TemporalAccess;
  /** One backfill at a time per schedule in this process, so two identical requests cannot both find a slot missing. */
  private readonly backfills = new Map<string, Promise<unknown>>();

  constructor(readonly options: ScheduleServiceOptions) {
    this.temporal = options.temporal;
  }

  /**
   * The start-workflow action: the same workflow type, input, memo and search
   * attributes as POST /v1/jobs or /v1/batches, so a scheduled run is an
   * ordinary job or batch. Temporal appends the nominal time to the id.
   */
  private actionFor(scheduleId: string, action: ScheduleAction): ScheduleStartAction {
    const common = { frameworkName: this.options.frameworkName, taskQueue: this.options.taskQueue, tuning: this.options.tuning };
    const o = action.batch ? batchStartOptions({ batchId: scheduleId, spec: action.batch, ...common }) : jobStartOptions({ jobId: scheduleId, spec: action.job as JobSpec, ...common });
    // Temporal refuses a reuse policy on a schedule's action (it always allows duplicates; see backfill()).
    const { workflowIdReusePolicy: _reuse, typedSearchAttributes, ...start } = o;
    void _reuse;
    return { ...start, memo: { ...start.memo, scheduleId }, searchAttributes: searchAttributeEntries(typedSearchAttributes) };
  }

  private specFor(r: Pick<CreateScheduleRequest, 'cron' | 'intervals' | 'timeZone' | 'startAt' | 'endAt' | 'jitter'>): ScheduleSpecInput {
    return {
      // "#" starts the comment Temporal keeps with the parsed calendar (cron-expression.ts refuses "#" in the expression itself).
      cronStrings: (r.cron ?? []).map((c) => `${c.trim()} #${CRON_COMMENT}${c.trim()}`),
      intervals: (r.intervals ?? []).map((i) => ({ everyMs: i.every, offsetMs: i.offset ?? 0 })),
      timezone: r.timeZone ?? 'UTC',
      startAt: r.startAt,
      endAt: r.endAt,
      jitterMs: r.jitter,
    };
  }

  async create(r: CreateScheduleRequest): Promise<ScheduleDescription> {
    try {
      await this.temporal.createSchedule({
        scheduleId: r.id,
        spec: this.specFor(r),
        action: this.actionFor(r.id, r.action),
        policies: { overlap: toTemporalOverlap(r.overlap ?? 'skip'), catchupWindowMs: r.catchupWindow, pauseOnFailure: r.pauseOnFailure ?? false },
        searchAttributes: [{ name: frameworkKey.name, type: 'Keyword', value: this.options.frameworkName }],
        state: { paused: r.paused ?? false, note: r.note, remainingActions: r.maxRuns },
      });
    } catch (err) {
      if (err instanceof TemporalError && err.kind === 'already-exists') throw problems.conflict(`a schedule with id ${r.id} exists`);
      throw asSpecProblem(err, `creating schedule ${r.id}`);
    }
    return this.describe(r.id);
  }

  async describe(id: string): Promise<ScheduleDescription> {
    const d = await this.temporal.describeSchedule(id);
    if (d === undefined) throw problems.notFound(`no schedule with id ${id}`);
    return d;
  }

  async list(limit: number, cursor: string | undefined): Promise<{ ids: Array<{ id: string; paused: boolean; note: string | null; nextRuns: Date[] }>; nextCursor: string | null }> {
    const query = `${frameworkKey.name} = '${this.options.frameworkName.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const invalidCursor = () => problems.invalid('cursor is not one this API returned', [{ path: 'cursor', message: 'invalid cursor' }]);
    let pageToken: string | undefined;
    // A cursor is checked against the query it was handed out for (api/cursor.ts), so a made-up
    // one never reaches Temporal (which took 19 s to answer one with "2 UNKNOWN"); an empty one is the first page.
    if (cursor) {
      const token = decodeCursor(cursor, `schedules|${query}`);
      if (token === undefined) throw invalidCursor();
      pageToken = base64url(token);
    }
    const res = await this.temporal.listSchedules({ query, pageSize: limit, ...(pageToken !== undefined ? { pageToken } : {}) }).catch((err: unknown) => {
      // Our own token refused (one from before a server restart, say): the cursor's fault, unless Temporal is unreachable (a 503).
      if (pageToken !== undefined && err instanceof TemporalError && err.kind !== 'unavailable' && err.kind !== 'timeout') throw invalidCursor();
      throw err;
    });
    const ids = res.schedules.map((s) => ({ id: s.scheduleId, paused: s.paused, note: s.note ?? null, nextRuns: s.nextActionTimes }));
    return { ids, nextCursor: res.nextPageToken ? encodeCursor(base64ToBytes(res.nextPageToken), `schedules|${query}`) : null };
  }

  /** Pause/unpause alone keeps the rest untouched; any other change rewrites spec, action and policies from the current ones. */
  async update(id: string, u: UpdateScheduleRequest): Promise<ScheduleDescription> {
    const current = await this.describe(id);
    const onlyState = Object.keys(u).every((k) => k === 'paused' || k === 'note');
    if (onlyState) {
      if (u.paused === true) await this.temporal.patchSchedule(id, { pause: u.note ?? 'paused through the mesoflow API' });
      else if (u.paused === false) await this.temporal.patchSchedule(id, { unpause: u.note ?? 'unpaused through the mesoflow API' });
      else if (u.note !== undefined) {
        // A note without a state change: Temporal only sets notes with pause/unpause, so repeat the current state.
        await this.temporal.patchSchedule(id, current.state.paused ? { pause: u.note } : { unpause: u.note });
      }
      return this.describe(id);
    }
    const prevCron = cronOf(current);
    const merged = {
      cron: u.cron ?? prevCron,
      intervals: u.intervals ?? current.spec.intervals.map((i) => ({ every: i.everyMs, offset: i.offsetMs })),
      timeZone: u.timeZone ?? current.spec.timezone,
      startAt: u.startAt ?? current.spec.startAt,
      endAt: u.endAt ?? current.spec.endAt,
      jitter: u.jitter ?? current.spec.jitterMs,
    };
    const issues = specIssues(merged);
    if (issues.length > 0) throw problems.invalid('the schedule would not be valid', issues);
    // Calendars that did not come from a cron text (added in the Web UI, say) are kept as they are.
    const uncommented = current.spec.calendars.filter((c) => !c.comment.startsWith(CRON_COMMENT));
    const spec: ScheduleSpecInput = { ...this.specFor(merged), ...(uncommented.length > 0 && u.cron === undefined ? { calendars: uncommented } : {}) };
    const note = u.note ?? current.state.note;
    try {
      await this.temporal.updateSchedule({
        scheduleId: id,
        spec,
        // Undefined: the current action stays exactly as it is.
        action: u.action ? this.actionFor(id, u.action) : undefined,
        policies: {
          overlap: u.overlap ? toTemporalOverlap(u.overlap) : current.policies.overlap,
          catchupWindowMs: u.catchupWindow ?? current.policies.catchupWindowMs,
          pauseOnFailure: u.pauseOnFailure ?? current.policies.pauseOnFailure,
        },
        state: {
          paused: u.paused ?? current.state.paused,
          note,
          remainingActions: u.maxRuns === null ? undefined : (u.maxRuns ?? current.state.remainingActions),
        },
      });
    } catch (err) {
      if (err instanceof TemporalError && err.kind === 'not-found') throw problems.notFound(`no schedule with id ${id}`);
      throw asSpecProblem(err, `updating schedule ${id}`);
    }
    return this.describe(id);
  }

  async trigger(id: string, overlap: OverlapPolicy | undefined): Promise<void> {
    await this.describe(id);
    // Temporal's default for a manual trigger is allow-all: "run now" runs now.
    await this.temporal.patchSchedule(id, { trigger: { overlap: toTemporalOverlap(overlap ?? 'allow-all') } });
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
    const prefix = current.action.workflowId || id;
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
      const overlap = toTemporalOverlap(r.overlap ?? 'allow-all');
      await this.temporal.patchSchedule(id, { backfill: missing.map((s) => ({ start: new Date(s.getTime() - 500), end: s, overlap })) });
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
    const times = await this.temporal.listScheduleMatchingTimes(id, new Date(start.getTime() - 1000), end);
    return times.filter((d) => d.getTime() >= start.getTime() && d.getTime() <= end.getTime());
  }

  async delete(id: string): Promise<void> {
    try {
      await this.temporal.deleteSchedule(id);
    } catch (err) {
      if (err instanceof TemporalError && err.kind === 'not-found') throw problems.notFound(`no schedule with id ${id}`);
      throw err;
    }
  }

  async workflowType(workflowId: string): Promise<{ type: string; status: string } | undefined> {
    const d = await this.temporal.describeWorkflow(workflowId);
    return d === undefined ? undefined : { type: d.type, status: d.status };
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
  return d.spec.calendars.flatMap((c) => (c.comment.startsWith(CRON_COMMENT) ? [c.comment.slice(CRON_COMMENT.length)] : []));
}

/** Temporal refusing a spec (INVALID_ARGUMENT) is the client's mistake: a 400 naming the field it concerns. */
function asSpecProblem(err: unknown, doing: string): unknown {
  if (err instanceof TemporalError && err.kind === 'invalid-argument') {
    // The message is "<what>: <Temporal's words>"; the words say what was wrong.
    const msg = err.message.replace(/^[^:]*: (HTTP \d+: )?/, '');
    return problems.invalid(`Temporal refused the schedule while ${doing}: ${msg}`, [{ path: /time ?zone|location/i.test(msg) ? 'timeZone' : 'cron', message: msg }]);
  }
  return err;
}
