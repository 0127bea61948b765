// Schedules through the API, against the real Temporal dev server and the
// devcluster: interval runs, skip overlap, trigger, pause, backfill (once,
// and nothing on repeat), DST-aware next run times, and every bad input as a
// 400 naming its field. Checks that something did NOT happen wait first for
// proof that the schedule moved on (a recorded skip, a processed tick).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { http, postJson, startApiStack, type ApiStack, type HttpResult } from '../api/api-stack.js';
import { until } from '../../support/wait.js';

let s: ApiStack;
before(async () => {
  s = await startApiStack();
});
after(async () => {
  await s?.stop();
});

interface Run {
  scheduledAt: string;
  startedAt: string;
  kind: string;
  id: string;
  status: string;
  link: string;
}
interface Schedule {
  id: string;
  paused: boolean;
  note: string | null;
  spec: { cron: string[]; intervals: Array<{ every: string; offset: string }>; timeZone: string; startAt: string | null; endAt: string | null };
  action: { job?: { command: unknown }; batch?: unknown };
  overlap: string;
  nextRuns: string[];
  recentRuns: Run[];
  running: string[];
  counts: { started: number; skippedOverlap: number; missedCatchupWindow: number };
  links: { self: string; temporal: string | null };
}

let seq = 0;
const newId = (what: string) => `sched-${what}-${Date.now().toString(36)}-${seq++}`;
const created: string[] = [];

