// Request and response shapes of /v1/schedules. Every rule a Temporal
// Schedule would otherwise break on later (a malformed cron, a time zone the
// server cannot load, an end before the start) is checked here, so the
// client gets a 400 naming the field instead of a 500 or a schedule that
// never fires.
import { z } from 'zod';
import { batchSpecSchema } from '../workflows/batch-spec.js';
import { jobSpecSchema } from '../workflows/job-spec.js';
import { cronProblem } from './cron-expression.js';

/** A backfill may start at most this many runs (documented in the README and OpenAPI). */
export const MAX_BACKFILL_SLOTS = 100;
/** …and cover at most this long a range, so that counting its slots stays cheap. */
export const MAX_BACKFILL_RANGE_MS = 366 * 24 * 3600_000;

export const OVERLAP_POLICIES = ['skip', 'buffer-one', 'buffer-all', 'cancel-other', 'terminate-other', 'allow-all'] as const;
export const overlapSchema = z.enum(OVERLAP_POLICIES).describe('What a run does when the previous one is still going');
export type OverlapPolicy = z.infer<typeof overlapSchema>;

/**
 * The schedule id. Temporal appends `-<nominal time, RFC 3339>` (21
 * characters) to form each run's workflow id, which must stay a valid job id.
 */
export const scheduleIdSchema = z
  .string()
  .min(1)
  .max(150)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only, starting with a letter or digit');

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "1h30m", "500ms" → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(ms|s|m|h|d))+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) ms += Number(m[1]) * (UNITS_MS[m[2] as string] as number);
  return ms;
}

/** Milliseconds → the shortest duration text parseDuration reads back. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const u of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNITS_MS[u] as number;
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${u}`;
    rest -= n * size;
  }
  return out;
}

export const durationSchema = z
  .string()
  .transform((s, ctx) => {
    const ms = parseDuration(s);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a duration such as "30s", "5m", "1h30m" or "2d"' });
      return z.NEVER;
    }
    return ms;
  })
  .describe('A duration: digits with a unit (ms, s, m, h, d), e.g. "90s" or "1h30m"');

const cronSchema = z
  .string()
  .max(200)
  .superRefine((s, ctx) => {
    const p = cronProblem(s);
    if (p !== undefined) ctx.addIssue({ code: 'custom', message: `invalid cron expression: ${p}` });
  })
  .describe('minute hour day-of-month month day-of-week [year], or second minute hour day-of-month month day-of-week year, or @daily etc.');

/** True when the runtime knows `tz` as an IANA zone (Temporal loads the same tz database names). */
export function isKnownTimeZone(tz: string): boolean {
  // Offsets like "+01:00" pass Intl on newer Node versions but are not zone names Temporal loads.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isKnownTimeZone, { message: 'unknown time zone: use an IANA name such as "Europe/Berlin" or "UTC"' })
  .describe('IANA time zone name the cron expressions are read in');

const instantSchema = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const intervalSchema = z.strictObject({
  every: durationSchema.refine((ms) => ms >= 1000 && ms % 1000 === 0, 'at least 1s, in whole seconds'),
  offset: durationSchema.refine((ms) => ms % 1000 === 0, 'whole seconds').optional(),
});

/** A scheduled run starts either one job or one batch; the spec is the one POST /v1/jobs (or /v1/batches) takes, without an id. */
export const scheduleActionSchema = z
  .strictObject({
    job: jobSpecSchema.optional(),
    batch: batchSpecSchema.optional(),
  })
  .refine((a) => (a.job === undefined) !== (a.batch === undefined), { message: 'give exactly one of {"job": {...}} and {"batch": {...}}' });
export type ScheduleAction = z.infer<typeof scheduleActionSchema>;

const specFields = {
  cron: z.array(cronSchema).max(20).optional(),
  intervals: z.array(intervalSchema).max(20).optional(),
  timeZone: timeZoneSchema.optional(),
  startAt: instantSchema.optional(),
  endAt: instantSchema.optional(),
  jitter: durationSchema.optional(),
};

const policyFields = {
  overlap: overlapSchema.optional(),
  /** Temporal's minimum is 10 s. */
  catchupWindow: durationSchema.refine((ms) => ms >= 10_000, 'at least 10s').optional(),
  pauseOnFailure: z.boolean().optional(),
};

interface SpecLike {
  cron?: string[] | undefined;
  intervals?: unknown[] | undefined;
  startAt?: Date | undefined;
  endAt?: Date | undefined;
}

/** Rules across fields, shared by create and (on the merged result) by update. */
export function specIssues(s: SpecLike): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  if ((s.cron?.length ?? 0) + (s.intervals?.length ?? 0) === 0) out.push({ path: 'cron', message: 'give at least one cron expression or interval' });
  if (s.startAt && s.endAt && s.endAt.getTime() <= s.startAt.getTime()) out.push({ path: 'endAt', message: 'endAt must be after startAt' });
  return out;
}

