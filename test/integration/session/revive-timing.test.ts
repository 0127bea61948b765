// Free room reaches a job at once, not at the master's next allocation:
// Mesos offers recovered resources (a task that ended, what an ACCEPT left
// over) only when it allocates (every allocation interval), or right after
// a REVIVE. The devcluster here allocates once a minute, so a job that got
// its offer within seconds got it from one of the session's REVIVEs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../common/logger.js';
import { startDevCluster, type DevCluster } from '../../../devcluster/index.js';
import { FrameworkSession } from '../../../activities/session/framework-session.js';
import type { TaskUpdateSignal } from '../../../activities/contract.js';
import { jobSpec } from '../../../workflows/job-spec.js';
import { until } from '../../support/wait.js';
import { sessionSettings } from '../../../activities/session/session-settings.js';
import { compileWorkerConfig } from '../../../worker/config.js';

const ALLOCATION_INTERVAL_MS = 60_000;
let cluster: DevCluster;
let session: FrameworkSession;
const abort = new AbortController();
const updates: TaskUpdateSignal[] = [];

before(async () => {
  // Room for exactly one task of the spec below.
  cluster = await startDevCluster({ agents: 1, resources: 'cpus:1;mem:256;disk:64;ports:[31000-31010]', allocationIntervalMs: ALLOCATION_INTERVAL_MS, heartbeatIntervalMs: 1000, statusUpdateRetryMs: 500 });
  session = new FrameworkSession({
    frameworkName: 'freed-resources-test',
    frameworkId: undefined,
    settings: sessionSettings(compileWorkerConfig({ masters: [cluster.masterUrl], frameworkUser: 'root', suppressDelayMs: 60_000 })),
    logger: silentLogger,
    signalJob: async (_wf, u) => {
      updates.push(u);
      return 'delivered';
    },
    onFrameworkId: async () => undefined,
  });
  void session.run(abort.signal);
});
after(async () => {
  abort.abort();
  await session.close();
  await cluster.stop();
});

const spec = jobSpec({ command: 'true', resources: { cpus: 1, mem: 128 } });
const never = new AbortController().signal;

test("a job waiting for the room of a task gets it when the task ends, without waiting for the master's next allocation", async () => {
  const started = Date.now();
  const a = await session.awaitOffer({ jobId: 'job-a', taskId: 'job-a.1', spec, pollMs: 30_000 }, never);
  assert.ok(a.kind === 'leased', 'the first job got the offer that came with the subscription');
  // The second job waits: the only offer is leased to the first one.
  const b = session.awaitOffer({ jobId: 'job-b', taskId: 'job-b.1', spec, pollMs: 30_000 }, never);
  const revivesBefore = session.stats.revives;
  assert.equal((await session.launch({ jobId: 'job-a', attempt: 1, taskId: 'job-a.1', spec, lease: a.lease })).kind, 'launched');
  const second = await b;
  assert.ok(second.kind === 'leased', `the second job got an offer (${JSON.stringify(second)})`);
  assert.ok(
    updates.some((u) => u.taskId === 'job-a.1' && u.state === 'TASK_FINISHED'),
    'it is the room of the first task, which ended before',
  );
  assert.ok(session.stats.revives > revivesBefore, 'the session REVIVEd after the task ended');
  assert.ok(Date.now() - started < ALLOCATION_INTERVAL_MS / 2, `well before the next periodic allocation (${Date.now() - started} ms)`);
  assert.equal((await session.launch({ jobId: 'job-b', attempt: 1, taskId: 'job-b.1', spec, lease: second.lease })).kind, 'launched');
  await until(() => updates.some((u) => u.taskId === 'job-b.1' && u.state === 'TASK_FINISHED'), 'the second task to finish', 20_000, 50);
});

test('a job arriving while none waits gets the free room at once, not at the next allocation', async () => {
  // The previous test's tasks ended and nobody waits: the room sits with the master.
  await until(() => updates.some((u) => u.taskId === 'job-b.1' && u.state === 'TASK_FINISHED'), 'the previous task to end', 20_000, 50);
  const started = Date.now();
  const revivesBefore = session.stats.revives;
  const c = await session.awaitOffer({ jobId: 'job-c', taskId: 'job-c.1', spec, pollMs: 30_000 }, never);
  assert.ok(c.kind === 'leased', `the job got an offer (${JSON.stringify(c)})`);
  assert.ok(session.stats.revives > revivesBefore, 'the session REVIVEd for it');
  assert.ok(Date.now() - started < ALLOCATION_INTERVAL_MS / 2, `well before the next periodic allocation (${Date.now() - started} ms)`);
  assert.equal((await session.launch({ jobId: 'job-c', attempt: 1, taskId: 'job-c.1', spec, lease: c.lease })).kind, 'launched');
  await until(() => updates.some((u) => u.taskId === 'job-c.1' && u.state === 'TASK_FINISHED'), 'the task to finish', 20_000, 50);
});