async function create(body: Record<string, unknown>): Promise<Schedule> {
  const r = await postJson(`${s.url}/v1/schedules`, body);
  assert.equal(r.status, 201, r.text);
  created.push((r.json as Schedule).id);
  return r.json as Schedule;
}
async function get(id: string): Promise<Schedule> {
  const r = await http(`${s.url}/v1/schedules/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json as Schedule;
}
async function scheduleUntil(id: string, pred: (sc: Schedule) => boolean, what: string, timeoutMs = 60_000): Promise<Schedule> {
  let last: Schedule | undefined;
  try {
    return await until(
      async () => {
        last = await get(id);
        return pred(last) ? last : undefined;
      },
      `schedule ${id}: ${what}`,
      timeoutMs,
      200,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify({ counts: last?.counts, recentRuns: last?.recentRuns, running: last?.running, paused: last?.paused })}`, { cause: err });
  }
}
const patch = (id: string, body: unknown) =>
  http(`${s.url}/v1/schedules/${id}`, { method: 'PATCH', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const del = (id: string) => http(`${s.url}/v1/schedules/${id}`, { method: 'DELETE' });
const jobStatus = async (id: string) => ((await http(`${s.url}/v1/jobs/${id}`)).json as { status?: string } | undefined)?.status;

after(async () => {
  // Leave nothing firing in the shared dev server.
  for (const id of created) await del(id).catch(() => undefined);
});

function assertProblem(r: HttpResult, status: number, path?: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers['content-type'], 'application/problem+json');
  if (path !== undefined) {
    const errors = (r.json as { errors?: Array<{ path: string }> }).errors ?? [];
    assert.ok(
      errors.some((e) => e.path === path),
      `expected an error at ${path}: ${r.text}`,
    );
  }
}

test('a schedule every 2 s starts job runs named by their nominal time; they are jobs in /v1/jobs and survive the schedule', async () => {
  const id = newId('every2s');
  const sc = await create({ id, intervals: [{ every: '2s' }], action: { job: { command: 'echo scheduled', labels: { from: 'schedule' } } }, note: 'every two seconds' });
  assert.equal(sc.overlap, 'skip');
  assert.deepEqual(sc.spec.intervals, [{ every: '2s', offset: '0s' }]);
  assert.equal(sc.note, 'every two seconds');
  assert.equal(sc.nextRuns.length, 5);
  assert.equal(Date.parse(sc.nextRuns[1] as string) - Date.parse(sc.nextRuns[0] as string), 2000);
  const withRuns = await scheduleUntil(id, (x) => x.recentRuns.length >= 2 && x.recentRuns.every((r) => r.status === 'SUCCEEDED'), 'two runs succeeded');
  const [a, b] = withRuns.recentRuns as [Run, Run];
  for (const r of [a, b]) {
    assert.equal(r.id, `${id}-${r.scheduledAt.replace('.000Z', 'Z')}`);
    assert.equal(r.kind, 'job');
    assert.equal(r.link, `/v1/jobs/${encodeURIComponent(r.id)}`);
    assert.equal(Date.parse(r.scheduledAt) % 2000, 0);
  }
  assert.ok(Date.parse(b.scheduledAt) > Date.parse(a.scheduledAt));
  // A run is an ordinary job: its own view, and listed by label.
  const job = await http(`${s.url}/v1/jobs/${a.id}`);
  assert.equal(job.status, 200);
  assert.equal((job.json as { status: string; labels: Record<string, string> }).status, 'SUCCEEDED');
  assert.deepEqual((job.json as { labels: Record<string, string> }).labels, { from: 'schedule' });
  await until(async () => {
    const l = await http(`${s.url}/v1/jobs?label=from=schedule&limit=50`);
    return (l.json as { jobs: Array<{ id: string }> }).jobs.some((j) => j.id === a.id);
  }, 'the run listed in /v1/jobs');
  // The Web UI finds a schedule's runs by the search attribute Temporal sets on them (README).
  const byScheduler = await s.stack.client.workflowService.listWorkflowExecutions({ namespace: s.stack.temporal.namespace, query: `TemporalScheduledById = '${id}'` });
  assert.ok((byScheduler.executions ?? []).some((e) => e.execution?.workflowId === a.id));
  assert.equal((await del(id)).status, 204);
  assert.equal((await http(`${s.url}/v1/schedules/${id}`)).status, 404);
  assert.equal(await jobStatus(a.id), 'SUCCEEDED', 'a deleted schedule keeps its runs');
});

test('skip overlap: while a run is going, the next slots are skipped, not started', async () => {
  const id = newId('skip');
  await create({ id, intervals: [{ every: '2s' }], overlap: 'skip', action: { job: { command: 'sleep 60', killGracePeriodSeconds: 0 } } });
  // Positive proof first: Temporal recorded two skipped slots.
  const sc = await scheduleUntil(id, (x) => x.counts.skippedOverlap >= 2, 'two skipped slots');
  assert.equal(sc.counts.started, 1);
  assert.equal(sc.recentRuns.length, 1);
  assert.deepEqual(sc.running, [sc.recentRuns[0]?.id]);
  assert.equal((await del(id)).status, 204);
  await postJson(`${s.url}/v1/jobs/${sc.recentRuns[0]?.id}/cancel`, {});
});

test('trigger runs now, whatever the spec says', async () => {
  const id = newId('trigger');
  const sc = await create({ id, cron: ['0 0 1 1 *'], action: { job: { command: 'true' } } });
  assert.deepEqual(sc.spec.cron, ['0 0 1 1 *']);
  assert.equal(sc.recentRuns.length, 0);
  const t0 = Date.now();
  const r = await http(`${s.url}/v1/schedules/${id}/trigger`, { method: 'POST' });
  assert.equal(r.status, 202, r.text);
  const after1 = await scheduleUntil(id, (x) => x.recentRuns.length === 1 && x.recentRuns[0]?.status === 'SUCCEEDED', 'the triggered run succeeded');
  assert.ok(Date.parse(after1.recentRuns[0]?.startedAt as string) >= t0 - 1000);
  // With an overlap policy for this run only.
  const r2 = await postJson(`${s.url}/v1/schedules/${id}/trigger`, { overlap: 'skip' });
  assert.equal(r2.status, 202, r2.text);
  await scheduleUntil(id, (x) => x.recentRuns.length === 2, 'a second triggered run');
});

test('a schedule can start a batch: each run is a batch named by its nominal time', async () => {
  const id = newId('batch');
  const sc = await create({ id, cron: ['0 2 * * *'], timeZone: 'Europe/Berlin', action: { batch: { maxParallel: 2, array: { count: 2, template: { command: 'true' } } } } });
  assert.ok(sc.action.batch, JSON.stringify(sc.action));
  assert.equal((await http(`${s.url}/v1/schedules/${id}/trigger`, { method: 'POST' })).status, 202);
  const run = await scheduleUntil(id, (x) => x.recentRuns.length === 1 && !['RUNNING', 'UNKNOWN'].includes(x.recentRuns[0]?.status as string), 'the batch run ended', 60_000);
  const r = run.recentRuns[0] as Run;
  assert.equal(r.status, 'SUCCEEDED');
  const batch = await http(`${s.url}${r.link}`);
  assert.equal(batch.status, 200, batch.text);
  assert.equal((batch.json as { counts: { SUCCEEDED: number } }).counts.SUCCEEDED, 2);
  assert.equal(r.kind, 'batch');
  assert.match(r.id, new RegExp(`^${id}-\\d{4}-\\d\\d-\\d\\dT`));
  assert.equal(r.link, `/v1/batches/${encodeURIComponent(r.id)}`);
});

test('pause stops new runs (proven while a twin schedule kept starting them), unpause resumes without catching up', async () => {
  const id = newId('pause');
  const twin = newId('pause-twin');
  await create({ id, intervals: [{ every: '2s' }], action: { job: { command: 'true' } } });
  await create({ id: twin, intervals: [{ every: '2s' }], action: { job: { command: 'true' } } });
  await scheduleUntil(id, (x) => x.counts.started >= 1, 'a first run');
  const pausedAt = Date.now();
  const p = await patch(id, { paused: true, note: 'maintenance window' });
  assert.equal(p.status, 200, p.text);
  const paused = p.json as Schedule;
  assert.equal(paused.paused, true);
  assert.equal(paused.note, 'maintenance window');
  assert.ok(paused.nextRuns.every((t) => Date.parse(t) >= pausedAt - 1000), 'no slot that has passed is shown as upcoming');
  const startedAtPause = paused.counts.started;
  // Proof that slots passed and schedules kept firing: the twin started two more runs.
  const twinAtPause = (await get(twin)).counts.started;
  await scheduleUntil(twin, (x) => x.counts.started >= twinAtPause + 2, 'two more runs of the twin');
  assert.equal((await del(twin)).status, 204);
  const later = await get(id);
  assert.equal(later.counts.started, startedAtPause, 'no run started while paused');
  assert.equal(later.recentRuns.length, startedAtPause);
  const unpausedAt = Date.now();
  const u = await patch(id, { paused: false, note: 'back' });
  assert.equal(u.status, 200, u.text);
  assert.equal((u.json as Schedule).paused, false);
  assert.equal((u.json as Schedule).note, 'back');
  const resumed = await scheduleUntil(id, (x) => x.counts.started > startedAtPause, 'a run after unpausing');
  for (const r of resumed.recentRuns.slice(startedAtPause)) assert.ok(Date.parse(r.scheduledAt) >= unpausedAt - 1000, `slot ${r.scheduledAt} of the paused time was not caught up`);
});

test('backfill over a past range starts exactly the runs of its slots, once; a repeated backfill starts nothing', async () => {
  const id = newId('backfill');
  await create({ id, cron: ['17 * * * *'], action: { job: { command: 'true' } } });
  const hour = 3_600_000;
  const base = Math.floor(Date.now() / hour) * hour - 4 * hour;
  const start = new Date(base + 17 * 60_000).toISOString(); // exactly on a slot: included
  const end = new Date(base + 2 * hour + 30 * 60_000).toISOString();
  const expected = [0, 1, 2].map((h) => new Date(base + h * hour + 17 * 60_000).toISOString());
  const first = await postJson(`${s.url}/v1/schedules/${id}/backfill`, { start, end });
  assert.equal(first.status, 202, first.text);
  const f = first.json as { slots: string[]; started: string[]; alreadyRun: string[] };
  assert.deepEqual(f.slots, expected);
  assert.deepEqual(f.started, expected);
  assert.deepEqual(f.alreadyRun, []);
  const runIds = expected.map((t) => `${id}-${t.replace('.000Z', 'Z')}`);
  await until(async () => (await Promise.all(runIds.map(jobStatus))).every((st) => st === 'SUCCEEDED'), 'the three backfilled jobs succeeded');
  const again = await postJson(`${s.url}/v1/schedules/${id}/backfill`, { start, end });
  assert.equal(again.status, 202, again.text);
  const g = again.json as { slots: string[]; started: string[]; alreadyRun: string[] };
  assert.deepEqual(g.started, []);
  assert.deepEqual(g.alreadyRun, expected);
  // Proof the schedule processed everything asked before: a trigger after the second backfill is taken…
  assert.equal((await http(`${s.url}/v1/schedules/${id}/trigger`, { method: 'POST' })).status, 202);
  const sc = await scheduleUntil(id, (x) => x.counts.started >= 4 && x.running.length === 0, 'the trigger taken');
  // …and Temporal counts exactly three backfilled runs plus that one.
  assert.equal(sc.counts.started, 4);
  const ids = sc.recentRuns.map((r) => r.id);
  for (const r of runIds) assert.equal(ids.filter((x) => x === r).length, 1, `${r} ran once: ${JSON.stringify(ids)}`);
  // Each workflow id has one execution (Temporal alone would have started a second once the first closed).
  for (const r of runIds) {
    const l = await s.stack.client.workflowService.listWorkflowExecutions({ namespace: s.stack.temporal.namespace, query: `WorkflowId = '${r}'` });
    assert.equal(l.executions?.length, 1, r);
  }
});

/** Last Sunday of `month` (0-based) in `year`, as a UTC date at 00:00. */
function lastSunday(year: number, month: number): Date {
  const d = new Date(Date.UTC(year, month + 1, 0));
  d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  return d;
}

test('a cron in Europe/Berlin gives the right next run times across both daylight-saving changes, including the missing and the doubled hour', async () => {
  const year = new Date().getUTCFullYear() + 1;
  const day = 86_400_000;
  for (const [month, beforeHourUtc, afterHourUtc] of [
    [2, 8, 7], // last Sunday of March: 09:00 CET = 08:00Z, then 09:00 CEST = 07:00Z
    [9, 7, 8], // last Sunday of October: back again
  ] as const) {
    const change = lastSunday(year, month).getTime();
    const id = newId('dst');
    const sc = await create({
      id,
      cron: ['0 9 * * *'],
      timeZone: 'Europe/Berlin',
      startAt: new Date(change - 2 * day).toISOString(),
      paused: true,
      action: { job: { command: 'true' } },
    });
    assert.equal(sc.spec.timeZone, 'Europe/Berlin');
    const expected = [-2, -1, 0, 1, 2].map((k) => new Date(change + k * day + (k < 0 ? beforeHourUtc : afterHourUtc) * 3_600_000).toISOString());
    assert.deepEqual(sc.nextRuns, expected);
  }
  // 02:30 does not exist in Berlin on the spring change (no run that day), and happens twice on the autumn one (one run, at the second).
  const spring = lastSunday(year, 2).getTime();
  const a = await create({ id: newId('dst-gap'), cron: ['30 2 * * *'], timeZone: 'Europe/Berlin', startAt: new Date(spring - 2 * day).toISOString(), paused: true, action: { job: { command: 'true' } } });
  assert.deepEqual(a.nextRuns, [-2, -1, 1, 2, 3].map((k) => new Date(spring + k * day + (k < 0 ? 90 : 30) * 60_000).toISOString()));
  const autumn = lastSunday(year, 9).getTime();
  const b = await create({ id: newId('dst-twice'), cron: ['30 2 * * *'], timeZone: 'Europe/Berlin', startAt: new Date(autumn - 2 * day).toISOString(), paused: true, action: { job: { command: 'true' } } });
  assert.deepEqual(b.nextRuns, [-2, -1, 0, 1, 2].map((k) => new Date(autumn + k * day + (k < 0 ? 30 : 90) * 60_000).toISOString()));
});

test("the README's worked example is accepted as written: nightly at 02:00 Berlin time", async () => {
  const readme = await readFile(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Schedules\n'));
  const example = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(section)?.[1] ?? 'null') as Record<string, unknown>;
  assert.equal(example.id, 'nightly');
  const sc = await create({ ...example, id: newId('readme'), paused: true });
  assert.ok(sc.action.batch);
  assert.deepEqual(sc.spec.cron, ['0 2 * * *']);
  // 02:00 in Berlin is 01:00Z in winter, 00:00Z in summer.
  for (const t of sc.nextRuns) assert.match(t, /T0[01]:00:00\.000Z$/);
});

test('GET /openapi.json documents the schedule routes from the same schemas', async () => {
  const doc = (await http(`${s.url}/openapi.json`)).json as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> } };
  assert.deepEqual(Object.keys(doc.paths['/v1/schedules'] ?? {}).sort(), ['get', 'post']);
  assert.deepEqual(Object.keys(doc.paths['/v1/schedules/{id}'] ?? {}).sort(), ['delete', 'get', 'patch']);
  assert.ok(doc.paths['/v1/schedules/{id}/trigger']?.post && doc.paths['/v1/schedules/{id}/backfill']?.post);
  const req = doc.components.schemas.ScheduleRequest?.properties ?? {};
  for (const f of ['id', 'cron', 'intervals', 'timeZone', 'startAt', 'endAt', 'maxRuns', 'jitter', 'action', 'overlap', 'catchupWindow', 'pauseOnFailure', 'paused', 'note']) assert.ok(req[f], `ScheduleRequest.${f}`);
  assert.deepEqual(req.overlap?.enum, ['skip', 'buffer-one', 'buffer-all', 'cancel-other', 'terminate-other', 'allow-all']);
});

