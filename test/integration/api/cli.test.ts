// The `mesoflow` job commands, spawned as a user runs them, against the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jobUntil, startApiStack, type ApiStack } from './api-stack.js';

const bin = fileURLToPath(new URL('../../../cli/bin.js', import.meta.url));

let s: ApiStack;
before(async () => {
  s = await startApiStack();
});
after(async () => {
  await s?.stop();
});

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, MESOFLOW_API: '', MESOFLOW_API_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('run exits with the task\'s exit code and streams its stdout and stderr', async () => {
  const r = await cli(['run', '--api', s.url, '--', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 7']);
  assert.equal(r.code, 7, r.stderr);
  assert.equal(r.stdout, 'to-out\n');
  assert.match(r.stderr, /to-err/);
  assert.match(r.stderr, /submitted/);
  assert.match(r.stderr, /failed with exit code 7/);
});

test('run of a succeeding command exits 0 (shell string form, env and resources passed)', async () => {
  const r = await cli(['run', '--quiet', '--cpus', '0.2', '--mem', '16', '--env', 'GREETING=hi there', '--', 'echo "$GREETING"'], { MESOFLOW_API: s.url });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hi there\n');
  // stderr holds the task's stderr only (the command executor's log lines, as on Mesos), no progress lines.
  assert.doesNotMatch(r.stderr, /^mesoflow:/m);
});

test('submit, status, list, logs and cancel', async () => {
  const sub = await cli(['submit', '--api', s.url, '--label', 'cli=yes', '--', 'echo listed']);
  assert.equal(sub.code, 0, sub.stderr);
  const id = sub.stdout.trim();
  assert.match(id, /^job-/);
  await jobUntil(s.url, id, (j) => j.status === 'SUCCEEDED');
  const st = await cli(['status', '--api', s.url, id]);
  assert.equal(st.code, 0);
  assert.match(st.stdout, /status: +SUCCEEDED \(exit code 0\)/);
  const json = await cli(['status', '--api', s.url, '--json', id]);
  assert.equal((JSON.parse(json.stdout) as { id: string }).id, id);
  const logs = await cli(['logs', '--api', s.url, id]);
  assert.equal(logs.stdout, 'listed\n');
  let list = '';
  for (let i = 0; i < 50 && !list.includes(id); i++) {
    list = (await cli(['list', '--api', s.url, '--label', 'cli=yes', '--status', 'SUCCEEDED'])).stdout;
    if (!list.includes(id)) await new Promise((res) => setTimeout(res, 200));
  }
  assert.match(list, new RegExp(`^${id}\tSUCCEEDED\\(0\\)`, 'm'));
  const slow = await cli(['submit', '--api', s.url, '--', 'echo a; sleep 1; echo b']);
  const followed = await cli(['logs', '-f', '--api', s.url, slow.stdout.trim()]);
  assert.equal(followed.code, 0, followed.stderr);
  assert.equal(followed.stdout, 'a\nb\n');
  const long = await cli(['submit', '--api', s.url, '--', 'sleep 60']);
  const longId = long.stdout.trim();
  await jobUntil(s.url, longId, (j) => j.status === 'RUNNING');
  const c = await cli(['cancel', '--api', s.url, longId]);
  assert.equal(c.code, 0, c.stderr);
  await jobUntil(s.url, longId, (j) => j.status === 'CANCELLED');
});

test('errors are one clear line without a stack trace', async () => {
  const badFlag = await cli(['run', '--cpus', 'lots', '--', 'true']);
  assert.notEqual(badFlag.code, 0);
  assert.match(badFlag.stderr, /--cpus must be a positive number/);
  assert.doesNotMatch(badFlag.stderr, /\n\s+at /);
  const down = await cli(['status', '--api', 'http://127.0.0.1:1', 'job-x']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /^mesoflow: cannot reach the mesoflow API at http:\/\/127\.0\.0\.1:1/);
  assert.equal(down.stderr.trim().split('\n').length, 1);
  const missing = await cli(['status', '--api', s.url, 'job-missing']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Not found: no job with id job-missing/);
  const invalid = await cli(['submit', '--api', s.url, '--env', 'BAD NAME=1', '--', 'true']);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /env\.BAD NAME/);
  assert.equal(invalid.stderr.trim().split('\n').length, 1);
});
