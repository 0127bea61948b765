import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrors } from '../../../api/routes/jobs.js';
import {
  backfillRequestSchema,
  createScheduleRequestSchema,
  formatDuration,
  isKnownTimeZone,
  parseDuration,
  updateScheduleRequestSchema,
} from '../../../api/schedule-schemas.js';
import { fromTemporalOverlap, runIdFor, toTemporalOverlap } from '../../../api/schedule-service.js';
import { upcoming } from '../../../api/schedule-view.js';

const paths = (schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? [] : fieldErrors(r.error as Parameters<typeof fieldErrors>[0]).map((e) => e.path);
};
const base = { id: 'nightly', cron: ['0 2 * * *'], action: { job: { command: 'true' } } };

test('durations read and print back', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('2d'), 172_800_000);
  assert.equal(parseDuration('250ms'), 250);
  for (const bad of ['', '5', '1.5h', 's', '1 h', '-1s']) assert.equal(parseDuration(bad), undefined, bad);
  for (const ms of [0, 1000, 90_000, 5_400_000, 172_800_000 + 1500]) assert.equal(parseDuration(formatDuration(ms)), ms);
  assert.equal(formatDuration(5_400_000), '1h30m');
});

test('time zones: IANA names only', () => {
  for (const tz of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+1']) assert.ok(isKnownTimeZone(tz), tz);
  for (const tz of ['Mars/Olympus_Mons', '', '+01:00', 'Europe/', 'CEST2']) assert.ok(!isKnownTimeZone(tz), tz);
});

test('overlap names map to and from Temporal', () => {
  assert.equal(toTemporalOverlap('buffer-one'), 'BUFFER_ONE');
  assert.equal(toTemporalOverlap('terminate-other'), 'TERMINATE_OTHER');
  assert.equal(fromTemporalOverlap('ALLOW_ALL'), 'allow-all');
  assert.equal(fromTemporalOverlap(undefined), 'skip');
});

test('a run is named by the nominal time to the second, as Temporal names it', () => {
  assert.equal(runIdFor('nightly', new Date('2026-12-07T01:00:00.000Z')), 'nightly-2026-12-07T01:00:00Z');
});

test('create: defaults and the field of each mistake', () => {
  const ok = createScheduleRequestSchema.parse({ ...base, intervals: [{ every: '2s', offset: '1s' }], jitter: '30s', catchupWindow: '10m' });
  assert.deepEqual(ok.intervals, [{ every: 2000, offset: 1000 }]);
  assert.equal(ok.jitter, 30_000);
  assert.equal(ok.action.job?.resources.cpus, 0.1, 'the job spec gets its defaults');
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, cron: ['0 2 * *'] }), ['cron.0']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, timeZone: 'Europe/Berln' }), ['timeZone']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, overlap: 'skip-all' }), ['overlap']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, startAt: '2030-01-02T00:00:00Z', endAt: '2030-01-01T00:00:00+01:00' }), ['endAt']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, cron: [] }), ['cron']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, intervals: [{ every: '500ms' }] }), ['intervals.0.every']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, catchupWindow: '5s' }), ['catchupWindow']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, action: { job: { command: 'true' }, batch: { array: { count: 1, template: { command: 'true' } } } } }), ['action']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, action: { job: { command: 'true', colour: 'red' } } }), ['action.job.colour']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, maxRuns: 0 }), ['maxRuns']);
  assert.deepEqual(paths(createScheduleRequestSchema, { ...base, id: 'a:b' }), ['id']);
  assert.deepEqual(paths(updateScheduleRequestSchema, { overlap: 'often' }), ['overlap']);
});

test('backfill: a past range, end after start', () => {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  assert.deepEqual(paths(backfillRequestSchema, { start: iso(now - 7200_000), end: iso(now - 3600_000) }), []);
  assert.deepEqual(paths(backfillRequestSchema, { start: iso(now - 3600_000), end: iso(now + 60_000) }), ['end']);
  assert.deepEqual(paths(backfillRequestSchema, { start: iso(now - 3600_000), end: iso(now - 7200_000) }), ['end']);
  assert.deepEqual(paths(backfillRequestSchema, { start: iso(now - 400 * 86_400_000), end: iso(now - 1000) }), ['start']);
  assert.deepEqual(paths(backfillRequestSchema, { start: 'last week', end: iso(now - 1000) }), ['start']);
});

test('upcoming runs leave out slots a paused schedule let pass', () => {
  const now = new Date('2026-12-06T04:00:00Z');
  const times = ['03:59:58', '04:00:00', '04:00:02', '04:00:04', '04:00:06', '04:00:08', '04:00:10'].map((t) => new Date(`2026-12-06T${t}Z`));
  assert.deepEqual(upcoming(times, now), ['04:00:00', '04:00:02', '04:00:04', '04:00:06', '04:00:08'].map((t) => `2026-12-06T${t}.000Z`));
});
