// A deployment's shape on one machine: `mesoflow api` and `mesoflow worker`
// as separate processes against the shared Temporal dev server and a
// devcluster, configured only through the environment (token from a file,
// known secret values everywhere). Checked: the session holder SIGKILLed →
// the other worker holds it within the heartbeat timeout, same framework id,
// every job runs once (GET_TASKS: one task per attempt, one finished); SIGTERM to the
// workers and a double SIGINT (one Ctrl-C under npm) to the API → graceful
// stops, nothing lost; and no secret in anything the processes wrote or answered.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'undici';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FRAMEWORK_ID_QUERY, sessionWorkflowId } from '../../../activities/contract.js';
import { until } from '../../support/wait.js';
import { http, type HttpResult } from '../api/api-stack.js';
import { masterTasks, startStack, type Stack } from '../jobs/stack.js';
import { killAll, spawnMesoflow, type MesoflowProcess } from './process-support.js';

const HEARTBEAT_TIMEOUT_S = 4;
const secrets = {
  apiToken: `tok-${randomUUID()}`,
  temporalApiKey: `tkey-${randomUUID()}`,
  mesosSecret: `msec-${randomUUID()}`,
};
const procs = new Set<MesoflowProcess>();
/** Every HTTP answer the test got from the API, for the secrets check. */
const answers: string[] = [];
let stack: Stack;
let dir: string;
let apiUrl: string;
let api: MesoflowProcess;
const workers: MesoflowProcess[] = [];

const auth = () => ({ authorization: `Bearer ${secrets.apiToken}` });
async function call(path: string, init: Parameters<typeof http>[1] = {}): Promise<HttpResult> {
  const r = await http(`${apiUrl}${path}`, { ...init, headers: { ...auth(), ...init.headers } });
  answers.push(`${path} ${r.status} ${JSON.stringify(r.headers)} ${r.text}`);
  return r;
}

function baseEnv(): NodeJS.ProcessEnv {
  return {
    HOME: dir, // no user's temporal.toml
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    // The dev server ignores the key; without TLS it is still sent, so it is in the processes' memory.
    TEMPORAL_API_KEY: secrets.temporalApiKey,
    TEMPORAL_TLS: 'false',
    MESOS_MASTER: stack.cluster.masterUrl,
    MESOS_PRINCIPAL: 'mesoflow-test',
    MESOS_SECRET_FILE: join(dir, 'mesos-secret'),
    MESOFLOW_API_TOKEN_FILE: join(dir, 'api-token'),
    MESOFLOW_FRAMEWORK_NAME: stack.frameworkName,
    MESOFLOW_TASK_QUEUE: stack.taskQueue,
    MESOFLOW_SESSION_HEARTBEAT_TIMEOUT: String(HEARTBEAT_TIMEOUT_S),
    MESOFLOW_FAILOVER_TIMEOUT: '600',
    MESOFLOW_DECLINE_REFUSE_SECONDS: '1',
    MESOFLOW_LEASE_TIMEOUT_MS: '2000',
    MESOFLOW_SHUTDOWN_GRACE: '5',
    MESOFLOW_LOG_LEVEL: 'debug',
    MESOFLOW_API_TOKEN: '',
  };
}

function startWorkerProcess(name: string): MesoflowProcess {
  const w = spawnMesoflow(name, ['worker'], baseEnv(), procs);
  workers.push(w);
  return w;
}

const holding = /holding the framework session/;

/**
 * Jobs started with the test stack's short job tuning (heartbeats and polls
 * of seconds, not the production defaults), so a takeover costs seconds; the
 * API process serves them like any other job.
 */
async function submit(n: number, command: string): Promise<string[]> {
  const ids = Array.from({ length: n }, () => `p-${randomUUID().slice(0, 8)}`);
  await Promise.all(ids.map((id) => stack.start({ command, resources: { cpus: 0.1, mem: 32 } }, id)));
  return ids;
}

