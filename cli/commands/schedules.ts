// The schedule commands of `mesoflow`: schedule create|list|show|pause|
// unpause|trigger|backfill|delete. They talk to /v1/schedules of the HTTP API
// (--api / MESOFLOW_API, --token / MESOFLOW_API_TOKEN) like the job commands.
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError } from '../api-client.js';
import { client, withApi, type ApiOptions } from './jobs.js';

interface Run {
  scheduledAt: string;
  kind: string;
  id: string;
  status: string;
}

interface ApiSchedule {
  id: string;
  paused: boolean;
  note: string | null;
  spec: { cron: string[]; intervals: Array<{ every: string; offset: string }>; timeZone: string; startAt: string | null; endAt: string | null; jitter: string | null };
  action: { job?: unknown; batch?: unknown };
  overlap: string;
  remainingRuns: number | null;
  nextRuns: string[];
  recentRuns: Run[];
  counts: { started: number; skippedOverlap: number; missedCatchupWindow: number };
  links: { temporal: string | null };
}

const path = (id: string, rest = '') => `v1/schedules/${encodeURIComponent(id)}${rest}`;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** JSON from a file, or from stdin for "-". */
async function readJson(file: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = file === '-' ? await new Response(process.stdin as unknown as ReadableStream).text() : await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new CliError(`${what} ${file} is not a JSON object: ${(err as Error).message}`);
  }
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be an integer >= 1`);
    return n;
  };
}

export function printSchedule(s: ApiSchedule): void {
  const when = [...s.spec.cron.map((c) => `cron "${c}"`), ...s.spec.intervals.map((i) => `every ${i.every}${i.offset !== '0s' ? ` (offset ${i.offset})` : ''}`)].join(', ');
  say(`${s.id}: ${when} in ${s.spec.timeZone}${s.paused ? ' — PAUSED' : ''}`);
  if (s.note) say(`  note: ${s.note}`);
  say(`  starts: ${s.action.batch !== undefined ? 'a batch' : 'a job'}; overlap ${s.overlap}${s.remainingRuns !== null ? `; ${s.remainingRuns} runs left` : ''}`);
  if (s.spec.startAt || s.spec.endAt) say(`  active: ${s.spec.startAt ?? '…'} to ${s.spec.endAt ?? '…'}`);
  say(`  runs started ${s.counts.started}, skipped (overlap) ${s.counts.skippedOverlap}, missed (catch-up window) ${s.counts.missedCatchupWindow}`);
  say(`  next: ${s.nextRuns.length > 0 ? s.nextRuns.join(', ') : '(none)'}`);
  if (s.recentRuns.length > 0) {
    say('  recent runs:');
    for (const r of s.recentRuns) say(`    ${r.scheduledAt}  ${r.kind} ${r.id}  ${r.status}`);
  }
  if (s.links.temporal) say(`  Temporal Web UI: ${s.links.temporal}`);
}

interface CreateOptions extends ApiOptions {
  id?: string;
  cron?: string[];
  every?: string[];
  timeZone?: string;
  overlap?: string;
  job?: string;
  batch?: string;
  paused?: boolean;
  note?: string;
  maxRuns?: number;
  json?: boolean;
}

/** The request body: FILE (a whole schedule) with the flags laid over it. */
export async function createBody(file: string | undefined, o: CreateOptions): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = file !== undefined ? await readJson(file, 'schedule') : {};
  if (o.id !== undefined) body.id = o.id;
  if (o.cron) body.cron = o.cron;
  if (o.every) body.intervals = o.every.map((every) => ({ every }));
  if (o.timeZone !== undefined) body.timeZone = o.timeZone;
  if (o.overlap !== undefined) body.overlap = o.overlap;
  if (o.paused) body.paused = true;
  if (o.note !== undefined) body.note = o.note;
  if (o.maxRuns !== undefined) body.maxRuns = o.maxRuns;
  if (o.job !== undefined) body.action = { job: await readJson(o.job, 'job spec') };
  if (o.batch !== undefined) body.action = { batch: await readJson(o.batch, 'batch spec') };
  return body;
}

export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('Temporal Schedules that start jobs or batches (on the Temporal Web UI\'s Schedules page)');

  withApi(schedule.command('create'))
    .description('Create a schedule from FILE (or - for stdin) and/or flags; flags win')
    .argument('[file]', 'a schedule as JSON (the body of POST /v1/schedules)')
    .option('--id <id>', 'schedule id (each run is named <id>-<nominal time>)')
    .option('--cron <expr>', 'cron expression (repeatable), e.g. "0 2 * * *"', collect)
    .option('--every <duration>', 'interval (repeatable), e.g. 2s, 15m, 1h', collect)
    .option('--time-zone <tz>', 'IANA time zone of the cron expressions, e.g. Europe/Berlin')
    .option('--overlap <policy>', 'skip, buffer-one, buffer-all, cancel-other, terminate-other or allow-all')
    .option('--job <file>', 'each run starts this job spec (JSON file, - for stdin)')
    .option('--batch <file>', 'each run starts this batch spec (JSON file, - for stdin)')
    .option('--max-runs <n>', 'stop after this many scheduled runs', positiveInt('--max-runs'))
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note shown with the schedule')
    .option('--json', 'print the schedule as JSON')
    .action(async (file: string | undefined, o: CreateOptions) => {
      if (o.job !== undefined && o.batch !== undefined) throw new CliError('give --job or --batch, not both');
      const s = await client(o).json<ApiSchedule>('POST', 'v1/schedules', await createBody(file, o));
      if (o.json) say(JSON.stringify(s, null, 2));
      else printSchedule(s);
    });

  withApi(schedule.command('list'))
    .description('List the schedules')
    .option('--limit <n>', 'page size', positiveInt('--limit'), 50)
    .action(async (o: ApiOptions & { limit: number }) => {
      let cursor: string | null = null;
      let any = false;
      do {
        const q: string = `v1/schedules?limit=${o.limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page: { schedules: Array<{ id: string; paused: boolean; note: string | null; nextRuns: string[] }>; nextCursor: string | null } = await client(o).json('GET', q);
        for (const s of page.schedules) {
          any = true;
          say(`${s.id}\t${s.paused ? 'paused' : 'active'}\tnext ${s.nextRuns[0] ?? '-'}${s.note ? `\t${s.note}` : ''}`);
        }
        cursor = page.nextCursor;
      } while (cursor);
      if (!any) say('no schedules');
    });

  withApi(schedule.command('show'))
    .description('Show a schedule: spec, state, the next 5 run times and the recent runs with how each ended')
    .argument('<id>')
    .option('--json', 'print the schedule as JSON')
    .action(async (id: string, o: ApiOptions & { json?: boolean }) => {
      const s = await client(o).json<ApiSchedule>('GET', path(id));
      if (o.json) say(JSON.stringify(s, null, 2));
      else printSchedule(s);
    });

  for (const [name, paused] of [
    ['pause', true],
    ['unpause', false],
  ] as const) {
    withApi(schedule.command(name))
      .description(paused ? 'Pause: no run starts until unpaused (the slots in between are not caught up)' : 'Unpause')
      .argument('<id>')
      .option('--note <text>', 'why')
      .action(async (id: string, o: ApiOptions & { note?: string }) => {
        const s = await client(o).json<ApiSchedule>('PATCH', path(id), { paused, ...(o.note !== undefined ? { note: o.note } : {}) });
        say(`${s.id} ${s.paused ? 'paused' : 'unpaused'}${s.note ? `: ${s.note}` : ''}`);
      });
  }

  withApi(schedule.command('trigger'))
    .description('Start a run now')
    .argument('<id>')
    .option('--overlap <policy>', 'overlap policy for this run (default allow-all)')
    .action(async (id: string, o: ApiOptions & { overlap?: string }) => {
      await client(o).call('POST', path(id, '/trigger'), o.overlap !== undefined ? { overlap: o.overlap } : {});
      say(`${id}: run requested; see \`mesoflow schedule show ${id}\``);
    });

  withApi(schedule.command('backfill'))
    .description('Start the runs of a past time range, one per slot; slots that already have their run are not started again')
    .argument('<id>')
    .requiredOption('--from <time>', 'start of the range (RFC 3339, e.g. 2026-12-01T00:00:00Z)')
    .requiredOption('--to <time>', 'end of the range, not in the future')
    .option('--overlap <policy>', 'overlap policy for these runs (default allow-all)')
    .action(async (id: string, o: ApiOptions & { from: string; to: string; overlap?: string }) => {
      const r = await client(o).json<{ slots: string[]; started: string[]; alreadyRun: string[] }>('POST', path(id, '/backfill'), {
        start: o.from,
        end: o.to,
        ...(o.overlap !== undefined ? { overlap: o.overlap } : {}),
      });
      say(`${id}: ${r.slots.length} slots in the range; started ${r.started.length}, already run ${r.alreadyRun.length}`);
      for (const t of r.started) say(`  started ${t}`);
    });

  withApi(schedule.command('delete'))
    .description('Delete a schedule (the runs it started keep their history)')
    .argument('<id>')
    .action(async (id: string, o: ApiOptions) => {
      await client(o).call('DELETE', path(id));
      say(`${id} deleted`);
    });
}
