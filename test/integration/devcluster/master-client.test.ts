// The project's SchedulerClient (written against real Mesos) against the
// devcluster unchanged: found through a non-leading master's redirect,
// SUBSCRIBE, ACCEPT with several LAUNCHes, updates acknowledged, KILL,
// reconciliation, TEARDOWN.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { SchedulerClient } from '../../../mesos/client/index.js';
import { isKnownEvent, type Event, type TaskStatus } from '../../../mesos/schemas/index.js';
import { cluster, http } from './master-support.js';

describe('devcluster master with the mesoflow SchedulerClient', () => {
  let dc: DevCluster;
  before(async () => {
    dc = await cluster({ followers: 1, allocationIntervalMs: 100 });
  });
  after(async () => {
    await dc.stop();
  });

  it('runs tasks end to end', async () => {
    const [leader, follower] = dc.masterUrls as [string, string];
    const client = new SchedulerClient({ masters: [follower] });
    const sub = client.subscribe({ user: 'root', name: 'client-e2e', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }], failover_timeout: 60 });
    const finished = new Set<string>();
    let launched = false;
    let killed = false;
    let tornDown = false;
    const states: Record<string, string[]> = {};
    for await (const anyEvent of sub as AsyncIterable<Event>) {
      // Events already received before TEARDOWN may still be delivered: no calls after it.
      if (!isKnownEvent(anyEvent) || tornDown) continue;
      const event = anyEvent;
      if (event.type === 'OFFERS' && !launched) {
        const offer = event.offers.offers?.[0];
        assert.ok(offer);
        launched = true;
        const agent = offer.agent_id;
        const t = (id: string, cmd: string) => ({
          name: id,
          task_id: { value: id },
          agent_id: agent,
          resources: [
            { name: 'cpus', type: 'SCALAR' as const, scalar: { value: 0.1 } },
            { name: 'mem', type: 'SCALAR' as const, scalar: { value: 32 } },
          ],
          command: { value: cmd },
        });
        await client.accept(
          [offer.id],
          [
            { type: 'LAUNCH', launch: { task_infos: [t('c-1', 'echo one')] } },
            { type: 'LAUNCH', launch: { task_infos: [t('c-2', 'echo two')] } },
            { type: 'LAUNCH', launch: { task_infos: [t('c-3', 'sleep 300')] } },
          ],
          { refuse_seconds: 1 },
        );
      } else if (event.type === 'OFFERS') {
        await client.decline(event.offers.offers?.map((o) => o.id) ?? [], { refuse_seconds: 60 });
      } else if (event.type === 'UPDATE') {
        const status: TaskStatus = event.update.status;
        (states[status.task_id.value] ??= []).push(status.state);
        await client.acknowledge(status);
        if (status.task_id.value === 'c-3' && status.state === 'TASK_RUNNING' && !killed) {
          killed = true;
          await client.reconcile([{ task_id: 'c-3' }]);
          await client.kill('c-3');
        }
        if (['TASK_FINISHED', 'TASK_KILLED', 'TASK_FAILED'].includes(status.state)) finished.add(status.task_id.value);
        if (finished.size === 3) {
          // TEARDOWN while subscribed: the master ends the stream, which ends this loop.
          tornDown = true;
          await client.teardown();
        }
      }
    }
    assert.equal(client.leaderUrl, leader);
    assert.deepEqual(states['c-1'], ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    assert.deepEqual(states['c-2'], ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    assert.deepEqual(states['c-3'], ['TASK_STARTING', 'TASK_RUNNING', 'TASK_RUNNING', 'TASK_KILLED']);
    await client.close();
    const stats = JSON.parse((await http(`${leader}/__devcluster/stats`, { method: 'GET' })).body) as { launch_operations_per_accept: Record<string, number> };
    assert.equal(stats.launch_operations_per_accept['3'], 1);
  });
});
