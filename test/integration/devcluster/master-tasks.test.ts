// Task lifecycle through the master: KILL (spec §8.7, mesos-transcripts/05),
// the one-update-in-flight stream released by ACKNOWLEDGE (§12.3), and
// reconciliation, explicit and implicit, plain and PARTITION_AWARE (§12.4,
// mesos-transcripts/09).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { ack, cluster, frameworkInfo, launch, nextOffer, nextUpdate, subscribe, task, type Status, type Subscription } from './master-support.js';

type Obj = Record<string, unknown>;

async function runUntil(s: Subscription, taskId: string, state: string): Promise<Status> {
  for (;;) {
    const st = await nextUpdate(s, taskId);
    await ack(s, st);
    if (st.state === state) return st;
  }
}

function reconciliation(st: Status): Obj {
  const { timestamp, container_status, ...rest } = st;
  assert.equal(typeof timestamp, 'number');
  assert.equal(st.uuid, undefined);
  return { ...rest, has_container_status: container_status !== undefined };
}

describe('devcluster master: tasks', () => {
  let dc: DevCluster;
  let agentId: string;
  before(async () => {
    dc = await cluster({ allocationIntervalMs: 100, statusUpdateRetryMs: 60_000 });
    agentId = dc.agents[0]?.info.id ?? '';
  });
  after(async () => {
    await dc.stop();
  });

  it('KILL kills a running task; KILL of unknown tasks answers like reconciliation', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('kill'));
    const offer = await nextOffer(s);
    await s.call(launch([offer.id.value], [task('k-sleep', agentId, 'sleep 300')], { refuse_seconds: 0 }));
    await runUntil(s, 'k-sleep', 'TASK_RUNNING');
    assert.equal((await s.call({ type: 'KILL', kill: { task_id: { value: 'k-sleep' }, agent_id: { value: agentId } } })).status, 202);
    const killed = await nextUpdate(s, 'k-sleep', 'TASK_KILLED');
    assert.equal(killed.message, 'Command terminated with signal Terminated');
    assert.equal(killed.source, 'SOURCE_EXECUTOR');
    await ack(s, killed);

    await s.call({ type: 'KILL', kill: { task_id: { value: 'k-none' } } });
    const unknown = await nextUpdate(s, 'k-none');
    assert.deepEqual(reconciliation(unknown), {
      task_id: { value: 'k-none' },
      state: 'TASK_LOST',
      message: 'Reconciliation: Task is unknown',
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
      has_container_status: false,
    });
    await s.call({ type: 'KILL', kill: { task_id: { value: 'k-sleep' }, agent_id: { value: agentId } } });
    const gone = await nextUpdate(s, 'k-sleep', 'TASK_LOST');
    assert.equal(gone.message, 'Reconciliation: Task is unknown to the agent');
    assert.deepEqual(gone.agent_id, { value: agentId });
    await s.call({ type: 'TEARDOWN' });
  });

  it('sends the next update of a task only after the previous one is acknowledged', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('ack'));
    const offer = await nextOffer(s);
    await s.call(launch([offer.id.value], [task('a-1', agentId, 'sleep 0.2')], { refuse_seconds: 0 }));
    const starting = await nextUpdate(s, 'a-1', 'TASK_STARTING');
    const runningEarly = await s.stream.sees((e) => e.type === 'UPDATE' && (e.update as { status: Status }).status.state === 'TASK_RUNNING', 1000);
    assert.equal(runningEarly, false);
    await ack(s, starting);
    const running = await nextUpdate(s, 'a-1', 'TASK_RUNNING');
    await ack(s, running);
    const finished = await nextUpdate(s, 'a-1', 'TASK_FINISHED');
    assert.equal(finished.message, 'Command exited with status 0');
    await ack(s, finished);
    // Acknowledged terminal task: moved to completed, so reconciliation no longer knows it.
    await s.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'a-1' }, agent_id: { value: agentId } }] } });
    assert.equal((await nextUpdate(s, 'a-1', 'TASK_LOST')).message, 'Reconciliation: Task is unknown to the agent');
    await s.call({ type: 'TEARDOWN' });
  });

  for (const partitionAware of [false, true]) {
    it(`reconciles explicitly and implicitly (${partitionAware ? 'PARTITION_AWARE' : 'plain'} framework)`, async () => {
      const caps = partitionAware ? [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }] : [{ type: 'MULTI_ROLE' }];
      const s = await subscribe(dc.masterUrl, frameworkInfo(`reconcile-${partitionAware}`, { capabilities: caps }));
      const p = partitionAware ? 'pa' : 'plain';
      const offer = await nextOffer(s);
      await s.call(launch([offer.id.value], [task(`${p}-running`, agentId, 'sleep 120'), task(`${p}-finished`, agentId, 'true')], { refuse_seconds: 30 }));
      await runUntil(s, `${p}-running`, 'TASK_RUNNING');
      await runUntil(s, `${p}-finished`, 'TASK_FINISHED');

      const reconcile = async (tasks: Obj[] | undefined) => {
        const r = await s.call({ type: 'RECONCILE', reconcile: tasks === undefined ? {} : { tasks } });
        assert.equal(r.status, 202);
      };
      const latest = {
        task_id: { value: `${p}-running` },
        state: 'TASK_RUNNING',
        message: 'Reconciliation: Latest task state',
        source: 'SOURCE_MASTER',
        reason: 'REASON_RECONCILIATION',
        agent_id: { value: agentId },
        has_container_status: true,
      };
      await reconcile([{ task_id: { value: `${p}-running` }, agent_id: { value: agentId } }]);
      assert.deepEqual(reconciliation(await nextUpdate(s, `${p}-running`)), latest);
      await reconcile([{ task_id: { value: `${p}-running` } }]);
      assert.deepEqual(reconciliation(await nextUpdate(s, `${p}-running`)), latest);

      const lost = (plainState: string, paState: string) => (partitionAware ? paState : plainState);
      await reconcile([{ task_id: { value: `${p}-unknown` } }]);
      assert.deepEqual(reconciliation(await nextUpdate(s, `${p}-unknown`)), {
        task_id: { value: `${p}-unknown` },
        state: lost('TASK_LOST', 'TASK_UNKNOWN'),
        message: 'Reconciliation: Task is unknown',
        source: 'SOURCE_MASTER',
        reason: 'REASON_RECONCILIATION',
        has_container_status: false,
      });
      await reconcile([{ task_id: { value: `${p}-unknown2` }, agent_id: { value: agentId } }]);
      const u2 = reconciliation(await nextUpdate(s, `${p}-unknown2`));
      assert.equal(u2.state, lost('TASK_LOST', 'TASK_GONE'));
      assert.equal(u2.message, 'Reconciliation: Task is unknown to the agent');
      await reconcile([{ task_id: { value: `${p}-unknown3` }, agent_id: { value: 'no-such-agent-S0' } }]);
      const u3 = reconciliation(await nextUpdate(s, `${p}-unknown3`));
      assert.equal(u3.state, lost('TASK_LOST', 'TASK_UNKNOWN'));
      assert.equal(u3.message, 'Reconciliation: Task is unknown');
      assert.deepEqual(u3.agent_id, { value: 'no-such-agent-S0' });
      await reconcile([{ task_id: { value: `${p}-finished` }, agent_id: { value: agentId } }]);
      const fin = reconciliation(await nextUpdate(s, `${p}-finished`));
      assert.equal(fin.state, lost('TASK_LOST', 'TASK_GONE'));
      assert.equal(fin.message, 'Reconciliation: Task is unknown to the agent');

      // Implicit, both spellings: only the running task (the acknowledged finished one is gone).
      for (const tasks of [[], undefined]) {
        const before = s.stream.events.length;
        await reconcile(tasks);
        assert.deepEqual(reconciliation(await nextUpdate(s, `${p}-running`)), latest);
        assert.equal(await s.stream.sees((e) => e.type === 'UPDATE' && s.stream.events.indexOf(e) >= before && (e.update as { status: Status }).status.task_id.value !== `${p}-running`, 300), false);
      }
      await s.call({ type: 'TEARDOWN' });
    });
  }
});
