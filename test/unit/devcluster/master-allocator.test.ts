// The allocator on a fake clock: decline filters expire with time (not with
// timers), cover only subsets, REVIVE clears them, suppressed roles get nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../common/logger.js';
import { ResourceBag } from '../../../mesos/resources.js';
import type { Resource } from '../../../mesos/schemas/index.js';
import { Allocator, allocateOn, releaseOn } from '../../../devcluster/master/allocator.js';
import type { MasterContext } from '../../../devcluster/master/context.js';
import { IdGenerator } from '../../../devcluster/master/ids.js';
import { newFrameworkEntry } from '../../../devcluster/master/frameworks.js';
import type { AgentEntry, OfferEntry } from '../../../devcluster/master/model.js';
import type { DevAgent } from '../../../devcluster/agent/contract.js';

const cpus = (v: number): Resource => ({ name: 'cpus', type: 'SCALAR', scalar: { value: v } });
const mem = (v: number): Resource => ({ name: 'mem', type: 'SCALAR', scalar: { value: v } });

function setup() {
  let now = 1_000_000;
  const events: Array<{ fw: string; event: Record<string, unknown> }> = [];
  const ctx: MasterContext = {
    ids: new IdGenerator('m'),
    logger: silentLogger,
    settings: { host: '127.0.0.1', hostname: 'h', ip: '127.0.0.1', port: 5050, heartbeatIntervalMs: 15000, allocationIntervalMs: 1000, defaultRefuseSeconds: 5, offerTimeoutMs: undefined, version: '1.12.0' },
    frameworks: new Map(),
    completedFrameworks: [],
    removedFrameworkIds: new Set(),
    agents: new Map(),
    removedAgents: new Map(),
    offers: new Map(),
    now: () => now,
    send: (fw, event) => events.push({ fw: fw.id, event: event as Record<string, unknown> }),
  };
  const agent: AgentEntry = {
    id: 'm-S0',
    agent: {} as DevAgent,
    info: { id: 'm-S0', hostname: 'h', host: '127.0.0.1', port: 5051, url: 'http://127.0.0.1:5051', resources: [], attributes: [] },
    total: [cpus(2), mem(1024)],
    allocated: new ResourceBag(),
    version: 0,
    registeredTimeMs: now,
  };
  ctx.agents.set(agent.id, agent);
  const fw = newFrameworkEntry({ user: 'u', name: 'n', id: { value: 'm-0000' }, roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }] }, { nowMs: now });
  fw.connected = true;
  fw.active = true;
  ctx.frameworks.set(fw.id, fw);
  const allocator = new Allocator(ctx);
  const offers = () => [...ctx.offers.values()];
  return { ctx, agent, fw, allocator, events, offers, advance: (ms: number) => (now += ms) };
}

describe('devcluster master: allocator', () => {
  it('offers all free resources once, then withholds declined ones until the filter expires', () => {
    const { allocator, offers, advance, events } = setup();
    allocator.allocate();
    assert.equal(events.length, 1);
    const [offer] = offers() as [OfferEntry];
    assert.deepEqual(offer.resources, [cpus(2), mem(1024)]);
    allocator.allocate();
    assert.equal(offers().length, 1, 'an outstanding offer holds the resources');
    allocator.removeOffer(offer, { refuse_seconds: 10 });
    allocator.allocate();
    assert.equal(offers().length, 0);
    advance(9_999);
    allocator.allocate();
    assert.equal(offers().length, 0);
    advance(2);
    allocator.allocate();
    assert.equal(offers().length, 1);
  });

  it('uses max(refuse_seconds, allocation interval), 5 s by default, none for 0', () => {
    const { allocator } = setup();
    assert.equal(allocator.refuseMs(undefined), 5000);
    assert.equal(allocator.refuseMs({}), 5000);
    assert.equal(allocator.refuseMs({ refuse_seconds: 0 }), 0);
    assert.equal(allocator.refuseMs({ refuse_seconds: 0.2 }), 1000);
    assert.equal(allocator.refuseMs({ refuse_seconds: -3 }), 5000);
    assert.equal(allocator.refuseMs({ refuse_seconds: 1e12 }), 365 * 24 * 3600 * 1000);
  });

  it('lets a larger offer through a filter; REVIVE clears filters; suppressed roles get nothing', () => {
    const { allocator, agent, offers, fw } = setup();
    allocateOn(agent, [cpus(1)]);
    allocator.allocate();
    const [offer] = offers() as [OfferEntry];
    assert.deepEqual(offer.resources, [cpus(1), mem(1024)]);
    allocator.removeOffer(offer, { refuse_seconds: 3600 });
    allocator.allocate();
    assert.equal(offers().length, 0);
    // The task's cpu comes back: the free pool is now more than what was refused.
    releaseOn(agent, [cpus(1)]);
    allocator.allocate();
    assert.equal(offers().length, 1);
    allocator.removeOffer(offers()[0] as OfferEntry, { refuse_seconds: 3600 });
    allocator.clearFilters(fw, ['*']);
    fw.suppressedRoles.add('*');
    allocator.allocate();
    assert.equal(offers().length, 0);
    fw.suppressedRoles.clear();
    allocator.allocate();
    assert.equal(offers().length, 1);
  });

  it('does not offer less than the minimum allocatable resources', () => {
    const { allocator, agent, offers } = setup();
    allocateOn(agent, [cpus(1.995), mem(1000)]);
    allocator.allocate();
    assert.equal(offers().length, 0);
  });
});