test('GET /v1/schedules lists them; unknown ids are 404; a taken id is 409', async () => {
  const id = newId('list');
  const body = { id, cron: ['@daily'], paused: true, action: { job: { command: 'true' } } };
  await create(body);
  await until(async () => {
    const l = await http(`${s.url}/v1/schedules?limit=200`);
    return (l.json as { schedules: Array<{ id: string; paused: boolean }> }).schedules.some((x) => x.id === id && x.paused);
  }, 'the schedule listed');
  assertProblem(await postJson(`${s.url}/v1/schedules`, body), 409);
  // Paged: one at a time, each page another schedule, until the cursor runs out.
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: HttpResult = await http(`${s.url}/v1/schedules?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(page.status, 200, page.text);
    const p = page.json as { schedules: Array<{ id: string }>; nextCursor: string | null };
    assert.ok(p.schedules.length <= 1);
    for (const x of p.schedules) {
      assert.ok(!seen.has(x.id), `${x.id} on two pages`);
      seen.add(x.id);
    }
    cursor = p.nextCursor;
    if (!cursor) break;
  }
  assert.ok(seen.has(id) && seen.size >= 2, [...seen].join());
  assertProblem(await http(`${s.url}/v1/schedules?cursor=%00`), 400, 'cursor');
  assertProblem(await http(`${s.url}/v1/schedules?limit=0`), 400, 'limit');
  assertProblem(await http(`${s.url}/v1/schedules/no-such-schedule`), 404);
  assertProblem(await http(`${s.url}/v1/schedules/no-such-schedule/trigger`, { method: 'POST' }), 404);
  assertProblem(await del('no-such-schedule'), 404);
  const changed = await patch(id, { cron: ['30 2 * * *'], timeZone: 'Europe/Berlin', action: { job: { command: 'echo changed' } } });
  assert.equal(changed.status, 200, changed.text);
  const c = changed.json as Schedule;
  assert.deepEqual(c.spec.cron, ['30 2 * * *']);
  assert.equal(c.spec.timeZone, 'Europe/Berlin');
  assert.equal(c.action.job?.command, 'echo changed');
  assert.equal(c.paused, true);
});

test('every invalid input is a 400 problem naming its field', async () => {
  const job = { command: 'true' };
  const post = (b: Record<string, unknown>) => postJson(`${s.url}/v1/schedules`, { id: newId('bad'), action: { job }, ...b });
  assertProblem(await post({ cron: ['not a cron'] }), 400, 'cron.0');
  assertProblem(await post({ cron: ['0 2 * * *', '61 * * * *'] }), 400, 'cron.1');
  assertProblem(await post({ cron: ['0 5-2 * * *'] }), 400, 'cron.0');
  assertProblem(await post({ cron: ['0 2 * * *'], timeZone: 'Mars/Olympus_Mons' }), 400, 'timeZone');
  assertProblem(await post({ cron: ['0 2 * * *'], overlap: 'sometimes' }), 400, 'overlap');
  assertProblem(await post({ cron: ['0 2 * * *'], startAt: '2030-01-02T00:00:00Z', endAt: '2030-01-01T00:00:00Z' }), 400, 'endAt');
  assertProblem(await post({}), 400, 'cron');
  assertProblem(await post({ intervals: [{ every: 'soon' }] }), 400, 'intervals.0.every');
  assertProblem(await post({ cron: ['@daily'], action: {} }), 400, 'action');
  assertProblem(await post({ cron: ['@daily'], action: { job: { command: '' } } }), 400, 'action.job.command');
  assertProblem(await post({ cron: ['@daily'], jitter: 5 }), 400, 'jitter');
  assertProblem(await postJson(`${s.url}/v1/schedules`, { id: 'bad id!', cron: ['@daily'], action: { job } }), 400, 'id');

  const id = newId('bad-target');
  await create({ id, intervals: [{ every: '1s' }], paused: true, startAt: '2020-01-01T00:00:00Z', action: { job } });
  const backfill = (b: unknown) => postJson(`${s.url}/v1/schedules/${id}/backfill`, b);
  const now = Date.now();
  assertProblem(await backfill({ start: new Date(now - 60_000).toISOString(), end: new Date(now + 3_600_000).toISOString() }), 400, 'end');
  assertProblem(await backfill({ start: new Date(now - 60_000).toISOString(), end: new Date(now - 120_000).toISOString() }), 400, 'end');
  // 600 one-second slots: more than the documented maximum of 100.
  assertProblem(await backfill({ start: new Date(now - 700_000).toISOString(), end: new Date(now - 100_000).toISOString() }), 400, 'end');
  assertProblem(await backfill({ start: 'yesterday', end: new Date(now - 100_000).toISOString() }), 400, 'start');
  assertProblem(await backfill({ start: new Date(now - 10_000).toISOString(), end: new Date(now - 5_000).toISOString(), overlap: 'never' }), 400, 'overlap');
  assertProblem(await postJson(`${s.url}/v1/schedules/${id}/trigger`, { overlap: 'whenever' }), 400, 'overlap');
  assertProblem(await patch(id, { endAt: '2019-01-01T00:00:00Z' }), 400, 'endAt');
  assertProblem(await patch(id, { cron: ['* * *'] }), 400, 'cron.0');
  assertProblem(await patch(id, { timeZone: 'Nowhere/Land' }), 400, 'timeZone');
  assertProblem(await patch(id, { colour: 'blue' }), 400, 'colour');
  // Nothing of that reached the schedule.
  const sc = await get(id);
  assert.equal(sc.counts.started, 0);
  assert.equal(sc.spec.endAt, null);
});