async function submitSpec(n: number, spec: Record<string, unknown>): Promise<string[]> {
  const ids = Array.from({ length: n }, () => `p-${randomUUID().slice(0, 8)}`);
  for (const id of ids) {
    const r = await call('/v1/jobs', { method: 'POST', body: JSON.stringify({ id, ...spec }), headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 201, r.text);
  }
  return ids;
}

async function allSucceeded(ids: string[], timeoutMs = 150_000): Promise<void> {
  await until(
    async () => {
      for (const id of ids) {
        const r = await call(`/v1/jobs/${id}`);
        if ((r.json as { status?: string }).status !== 'SUCCEEDED') return undefined;
      }
      return true;
    },
    `jobs ${ids.join(',')} to succeed`,
    timeoutMs,
    500,
  );
}

/**
 * Every job ran exactly once: the master's tasks of the job (GET_TASKS) are
 * distinct, each is one of the job's attempts, exactly one of them finished;
 * an attempt the master never saw is one whose lease was lost in the
 * handover (its launch was never sent), never a task that ran.
 */
async function checkEachJobRanOnce(t: { diagnostic(m: string): void }, ids: string[]): Promise<void> {
  const tasks = await masterTasks(stack);
  for (const id of ids) {
    const job = (await call(`/v1/jobs/${id}`)).json as { attempts: Array<{ taskId: string; state: string | null }> };
    const mine = tasks.filter((x) => x.task_id.value.startsWith(`${id}.`));
    const taskIds = mine.map((x) => x.task_id.value);
    const attemptIds = job.attempts.map((x) => x.taskId);
    const detail = `${id}: master ${JSON.stringify(mine.map((x) => [x.task_id.value, x.state]))}, job ${JSON.stringify(job.attempts.map((x) => [x.taskId, x.state]))}`;
    assert.equal(new Set(taskIds).size, taskIds.length, `one task per attempt: ${detail}`);
    assert.ok(taskIds.every((x) => attemptIds.includes(x)), `no task the job does not know: ${detail}`);
    assert.equal(mine.filter((x) => x.state === 'TASK_FINISHED').length, 1, `ran once: ${detail}`);
    for (const a of job.attempts.filter((x) => !taskIds.includes(x.taskId))) {
      assert.ok(['TASK_GONE', 'TASK_DROPPED', 'TASK_LOST', 'TASK_ERROR'].includes(a.state ?? ''), `an attempt the master never saw did not run: ${detail}`);
      t.diagnostic(`lease lost in the handover, relaunched: ${detail}`);
    }
  }
}

/** On failure, the last lines every process wrote: the story of what went wrong. */
async function explained(t: { diagnostic(m: string): void }, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    for (const p of procs) t.diagnostic(`--- ${p.name} (last lines)\n${p.output().split('\n').slice(-25).join('\n')}`);
    throw err;
  }
}

const frameworkId = () => stack.client.workflow.getHandle(sessionWorkflowId(stack.frameworkName)).query<string | undefined>(FRAMEWORK_ID_QUERY);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mesoflow-deploy-'));
  writeFileSync(join(dir, 'api-token'), `${secrets.apiToken}\n`);
  writeFileSync(join(dir, 'mesos-secret'), `${secrets.mesosSecret}\n`);
  stack = await startStack({ noWorker: true });
});

after(async () => {
  killAll(procs);
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('api and two workers as separate processes: the holder SIGKILLed → the other holds the session within the heartbeat timeout, same framework id, every job once', (t) =>
  explained(t, async () => {
    api = spawnMesoflow('api', ['api'], { ...baseEnv(), PORT: '0' }, procs);
    apiUrl = await api.waitFor(/"msg":"API listening".*?"url":"(http:\/\/[^"]+)"/);
    const a = startWorkerProcess('worker-a');
    const b = startWorkerProcess('worker-b');
    const firstId = await until(frameworkId, 'the framework to subscribe', 90_000);
    const holder = await until(() => [a, b].find((w) => holding.test(w.output())), 'a worker to hold the session');
    const other = holder === a ? b : a;
    t.diagnostic(`${holder.name} holds framework ${firstId}`);

    const unauthorized = await http(`${apiUrl}/v1/jobs`);
    answers.push(unauthorized.text);
    assert.equal(unauthorized.status, 401, 'the token from MESOFLOW_API_TOKEN_FILE is required');

    const ids = await submit(8, 'sleep 2');
    await until(async () => (await call(`/v1/jobs/${ids[0]}`)).json && ((await call(`/v1/jobs/${ids[0]}`)).json as { status: string }).status === 'RUNNING', 'a job running', 90_000, 200);
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await holder.exited;
    await other.waitFor(holding, 60_000);
    const takeoverMs = Date.now() - killedAt;
    t.diagnostic(`takeover_ms: ${takeoverMs} (heartbeat timeout ${HEARTBEAT_TIMEOUT_S * 1000} ms)`);
    // Noticing the death takes the heartbeat timeout; Temporal's retry and the
    // re-subscribe add a little on top. The bound is generous for a loaded machine.
    assert.ok(takeoverMs < HEARTBEAT_TIMEOUT_S * 1000 * 2 + 10_000, `takeover took ${takeoverMs} ms`);

    ids.push(...(await submit(4, 'true')));
    await allSucceeded(ids);
    assert.equal(await frameworkId(), firstId, 'the framework kept its id');
    await checkEachJobRanOnce(t, ids);
  }));

test('SIGTERM to the session holder: it stops gracefully (exit 0), the other worker takes over, nothing is lost', (t) =>
  explained(t, async () => {
    const holder = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null);
    assert.ok(holder);
    const c = startWorkerProcess('worker-c');
    await c.waitFor(/"msg":"worker started"/);
    const ids = await submit(6, 'sleep 3');
    await until(async () => ((await call(`/v1/jobs/${ids[0]}`)).json as { status: string }).status === 'RUNNING', 'a job running', 90_000, 200);
    const stoppedAt = Date.now();
    holder.child.kill('SIGTERM');
    const exit = await holder.exited;
    t.diagnostic(`holder_stop_ms: ${Date.now() - stoppedAt}`);
    assert.deepEqual(exit, { code: 0, signal: null }, holder.output().slice(-3000));
    assert.match(holder.output(), /"msg":"worker stopped"/);
    await c.waitFor(holding, 60_000);
    t.diagnostic(`handover_ms: ${Date.now() - stoppedAt}`);
    await allSucceeded(ids);
    await checkEachJobRanOnce(t, ids);
    for (const p of ['/metrics', '/readyz', '/openapi.json', '/v1/jobs?limit=50']) await call(p);
  }));

