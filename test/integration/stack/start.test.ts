// `mesoflow start` as a user runs it: everything up on ephemeral ports, a job
// runs, Ctrl-C stops it all (task processes included), and a restart on the
// same data directory still knows the jobs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { sessionWorkflowId } from '../../../activities/contract.js';
import { startDevCluster } from '../../../devcluster/index.js';
import { alive, spawnUntil } from '../../support/processes.js';
import { useTemporal } from '../../support/temporal.js';
import { http, jobUntil, postJson } from '../api/api-stack.js';

const bin = fileURLToPath(new URL('../../../cli/bin.js', import.meta.url));
const children = new Set<ChildProcess>();
let dataDir: string | undefined;

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  api: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function start(dir: string): Promise<Started> {
  const started = await spawnUntil(
    [bin, 'start'],
    {
      PORT: '0',
      MESOFLOW_TEMPORAL_PORT: '0',
      MESOFLOW_TEMPORAL_UI_PORT: '0',
      MESOFLOW_DEVCLUSTER_PORT: '0',
      MESOFLOW_DATA_DIR: dir,
      MESOFLOW_DEVCLUSTER_RESOURCES: 'cpus:2;mem:2048;disk:1024;ports:[31000-31100]',
      TEMPORAL_ADDRESS: '',
      MESOS_MASTER: '',
      MESOFLOW_API_TOKEN: '',
    },
    /API: +(http:\/\/\S+)/,
    { track: children },
  );
  return { child: started.child, api: started.match, output: started.output, exited: started.exited };
}

test('mesoflow start: up, a job runs, Ctrl-C stops everything, a restart keeps the jobs', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mesoflow-start-'));
  const first = await start(dataDir);
  assert.match(first.output(), /API docs: +http:\/\/\S+\/docs/);
  assert.match(first.output(), /Temporal Web UI: +http:\/\/\S+/);
  const done = await postJson(`${first.api}/v1/jobs`, { command: 'echo persisted', id: 'start-test-job' });
  assert.equal(done.status, 201, done.text);
  await jobUntil(first.api, 'start-test-job', (j) => j.status === 'SUCCEEDED', 90_000);
  // Tasks run as `nobody` when the tests run as root: the pid goes where anyone may write.
  const pidDir = join(dataDir, 'pids');
  await chmod(dataDir, 0o755);
  await mkdir(pidDir, { mode: 0o1777 });
  await chmod(pidDir, 0o1777);
  const pidFile = join(pidDir, 'task.pid');
  const long = await postJson(`${first.api}/v1/jobs`, { command: `echo $$ > ${pidFile}; exec sleep 300` });
  await jobUntil(first.api, (long.json as { id: string }).id, (j) => j.status === 'RUNNING', 90_000);
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  assert.ok(alive(pid));
  // One Ctrl-C under `npm start` arrives twice (terminal and npm): still a graceful stop.
  first.child.kill('SIGINT');
  first.child.kill('SIGINT');
  assert.equal(await first.exited, 0, first.output());
  assert.match(first.output(), /stopped/);
  assert.doesNotMatch(first.output(), /exiting now/);
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(pid), false, 'the task process outlived the stack');

  const second = await start(dataDir);
  const again = await http(`${second.api}/v1/jobs/start-test-job`);
  assert.equal(again.status, 200, again.text);
  // Answered by replaying the closed workflow on the new worker: the whole progress, not only the status.
  const job = again.json as { status: string; exitCode: number | null; attempts: Array<{ state: string | null }> };
  assert.equal(job.status, 'SUCCEEDED');
  assert.equal(job.exitCode, 0);
  assert.equal(job.attempts[0]?.state, 'TASK_FINISHED');
  const logs = await http(`${second.api}/v1/jobs/start-test-job`);
  assert.equal(logs.status, 200);
  second.child.kill('SIGINT');
  assert.equal(await second.exited, 0, second.output());
});

test('mesoflow start with TEMPORAL_ADDRESS and MESOS_MASTER connects to them instead of starting its own', async () => {
  const temporal = await useTemporal();
  const cluster = await startDevCluster({ agents: 1, resources: 'cpus:2;mem:1024;disk:1024;ports:[31000-31100]', allocationIntervalMs: 100 });
  const framework = `start-ext-${process.pid}`;
  const dir = await mkdtemp(join(tmpdir(), 'mesoflow-start-ext-'));
  try {
    const started = await spawnUntil(
      [bin, 'start'],
      {
        PORT: '0',
        MESOFLOW_DATA_DIR: dir,
        TEMPORAL_ADDRESS: temporal.address,
        MESOS_MASTER: cluster.masterUrl,
        MESOFLOW_FRAMEWORK_NAME: framework,
        MESOFLOW_TASK_QUEUE: `q-${framework}`,
        MESOFLOW_DECLINE_REFUSE_SECONDS: '1',
        MESOFLOW_API_TOKEN: 'tok',
      },
      /API: +(http:\/\/\S+)/,
      { track: children },
    );
    const { child, exited, match: api } = started;
    const out = started.output();
    assert.match(out, new RegExp(`Temporal: +${temporal.address.replace(/\./g, '\\.')}`));
    assert.match(out, new RegExp(`Mesos master: +${cluster.masterUrl.replace(/\./g, '\\.')}\\s*$`, 'm'));
    assert.doesNotMatch(out, /Temporal Web UI/);
    assert.equal((await http(`${api}/v1/jobs`)).status, 401);
    const auth = { authorization: 'Bearer tok' };
    const r = await postJson(`${api}/v1/jobs`, { command: 'echo external' }, auth);
    assert.equal(r.status, 201, r.text);
    const id = (r.json as { id: string }).id;
    const deadlineJob = Date.now() + 60_000;
    let status = '';
    while (status !== 'SUCCEEDED' && Date.now() < deadlineJob) {
      status = ((await http(`${api}/v1/jobs/${id}`, { headers: auth })).json as { status: string }).status;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(status, 'SUCCEEDED');
    child.kill('SIGINT');
    assert.equal(await exited, 0, started.output());
    const connection = await Connection.connect({ address: temporal.address });
    await new Client({ connection }).workflow.getHandle(sessionWorkflowId(framework)).terminate('test over').catch(() => undefined);
    await connection.close();
  } finally {
    await cluster.stop();
    await temporal.release();
    await rm(dir, { recursive: true, force: true });
  }
});
