// The `mesoflow schedule` commands, spawned as a user runs them, against the
// API (real Temporal dev server and devcluster). How runs behave is checked
// over HTTP in schedules.test.ts; here, that each command does its part.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { http, startApiStack, type ApiStack } from '../api/api-stack.js';
import { until } from '../../support/wait.js';

let s: ApiStack;
before(async () => {
  s = await startApiStack();
});
after(async () => {
  await s?.stop();
});

const newId = (what: string) => `sched-${what}-${Date.now().toString(36)}`;
const created: string[] = [];
after(async () => {
  for (const id of created) await http(`${s.url}/v1/schedules/${id}`, { method: 'DELETE' }).catch(() => undefined);
});

interface Schedule {
  paused: boolean;
  recentRuns: Array<{ id: string }>;
}
const get = async (id: string) => (await http(`${s.url}/v1/schedules/${id}`)).json as Schedule;

const bin = fileURLToPath(new URL('../../../cli/bin.js', import.meta.url));
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, MESOFLOW_API: s.url, MESOFLOW_API_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('mesoflow schedule create|list|show|pause|unpause|trigger|backfill|delete', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesoflow-schedule-cli-'));
  const jobFile = join(dir, 'job.json');
  await writeFile(jobFile, JSON.stringify({ command: 'echo from the cli', labels: { via: 'cli' } }));
  const id = newId('cli');
  created.push(id);
  // Each spawn costs seconds on a loaded machine: independent ones run side by side.
  const [c, bad] = await Promise.all([
    cli(['schedule', 'create', '--id', id, '--cron', '17 2 * * *', '--time-zone', 'Europe/Berlin', '--job', jobFile, '--note', 'nightly']),
    cli(['schedule', 'create', '--id', newId('cli-bad'), '--cron', '0 2 * *', '--job', jobFile]),
  ]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, new RegExp(`^${id}: cron "17 2 \\* \\* \\*" in Europe/Berlin`, 'm'));
  assert.match(c.stdout, /note: nightly/);
  assert.match(c.stdout, /next: \d{4}-\d\d-\d\dT0[01]:17:00\.000Z, /);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /cron\.0/);
  const p = await cli(['schedule', 'pause', id, '--note', 'holiday']);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stdout, new RegExp(`${id} paused: holiday`));
  assert.equal((await get(id)).paused, true);
  const day = 86_400_000;
  const from = new Date(Date.now() - 3 * day).toISOString();
  const to = new Date(Date.now() - day).toISOString();
  // Unpause first, then backfill: run side by side, the backfill could reach the schedule while it was still paused.
  const u = await cli(['schedule', 'unpause', id]);
  const b = await cli(['schedule', 'backfill', id, '--from', from, '--to', to]);
  assert.equal(u.code, 0, u.stderr);
  assert.match(u.stdout, new RegExp(`${id} unpaused`));
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /2 slots in the range; started 2, already run 0/);
  const t = await cli(['schedule', 'trigger', id]);
  assert.equal(t.code, 0, t.stderr);
  // How runs end is the HTTP tests' business; here: show lists the three runs.
  await until(async () => (await get(id)).recentRuns.length === 3, 'the backfilled and triggered runs recorded', 120_000, 200);
  const [shown, listed] = await Promise.all([cli(['schedule', 'show', id]), cli(['schedule', 'list'])]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(shown.stdout.match(new RegExp(`job ${id}-\\S+  [A-Z_]+`, 'g'))?.length, 3, shown.stdout);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`^${id}\tactive\tnext `, 'm'));
  const d = await cli(['schedule', 'delete', id]);
  assert.equal(d.code, 0, d.stderr);
  assert.equal((await http(`${s.url}/v1/schedules/${id}`)).status, 404);
  await rm(dir, { recursive: true, force: true });
});