test('a double SIGINT within the window (one Ctrl-C under npm) is still a graceful stop: the API lets an open event stream run out its grace', async () => {
  // A job that never fits keeps its event stream open: the API's stop has to wait for it.
  const [waiting] = await submitSpec(1, { command: 'true', resources: { cpus: 1000, mem: 32 } });
  const stream = await request(`${apiUrl}/v1/jobs/${waiting}/events`, { headers: auth() });
  assert.equal(stream.statusCode, 200);
  const drained = stream.body.text().catch(() => 'cut');
  // Two signals sent back to back may be merged by the kernel into one; the
  // second is sent once the first was seen, well inside the window.
  api.child.kill('SIGINT');
  const deadline = Date.now() + 5000;
  while (!/stopping gracefully \(a second signal/.test(api.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  api.child.kill('SIGINT');
  assert.deepEqual(await api.exited, { code: 0, signal: null }, api.output().slice(-3000));
  assert.match(api.output(), /still stopping gracefully/);
  assert.doesNotMatch(api.output(), /exiting now/);
  assert.match(api.output(), /"msg":"API stopped"/);
  answers.push(String(await drained));
  await stack.client.workflow.getHandle(waiting as string).cancel();
});

test('SIGTERM to the last worker: graceful stop (exit 0), the session released', async () => {
  const c = workers.at(-1);
  assert.ok(c && c.child.exitCode === null);
  c.child.kill('SIGTERM');
  assert.deepEqual(await c.exited, { code: 0, signal: null }, c.output().slice(-3000));
  assert.match(c.output(), /"msg":"worker stopped"/);
});

test('no secret in anything the processes wrote or answered (logs, errors, API responses, /metrics, mesoflow config)', async () => {
  const config = spawnMesoflow('config', ['config', '--for', 'api'], { ...baseEnv(), MESOFLOW_API_TOKEN_FILE: '', MESOFLOW_API_TOKEN: secrets.apiToken }, procs);
  assert.equal((await config.exited).code, 0, config.output());
  assert.match(config.output(), /MESOFLOW_API_TOKEN += \*{8}/);
  assert.match(config.output(), /API key \*{8}/);
  // A wrong secret value is reported without the value.
  const bad = spawnMesoflow('bad-token', ['api'], { ...baseEnv(), MESOFLOW_API_TOKEN_FILE: '', MESOFLOW_API_TOKEN: `${secrets.apiToken} oops` }, procs);
  assert.equal((await bad.exited).code, 2, bad.output());
  assert.match(bad.output(), /^mesoflow api: invalid configuration: MESOFLOW_API_TOKEN=\*{8}: expected/);

  const everything = [...[...procs].map((p) => `--- ${p.name}\n${p.output()}`), ...answers].join('\n');
  assert.ok(everything.length > 10_000, 'the processes did write something');
  for (const [name, value] of Object.entries(secrets)) assert.ok(!everything.includes(value), `${name} appears in what was written`);
});
