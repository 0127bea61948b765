// mesoflow given only MESOS_MASTER=zk://…/mesos, the devcluster's masters
// registered in a real ZooKeeper: jobs keep running across a leader change
// (the session re-subscribes to the new leader with the same framework id),
// across a ZooKeeper restart and across the expiry of the worker's ZooKeeper
// session; /readyz tells what the detector knows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../../../api/app.js';
import type { FrameworkSession } from '../../../activities/session/framework-session.js';
import { FRAMEWORK_ID_QUERY, sessionWorkflowId } from '../../../activities/contract.js';
import { ZkLeaderDetector } from '../../../mesos/leader/zk-detector.js';
import { parseMesosMaster, type ZkMasterSpec } from '../../../mesos/master-address.js';
import { freePort, type ZooKeeperServer } from '../../../stack/zookeeper.js';
import type { JobResult } from '../../../workflows/job-workflow.js';
import { progressUntil, until } from '../../support/wait.js';
import { startTcpProxy, useZooKeeper, type TcpProxy } from '../../support/zookeeper.js';
import { startStack, type Stack } from './stack.js';

let zk: ZooKeeperServer;
let stack: Stack;
let zkUrl: string;
/** Between the worker and ZooKeeper, so the test can partition them. */
let proxy: TcpProxy;

before(async () => {
  // Sessions last at most 20 ticks: 6 s, so an expiry takes seconds; a restart (~3 s) stays within it.
  zk = await useZooKeeper({ tickTimeMs: 300 });
  zkUrl = `zk://${zk.connectString}/mesos`;
  proxy = await startTcpProxy(zk.port);
  const workerZk = `zk://127.0.0.1:${proxy.port}/mesos`;
  stack = await startStack({ cluster: { followers: 1, zk: zkUrl, zkSessionTimeoutMs: 6000 }, lateMasters: () => [workerZk] });
});
after(async () => {
  await stack?.stop();
  await proxy?.close();
  await zk?.stop({ removeData: true });
});

function held(): FrameworkSession {
  const s = [...(stack.worker?.sessions ?? [])][0];
  assert.ok(s, 'the worker holds the session');
  return s;
}

async function frameworkId(): Promise<string> {
  return until(() => stack.client.workflow.getHandle(sessionWorkflowId(stack.frameworkName)).query<string | undefined>(FRAMEWORK_ID_QUERY), 'the framework id');
}

async function runningJobs(n: number, seconds: number) {
  const handles = await Promise.all(Array.from({ length: n }, () => stack.start({ command: `sleep ${seconds}` })));
  await Promise.all(handles.map((h) => progressUntil(h, (p) => p.phase === 'running', 'jobs running')));
  return handles;
}

async function allSucceed(handles: Awaited<ReturnType<typeof runningJobs>>): Promise<void> {
  const results = (await Promise.all(handles.map((h) => h.result()))) as JobResult[];
  assert.ok(results.every((r) => r.status === 'SUCCEEDED'), JSON.stringify(results));
}

/** Moves leadership to the other master and waits until the session subscribed there. */
async function moveLeader(): Promise<void> {
  const to = stack.cluster.leaderIndex === 0 ? 1 : 0;
  const subscribes = held().stats.subscribes;
  await stack.cluster.faults.failover(to);
  const target = stack.cluster.masterUrls[to];
  await until(() => held().client.leaderUrl === target && held().stats.subscribes > subscribes && held().client.subscribed, `the session subscribed to master ${to}`, 60_000);
}

test('jobs keep running across a leader change found in ZooKeeper; same framework id', async () => {
  const id = await frameworkId();
  assert.equal(held().client.leaderUrl, stack.cluster.masterUrl, 'subscribed to the leader ZooKeeper names');
  assert.equal(held().client.leaderStatus()?.leader, stack.cluster.masterUrl);
  const handles = await runningJobs(3, 3);
  await moveLeader();
  await allSucceed(handles);
  const after = await stack.start({ command: 'true' });
  assert.equal(((await after.result()) as JobResult).status, 'SUCCEEDED');
  assert.equal(await frameworkId(), id);
  assert.equal(held().client.leaderStatus()?.leader, stack.cluster.masterUrl);
});