export const createScheduleRequestSchema = z
  .strictObject({
    id: scheduleIdSchema,
    ...specFields,
    action: scheduleActionSchema,
    ...policyFields,
    /** Stop after this many scheduled runs (manual triggers do not count). */
    maxRuns: z.int().min(1).optional(),
    paused: z.boolean().optional(),
    note: z.string().max(1000).optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.startAt !== undefined && !(r.startAt instanceof Date)) || (r.endAt !== undefined && !(r.endAt instanceof Date))) return;
    for (const i of specIssues(r)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
  });
export type CreateScheduleRequest = z.infer<typeof createScheduleRequestSchema>;

export const updateScheduleRequestSchema = z.strictObject({
  ...specFields,
  action: scheduleActionSchema.optional(),
  ...policyFields,
  maxRuns: z.int().min(1).nullable().optional(),
  paused: z.boolean().optional(),
  note: z.string().max(1000).optional(),
});
export type UpdateScheduleRequest = z.infer<typeof updateScheduleRequestSchema>;

export const triggerRequestSchema = z.strictObject({ overlap: overlapSchema.optional() });

export const backfillRequestSchema = z
  .strictObject({
    start: instantSchema,
    end: instantSchema,
    overlap: overlapSchema.optional(),
  })
  .superRefine((r, ctx) => {
    // Zod runs this even when a field failed (its issues do not abort): check only well-formed ranges.
    if (!(r.start instanceof Date) || !(r.end instanceof Date)) return;
    if (r.end.getTime() <= r.start.getTime()) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' });
    else if (r.end.getTime() > Date.now()) ctx.addIssue({ code: 'custom', path: ['end'], message: 'a backfill covers the past: end must not be in the future' });
    else if (r.end.getTime() - r.start.getTime() > MAX_BACKFILL_RANGE_MS) ctx.addIssue({ code: 'custom', path: ['start'], message: 'a backfill covers at most 366 days' });
  });
export type BackfillRequest = z.infer<typeof backfillRequestSchema>;

export const listSchedulesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: z.string().max(4096).optional(),
});

// ---- responses ----

export const scheduleRunSchema = z.object({
  /** The nominal time of the slot (before jitter); manual triggers: when asked. */
  scheduledAt: z.string(),
  startedAt: z.string(),
  kind: z.enum(['job', 'batch']),
  /** The job or batch id (the workflow id). */
  id: z.string(),
  /** The job's (or batch's) API status; UNKNOWN when it cannot be read. */
  status: z.string(),
  link: z.string(),
});

export const scheduleSchema = z.object({
  id: z.string(),
  paused: z.boolean(),
  note: z.string().nullable(),
  spec: z.object({
    cron: z.array(z.string()),
    intervals: z.array(z.object({ every: z.string(), offset: z.string() })),
    timeZone: z.string(),
    startAt: z.string().nullable(),
    endAt: z.string().nullable(),
    jitter: z.string().nullable(),
  }),
  action: z.object({ job: z.record(z.string(), z.unknown()).optional(), batch: z.record(z.string(), z.unknown()).optional() }),
  overlap: overlapSchema,
  catchupWindow: z.string(),
  pauseOnFailure: z.boolean(),
  /** Scheduled runs left before the schedule stops; null when unlimited. */
  remainingRuns: z.int().nullable(),
  nextRuns: z.array(z.string()),
  recentRuns: z.array(scheduleRunSchema),
  running: z.array(z.string()),
  counts: z.object({ started: z.int(), skippedOverlap: z.int(), missedCatchupWindow: z.int() }),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
  links: z.object({ self: z.string(), temporal: z.string().nullable() }),
});
export type ApiSchedule = z.infer<typeof scheduleSchema>;

export const scheduleSummarySchema = z.object({
  id: z.string(),
  paused: z.boolean(),
  note: z.string().nullable(),
  nextRuns: z.array(z.string()),
  links: z.object({ self: z.string() }),
});

export const scheduleListSchema = z.object({ schedules: z.array(scheduleSummarySchema), nextCursor: z.string().nullable() });

export const backfillResultSchema = z.object({
  /** Slots in the range, by nominal time. */
  slots: z.array(z.string()),
  /** Slots a run was asked for now. */
  started: z.array(z.string()),
  /** Slots that already have their run (an earlier backfill or the schedule itself); not started again. */
  alreadyRun: z.array(z.string()),
});
