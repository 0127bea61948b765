// Framework lifecycle (spec §8.1, §8.2, §10, mesos-transcripts/11, 13):
// disconnect within failover_timeout keeps tasks, re-SUBSCRIBE resumes, a
// second SUBSCRIBE fails the first over, TEARDOWN removes the framework.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { EventStreamReader, ack, call, cluster, frameworkInfo, http, launch, nextOffer, nextUpdate, subscribe, task, type Status } from './master-support.js';

type Obj = Record<string, unknown>;

async function eventually(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('devcluster master: framework failover and teardown', () => {
  let dc: DevCluster;
  let agentId: string;
  before(async () => {
    dc = await cluster({ allocationIntervalMs: 100 });
    agentId = dc.agents[0]?.info.id ?? '';
  });
  after(async () => {
    await dc.stop();
  });

  it('keeps the task of a disconnected framework, answers 403, and resumes on re-SUBSCRIBE; a second SUBSCRIBE fails the first over', async () => {
    const info = frameworkInfo('failover', { failover_timeout: 60 });
    const s1 = await subscribe(dc.masterUrl, info);
    const fid = { value: s1.frameworkId };
    const offer = await nextOffer(s1);
    await s1.call(launch([offer.id.value], [task('fo-sleep', agentId, 'sleep 30')]));
    await ack(s1, await nextUpdate(s1, 'fo-sleep', 'TASK_STARTING'));
    await ack(s1, await nextUpdate(s1, 'fo-sleep', 'TASK_RUNNING'));
    s1.stream.close();
    await eventually(async () => (await call(dc.masterUrl, { type: 'RECONCILE', framework_id: fid, reconcile: { tasks: [] } }, s1.streamId)).status === 403);
    const denied = await call(dc.masterUrl, { type: 'RECONCILE', framework_id: fid, reconcile: { tasks: [] } }, s1.streamId);
    assert.equal(denied.body, 'Framework is not subscribed');
    const frameworks = JSON.parse((await http(`${dc.masterUrl}/master/frameworks?framework_id=${s1.frameworkId}`, { method: 'GET' })).body) as { frameworks: Obj[] };
    assert.equal(frameworks.frameworks[0]?.active, false);
    assert.equal(frameworks.frameworks[0]?.connected, false);

    const s2 = await subscribe(dc.masterUrl, { ...info, id: fid });
    assert.equal(s2.frameworkId, s1.frameworkId);
    assert.notEqual(s2.streamId, s1.streamId);
    const offer2 = await nextOffer(s2);
    const cpus = offer2.resources.find((r) => r.name === 'cpus') as { scalar: { value: number } };
    assert.equal(cpus.scalar.value, 1.9);
    await s2.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'fo-sleep' }, agent_id: { value: agentId } }] } });
    const st = await nextUpdate(s2, 'fo-sleep');
    assert.equal(st.state, 'TASK_RUNNING');
    assert.equal(st.message, 'Reconciliation: Latest task state');

    const s3 = await subscribe(dc.masterUrl, { ...info, id: fid });
    const error = await s2.stream.next((e) => e.type === 'ERROR');
    assert.deepEqual(error, { type: 'ERROR', error: { message: 'Framework failed over' } });
    await s2.stream.waitEnd();
    assert.ok(!s2.stream.events.some((e) => e.type === 'RESCIND'));
    const stale = await call(dc.masterUrl, { type: 'REVIVE', framework_id: fid, revive: {} }, s2.streamId);
    assert.equal(stale.status, 400);
    assert.equal(stale.body, `The stream ID '${s2.streamId}' included in this request didn't match the stream ID currently associated with framework ID ${s1.frameworkId}`);
    await nextOffer(s3);

    // TEARDOWN with the task running: the stream ends without an event, the task is TASK_KILLED in the master only.
    const before = s3.stream.events.length;
    assert.equal((await s3.call({ type: 'TEARDOWN' })).status, 202);
    await s3.stream.waitEnd();
    assert.equal(s3.stream.events.slice(before).filter((e) => e.type !== 'HEARTBEAT').length, 0);
    const tasks = JSON.parse((await http(`${dc.masterUrl}/api/v1`, { headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{"type":"GET_TASKS"}' })).body) as Obj;
    const completed = ((tasks.get_tasks as Obj).completed_tasks as Obj[]).find((t) => (t.task_id as { value: string }).value === 'fo-sleep') as Obj;
    assert.equal(completed.state, 'TASK_KILLED');
    assert.equal(completed.status_update_state, 'TASK_RUNNING');
    const last = (completed.statuses as Status[]).at(-1) as Status;
    assert.deepEqual({ ...last, timestamp: 0 }, {
      task_id: { value: 'fo-sleep' },
      state: 'TASK_KILLED',
      message: `Framework ${s1.frameworkId} removed`,
      source: 'SOURCE_MASTER',
      reason: 'REASON_FRAMEWORK_REMOVED',
      agent_id: { value: agentId },
      timestamp: 0,
    });
    assert.equal((await call(dc.masterUrl, { type: 'REVIVE', framework_id: fid }, s3.streamId)).body, 'Framework cannot be found');
    const again = new EventStreamReader(dc.masterUrl, { type: 'SUBSCRIBE', framework_id: fid, subscribe: { framework_info: { ...info, id: fid } } });
    await again.opened;
    assert.deepEqual(await again.next(), { type: 'ERROR', error: { message: 'Framework has been removed' } });
    await again.waitEnd();
  });

  it('removes a framework whose failover_timeout expires, killing its tasks', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('short-failover', { failover_timeout: 0.3 }));
    const offer = await nextOffer(s);
    await s.call(launch([offer.id.value], [task('sf-sleep', agentId, 'sleep 30')]));
    await ack(s, await nextUpdate(s, 'sf-sleep', 'TASK_STARTING'));
    s.stream.close();
    await eventually(async () => (await call(dc.masterUrl, { type: 'REVIVE', framework_id: { value: s.frameworkId } }, s.streamId)).body === 'Framework cannot be found');
  });

  it('accepts a SUBSCRIBE with an id it never saw (as after a master failover)', async () => {
    const id = { value: `${dc.masterId}-9999` };
    const s = await subscribe(dc.masterUrl, frameworkInfo('unknown-id', { id }));
    assert.equal(s.frameworkId, id.value);
    await s.call({ type: 'TEARDOWN' });
  });

  it('UPDATE_FRAMEWORK answers 200 when valid and 400 with Mesos texts otherwise', async () => {
    const info = frameworkInfo('update', { failover_timeout: 10 });
    const s = await subscribe(dc.masterUrl, info);
    const id = { value: s.frameworkId };
    const ok = await s.call({ type: 'UPDATE_FRAMEWORK', update_framework: { framework_info: { ...info, id, name: 'renamed' } } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, '');
    const user = await s.call({ type: 'UPDATE_FRAMEWORK', update_framework: { framework_info: { ...info, id, user: 'other' } } });
    assert.equal(user.status, 400);
    assert.equal(user.body, "FrameworkInfo update is not valid: Updating 'FrameworkInfo.user' is unsupported; attempted to update from 'root' to 'other'");
    const mismatch = await s.call({ type: 'UPDATE_FRAMEWORK', update_framework: { framework_info: { ...info } } });
    assert.equal(mismatch.body, "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'");
    const suppressed = await s.call({ type: 'UPDATE_FRAMEWORK', update_framework: { framework_info: { ...info, id }, suppressed_roles: ['x'] } });
    assert.equal(suppressed.body, "'UpdateFramework' call is not valid: Suppressed roles { x } are not contained in the set of roles");
    const state = JSON.parse((await http(`${dc.masterUrl}/master/frameworks`, { method: 'GET' })).body) as { frameworks: Obj[] };
    assert.ok(state.frameworks.some((f) => f.name === 'renamed'));
    await s.call({ type: 'TEARDOWN' });
  });
});
