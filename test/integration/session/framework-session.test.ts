// The framework session against the devcluster over HTTP, without Temporal
// in between: what the job workflow's activities rely on when a launch comes
// late or is retried by another holder of the session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../common/logger.js';
import { startDevCluster, type DevCluster } from '../../../devcluster/index.js';
import { FrameworkSession, SessionClosedError, type FrameworkSessionOptions } from '../../../activities/session/framework-session.js';
import type { TaskUpdateSignal } from '../../../activities/contract.js';
import { jobSpec } from '../../../workflows/job-spec.js';
import { until } from '../../support/wait.js';
import { sessionSettings } from '../../../activities/session/session-settings.js';
import { compileWorkerConfig } from '../../../worker/config.js';

let cluster: DevCluster;
const sessions: FrameworkSession[] = [];
const aborts: AbortController[] = [];

before(async () => {
  cluster = await startDevCluster({ agents: 1, resources: 'cpus:4;mem:4096;disk:1024;ports:[31000-31100]', allocationIntervalMs: 100, heartbeatIntervalMs: 1000, statusUpdateRetryMs: 500 });
});
after(async () => {
  for (const a of aborts) a.abort();
  await Promise.all(sessions.map((s) => s.close()));
  await cluster.stop();
});

function open(updates: TaskUpdateSignal[], overrides: Partial<FrameworkSessionOptions> = {}): { session: FrameworkSession; ids: string[] } {
  const ids: string[] = [];
  const session = new FrameworkSession({
    frameworkName: 'session-test',
    frameworkId: undefined,
    settings: sessionSettings(
      compileWorkerConfig({
        masters: [cluster.masterUrl],
        heartbeatMissLimit: 3,
        frameworkUser: 'root',
        failoverTimeoutSeconds: 600,
        declineRefuseSeconds: 1,
        leaseTimeoutMs: 5000,
        batchWindowMs: 50,
        suppressDelayMs: 300,
        reconcileIntervalSeconds: 60,
      }),
    ),
    logger: silentLogger,
    signalJob: async (_wf, u) => {
      updates.push(u);
      return 'delivered';
    },
    onFrameworkId: async (id) => void ids.push(id),
    ...overrides,
  });
  const abort = new AbortController();
  aborts.push(abort);
  sessions.push(session);
  void session.run(abort.signal);
  return { session, ids };
}

const spec = jobSpec({ command: 'sleep 1', resources: { cpus: 0.1, mem: 16 } });
const never = new AbortController().signal;

test('a launch that comes after its offer was accepted without it is placed again, not lost', async () => {
  const updates: TaskUpdateSignal[] = [];
  const { session } = open(updates);
  const [a, b] = await Promise.all([
    session.awaitOffer({ jobId: 'job-a', taskId: 'job-a.1', spec, pollMs: 20_000 }, never),
    session.awaitOffer({ jobId: 'job-b', taskId: 'job-b.1', spec, pollMs: 20_000 }, never),
  ]);
  assert.ok(a.kind === 'leased' && b.kind === 'leased');
  assert.equal(a.lease.offerId, b.lease.offerId, 'both leased on the same offer');
  const ra = await session.launch({ jobId: 'job-a', attempt: 1, taskId: 'job-a.1', spec, lease: a.lease });
  assert.equal(ra.kind, 'launched');
  // b comes back only after the batch window sent the ACCEPT without it.
  const rb = await session.launch({ jobId: 'job-b', attempt: 1, taskId: 'job-b.1', spec, lease: b.lease });
  assert.equal(rb.kind, 'launched');
  await until(() => ['job-a.1', 'job-b.1'].every((t) => updates.some((u) => u.taskId === t && u.state === 'TASK_FINISHED')), 'both tasks to finish', 30_000, 50);
  // The same launch retried returns the first answer.
  assert.deepEqual(await session.launch({ jobId: 'job-a', attempt: 1, taskId: 'job-a.1', spec, lease: a.lease }), ra);
  await session.close();
});

test('a launch retried on a new holder of the session asks the master: launched once, or not at all', async () => {
  const updates: TaskUpdateSignal[] = [];
  const first = open(updates);
  const c = await first.session.awaitOffer({ jobId: 'job-c', taskId: 'job-c.1', spec: jobSpec({ command: 'sleep 5' }), pollMs: 20_000 }, never);
  const d = await first.session.awaitOffer({ jobId: 'job-d', taskId: 'job-d.1', spec, pollMs: 20_000 }, never);
  assert.ok(c.kind === 'leased' && d.kind === 'leased');
  assert.equal((await first.session.launch({ jobId: 'job-c', attempt: 1, taskId: 'job-c.1', spec: jobSpec({ command: 'sleep 5' }), lease: c.lease })).kind, 'launched');
  const frameworkId = first.session.frameworkId;
  assert.ok(frameworkId);
  await first.session.close();
  // The next holder subscribes with the same framework id and sees the leases for the first time.
  const second = open(updates, { frameworkId });
  const again = await second.session.launch({ jobId: 'job-c', attempt: 1, taskId: 'job-c.1', spec, lease: c.lease });
  assert.equal(again.kind, 'already-launched');
  const never1 = await second.session.launch({ jobId: 'job-d', attempt: 1, taskId: 'job-d.1', spec, lease: d.lease });
  assert.equal(never1.kind, 'offer-lost');
  assert.equal(second.session.frameworkId, frameworkId);
  const stats = cluster.stats() as { launched_task_infos: number };
  assert.equal(stats.launched_task_infos, 3, 'job-a, job-b and job-c once each; job-d never');
});

test('a rescinded offer: the launch of its lease is placed on another offer', async () => {
  const updates: TaskUpdateSignal[] = [];
  const { session } = open(updates);
  const e = await session.awaitOffer({ jobId: 'job-e', taskId: 'job-e.1', spec, pollMs: 20_000 }, never);
  assert.ok(e.kind === 'leased');
  assert.equal(cluster.faults.rescindOffer(e.lease.offerId), true);
  await until(() => !session.holdsOffer(e.lease.offerId), 'the RESCIND to arrive', 30_000, 50);
  const r = await session.launch({ jobId: 'job-e', attempt: 1, taskId: 'job-e.1', spec, lease: e.lease });
  assert.equal(r.kind, 'launched');
  await until(() => updates.some((u) => u.taskId === 'job-e.1' && u.state === 'TASK_FINISHED'), 'the task to finish', 30_000, 50);
  await session.close();
});

test('closing the session fails the jobs waiting on it, so that their activities are retried where the session lives next', async () => {
  const { session } = open([]);
  await until(() => session.stats.subscribes > 0, 'the session to subscribe', 30_000, 50);
  const waiting = session.awaitOffer({ jobId: 'job-f', taskId: 'job-f.1', spec: jobSpec({ command: 'true', resources: { cpus: 64 } }), pollMs: 600_000 }, never);
  // Positive proof it waits: an offer was weighed for it and did not fit.
  await until(() => (session.waitingSummary('job-f.1')?.offersSeen ?? 0) > 0, 'an offer to be weighed for the job', 30_000, 50);
  const failed = assert.rejects(waiting, SessionClosedError);
  await session.close();
  await failed;
});