test('ZooKeeper restarted mid-run: jobs finish, the subscription is left alone, the next leader change is still followed', async () => {
  const handles = await runningJobs(2, 4);
  const subscribes = held().stats.subscribes;
  await zk.restart();
  await allSucceed(handles);
  await until(() => held().client.leaderStatus()?.problem === undefined, 'the detector reconnected', 30_000);
  assert.equal(held().stats.subscribes, subscribes, 'no re-subscribe for a ZooKeeper restart');
  await moveLeader();
  const after = await stack.start({ command: 'true' });
  assert.equal(((await after.result()) as JobResult).status, 'SUCCEEDED');
});

test("the worker's ZooKeeper session expires (partitioned past its timeout): a new session finds the same leader, jobs go on, later changes are followed", async () => {
  const id = await frameworkId();
  const detector = held().client.leaderDetector as ZkLeaderDetector;
  const old = detector.sessionCredentials();
  assert.ok(old);
  const handles = await runningJobs(2, 3);
  const subscribes = held().stats.subscribes;
  // Partitioned from ZooKeeper past the session timeout: the server expires the session; the stream to the master is untouched.
  proxy.partition();
  await until(() => /connection lost|unreachable/.test(detector.status().problem ?? ''), 'the detector to notice the partition', 30_000);
  // The expiry itself cannot be watched from here: stay away past the negotiated timeout (6 s) with margin; the new session id checked below proves it expired.
  await new Promise((r) => setTimeout(r, 9000));
  proxy.heal();
  await until(() => {
    const now = detector.sessionCredentials();
    return now !== undefined && !now.sessionId.equals(old.sessionId) && detector.status().leader === stack.cluster.masterUrl && detector.status().problem === undefined;
  }, 'a new ZooKeeper session naming the same leader', 30_000);
  await allSucceed(handles);
  assert.equal(held().stats.subscribes, subscribes, 'the same leader: no re-subscribe');
  await moveLeader();
  const after = await stack.start({ command: 'true' });
  assert.equal(((await after.result()) as JobResult).status, 'SUCCEEDED');
  assert.equal(await frameworkId(), id);
});

test('/readyz reports the leader ZooKeeper names, ZooKeeper unreachable, and a path with no master', async () => {
  const readyz = async (master: string) => {
    const leaderDetector = new ZkLeaderDetector({ spec: parseMesosMaster(master) as ZkMasterSpec, connectTimeoutMs: 500 });
    try {
      const api = createApi({ client: stack.client, namespace: stack.temporal.namespace, frameworkName: stack.frameworkName, taskQueue: stack.taskQueue, masters: [], leaderDetector });
      return await until(
        async () => {
          const res = await api.app.request('/readyz');
          const body = (await res.json()) as { checks: { mesosLeader?: { ok: boolean; detail: string } } };
          const check = body.checks.mesosLeader;
          return check && !/connecting/.test(check.detail) ? { status: res.status, check } : undefined;
        },
        `/readyz with ${master}`,
        20_000,
      );
    } finally {
      await leaderDetector.close();
    }
  };
  const ok = await readyz(zkUrl);
  assert.equal(ok.status, 200);
  assert.equal(ok.check.ok, true);
  assert.match(ok.check.detail, new RegExp(`leader ${stack.cluster.masterUrl.replace(/\./g, '\\.')}`));
  const dead = await readyz(`zk://127.0.0.1:${await freePort()}/mesos`);
  assert.equal(dead.status, 503);
  assert.match(dead.check.detail, /no leading Mesos master known from zk:\/\/127\.0\.0\.1:\d+\/mesos: ZooKeeper unreachable: 127\.0\.0\.1:\d+ ECONNREFUSED/);
  const empty = await readyz(`zk://${zk.connectString}/no-masters-here`);
  assert.equal(empty.status, 503);
  assert.match(empty.check.detail, /\/no-masters-here does not exist/);
});
