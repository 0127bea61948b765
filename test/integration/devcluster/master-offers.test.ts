// Offer cycling (spec §8.4–8.6, §11, mesos-transcripts/08): decline filters,
// SUPPRESS/REVIVE, offer timeout, filters withholding only subsets.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { ack, cluster, frameworkInfo, nextOffer, nextUpdate, subscribe, type Subscription } from './master-support.js';

const ALLOCATION_MS = 50;

describe('devcluster master: offers, filters, suppress/revive', () => {
  let dc: DevCluster;
  before(async () => {
    dc = await cluster({ allocationIntervalMs: ALLOCATION_MS, defaultRefuseSeconds: 0.6 });
  });
  after(async () => {
    await dc.stop();
  });

  /** Waits (bounded) until `n` more allocation rounds ran on the leading master: an offer they made would be on the stream by then. */
  async function allocationRounds(n: number): Promise<void> {
    const allocator = dc.master?.allocator;
    assert.ok(allocator, 'a leading master');
    const target = allocator.rounds + n;
    const deadline = Date.now() + 10_000;
    while (allocator.rounds < target) {
      assert.ok(Date.now() < deadline, `only ${allocator.rounds - target + n} of ${n} allocation rounds ran in 10 s`);
      await new Promise((r) => setTimeout(r, ALLOCATION_MS));
    }
  }

  async function decline(s: Subscription, offerId: string, filters?: Record<string, unknown>): Promise<void> {
    const r = await s.call({ type: 'DECLINE', decline: { offer_ids: [{ value: offerId }], ...(filters ? { filters } : {}) } });
    assert.equal(r.status, 202);
  }

  it('re-offers at the next allocation after refuse_seconds 0, and only after the default filter otherwise', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('filters'));
    const first = await nextOffer(s);
    await decline(s, first.id.value, { refuse_seconds: 0 });
    const second = await nextOffer(s, 5000);
    assert.notEqual(second.id.value, first.id.value);

    const declinedAt = Date.now();
    await decline(s, second.id.value);
    const third = await nextOffer(s, 10_000);
    // The default filter (0.6 s here) held the resources back for at least that long.
    assert.ok(Date.now() - declinedAt >= 550, `re-offered after ${Date.now() - declinedAt} ms`);
    assert.deepEqual(third.resources, first.resources);
    await s.call({ type: 'TEARDOWN' });
  });

  it('SUPPRESS stops offers without rescinding the outstanding one; REVIVE offers at once and clears filters', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('suppress'));
    const offer = await nextOffer(s);
    assert.equal((await s.call({ type: 'SUPPRESS', suppress: {} })).status, 202);
    await decline(s, offer.id.value, { refuse_seconds: 0 });
    // Ten allocation rounds run (positive proof the master moved on), then: no RESCIND, no offer.
    await allocationRounds(10);
    assert.equal(await s.stream.sees((e) => e.type === 'RESCIND', ALLOCATION_MS), false);
    assert.equal(await s.stream.sees((e) => e.type === 'OFFERS', ALLOCATION_MS), false);
    assert.equal((await s.call({ type: 'REVIVE', revive: {} })).status, 202);
    const revived = await nextOffer(s, 5000);

    await decline(s, revived.id.value, { refuse_seconds: 3600 });
    await allocationRounds(10);
    assert.equal(await s.stream.sees((e) => e.type === 'OFFERS', ALLOCATION_MS), false);
    await s.call({ type: 'REVIVE', revive: { roles: ['*'] } });
    await nextOffer(s, 5000);
    await s.call({ type: 'TEARDOWN' });
  });

  it('drops REVIVE/SUPPRESS naming a role the framework is not subscribed to (still 202)', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('bad-role'));
    const offer = await nextOffer(s);
    assert.equal((await s.call({ type: 'SUPPRESS', suppress: { roles: ['other'] } })).status, 202);
    await decline(s, offer.id.value, { refuse_seconds: 0 });
    // Not suppressed: the offer comes back.
    await nextOffer(s, 5000);
    await s.call({ type: 'TEARDOWN' });
  });

  it('suppressed_roles on SUBSCRIBE start the framework suppressed', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('suppressed-at-subscribe'), { suppressed_roles: ['*'] });
    await allocationRounds(8);
    assert.equal(await s.stream.sees((e) => e.type === 'OFFERS', ALLOCATION_MS), false);
    await s.call({ type: 'REVIVE' });
    await nextOffer(s, 5000);
    await s.call({ type: 'TEARDOWN' });
  });

  it('a decline filter withholds only offers whose resources are a subset of the refused ones', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('subset'));
    const offer = await nextOffer(s);
    // Launch a task so that part of the agent is in use, decline the rest for an hour.
    const agentId = offer.agent_id.value;
    await s.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [{ value: offer.id.value }],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 'subset-1' }, agent_id: { value: agentId }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 64 } }], command: { value: 'sleep 0.3' } }] } }],
        filters: { refuse_seconds: 3600 },
      },
    });
    await ack(s, await nextUpdate(s, 'subset-1', 'TASK_STARTING'));
    await ack(s, await nextUpdate(s, 'subset-1', 'TASK_RUNNING'));
    // When the task ends its resources come back and the offer is larger than what was refused: offered despite the filter.
    const next = await nextOffer(s, 15_000);
    const cpus = next.resources.find((r) => r.name === 'cpus') as { scalar: { value: number } };
    assert.equal(cpus.scalar.value, 2);
    await s.call({ type: 'TEARDOWN' });
  });

  it('rescinds offers on offer timeout', async () => {
    const dc2 = await cluster({ allocationIntervalMs: ALLOCATION_MS, offerTimeoutMs: 200 });
    try {
      const s = await subscribe(dc2.masterUrl, frameworkInfo('offer-timeout'));
      const offer = await nextOffer(s);
      const rescind = await s.stream.next((e) => e.type === 'RESCIND', 5000);
      assert.deepEqual(rescind, { type: 'RESCIND', rescind: { offer_id: offer.id } });
      const again = await nextOffer(s, 5000);
      assert.notEqual(again.id.value, offer.id.value);
      await s.call({ type: 'TEARDOWN' });
    } finally {
      await dc2.stop();
    }
  });
});
