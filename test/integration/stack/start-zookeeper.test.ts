// `mesoflow start` with MESOS_MASTER=zk://user:pass@…/mesos, the devcluster's
// masters registered in a real ZooKeeper: the worker and the API both find
// the leader there (a job runs, its output is read through the agent the
// leader names), /readyz shows the leader, and the password never shows.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { sessionWorkflowId } from '../../../activities/contract.js';
import { startDevCluster } from '../../../devcluster/index.js';
import { spawnUntil } from '../../support/processes.js';
import { useTemporal } from '../../support/temporal.js';
import { useZooKeeper } from '../../support/zookeeper.js';
import { http, jobUntil, postJson } from '../api/api-stack.js';

const bin = fileURLToPath(new URL('../../../cli/bin.js', import.meta.url));
const children = new Set<ChildProcess>();

after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

test('mesoflow start with a zk:// MESOS_MASTER: jobs run on the leader ZooKeeper names; /readyz shows it; the password stays hidden', async () => {
  const zk = await useZooKeeper();
  const temporal = await useTemporal();
  const cluster = await startDevCluster({
    agents: 1,
    followers: 1,
    resources: 'cpus:2;mem:1024;disk:1024;ports:[31000-31100]',
    allocationIntervalMs: 100,
    zk: `zk://${zk.connectString}/mesos`,
  });
  const framework = `start-zk-${process.pid}`;
  const dir = await mkdtemp(join(tmpdir(), 'mesoflow-start-zk-'));
  const secret = 'zk-s3cret-pw';
  try {
    const started = await spawnUntil(
      [bin, 'start'],
      {
        PORT: '0',
        MESOFLOW_DATA_DIR: dir,
        TEMPORAL_ADDRESS: temporal.address,
        // Digest credentials: this ZooKeeper has no ACLs, so they are accepted and unused, as with an open Mesos path.
        MESOS_MASTER: `zk://mesoflow:${secret}@${zk.connectString}/mesos`,
        MESOFLOW_FRAMEWORK_NAME: framework,
        MESOFLOW_TASK_QUEUE: `q-${framework}`,
        MESOFLOW_DECLINE_REFUSE_SECONDS: '1',
        MESOFLOW_API_TOKEN: '',
        MESOFLOW_LOG_LEVEL: 'info',
      },
      /API: +(http:\/\/\S+)/,
      { track: children },
    );
    const { child, exited, match: api } = started;
    assert.match(started.output(), new RegExp(`Mesos master: +zk://mesoflow:\\*{8}@${zk.connectString.replace(/\./g, '\\.')}/mesos`));
    const r = await postJson(`${api}/v1/jobs`, { command: 'echo found through zookeeper' });
    assert.equal(r.status, 201, r.text);
    const id = (r.json as { id: string }).id;
    await jobUntil(api, id, (j) => j.status === 'SUCCEEDED', 90_000);
    const logs = await http(`${api}/v1/jobs/${id}/logs?stream=stdout`);
    assert.equal(logs.status, 200, logs.text);
    assert.equal(logs.text, 'found through zookeeper\n');
    const ready = await http(`${api}/readyz`);
    assert.equal(ready.status, 200, ready.text);
    const checks = (ready.json as { checks: { mesosLeader: { ok: boolean; detail: string } } }).checks;
    assert.equal(checks.mesosLeader.ok, true);
    assert.ok(checks.mesosLeader.detail.startsWith(`leader ${cluster.masterUrl} (from zk://mesoflow:********@`), checks.mesosLeader.detail);

    // A separately started `mesoflow api` finds the leader the same way: its own detector serves log reads and /readyz.
    const apiOnly = await spawnUntil(
      [bin, 'api'],
      {
        PORT: '0',
        TEMPORAL_ADDRESS: temporal.address,
        MESOS_MASTER: `zk://mesoflow:${secret}@${zk.connectString}/mesos`,
        MESOFLOW_FRAMEWORK_NAME: framework,
        MESOFLOW_TASK_QUEUE: `q-${framework}`,
        MESOFLOW_API_TOKEN: '',
        MESOFLOW_API_TOKEN_FILE: '',
        MESOFLOW_LOG_LEVEL: 'info',
      },
      /"msg":"API listening".*?"url":"(http:\/\/[^"]+)"/,
      { track: children },
    );
    const apiLogs = await http(`${apiOnly.match}/v1/jobs/${id}/logs?stream=stdout`);
    assert.equal(apiLogs.status, 200, apiLogs.text);
    assert.equal(apiLogs.text, 'found through zookeeper\n');
    const apiReady = await http(`${apiOnly.match}/readyz`);
    assert.equal(apiReady.status, 200, apiReady.text);
    const apiChecks = (apiReady.json as { checks: { mesosLeader: { ok: boolean; detail: string } } }).checks;
    assert.ok(apiChecks.mesosLeader.detail.startsWith(`leader ${cluster.masterUrl} (from zk://mesoflow:********@`), apiChecks.mesosLeader.detail);
    apiOnly.child.kill('SIGTERM');
    assert.equal(await apiOnly.exited, 0, apiOnly.output());
    assert.ok(!apiOnly.output().includes(secret) && !apiReady.text.includes(secret), 'the ZooKeeper password appeared in the API process\'s output');

    child.kill('SIGINT');
    assert.equal(await exited, 0, started.output());
    assert.ok(!started.output().includes(secret), 'the ZooKeeper password appeared in the output');
    assert.ok(!ready.text.includes(secret));
    const connection = await Connection.connect({ address: temporal.address });
    await new Client({ connection }).workflow.getHandle(sessionWorkflowId(framework)).terminate('test over').catch(() => undefined);
    await connection.close();
  } finally {
    await cluster.stop();
    await temporal.release();
    await zk.stop({ removeData: true });
    await rm(dir, { recursive: true, force: true });
  }
});
