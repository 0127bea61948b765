import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countFreshOffers, matchRound, readyToFlush, SEEN_OFFERS_KEPT, summarize, type HeldOffer, type Waiter } from '../../../activities/session/offer-book.js';
import { demandFromSpec } from '../../../activities/session/demand.js';
import { jobSpec } from '../../../workflows/job-spec.js';
import { offerSchema } from '../../../mesos/schemas/index.js';
import type { OfferLease } from '../../../activities/contract.js';

function offer(id: string, cpus: number, mem: number, host = 'h1') {
  const o = offerSchema.parse({
    id: { value: id },
    framework_id: { value: 'F' },
    agent_id: { value: `A-${host}` },
    hostname: host,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: cpus }, role: '*', allocation_info: { role: '*' } },
      { name: 'mem', type: 'SCALAR', scalar: { value: mem }, role: '*', allocation_info: { role: '*' } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31010 }] }, role: '*', allocation_info: { role: '*' } },
    ],
    allocation_info: { role: '*' },
  });
  const h: HeldOffer = { offer: o, available: o.resources ?? [], leases: new Map(), receivedAt: 0, flushing: false };
  return h;
}

function waiter(id: string, spec: object, got: Map<string, OfferLease>): Waiter {
  const s = jobSpec({ command: 'x', ...spec });
  return { taskId: id, demand: demandFromSpec(id, s), uniqueGroups: [], since: 0, resolve: (l) => got.set(id, l), abandon: () => undefined, seenOffers: new Set(), offersSeen: 0, reasons: new Map() };
}

test('several waiters are packed onto one offer, in arrival order, and the rest keeps waiting with reasons', () => {
  const got = new Map<string, OfferLease>();
  const offers = new Map([['O1', offer('O1', 1, 1000)]]);
  const waiters = new Map<string, Waiter>();
  for (let i = 1; i <= 4; i++) waiters.set(`t${i}`, waiter(`t${i}`, { resources: { cpus: 0.3, mem: 10, ports: 1 } }, got));
  waiters.set('big', waiter('big', { resources: { cpus: 8, mem: 10 } }, got));
  const r = matchRound(offers, waiters, new Map(), 1000);
  assert.equal(r.leased.length, 1);
  assert.deepEqual([...got.keys()], ['t1', 't2', 't3']);
  assert.equal(new Set([...got.values()].map((l) => l.offerId)).size, 1);
  const ports = [...got.values()].map((l) => JSON.stringify((l.resources as Array<{ name: string; ranges?: unknown }>).find((x) => x.name === 'ports')?.ranges));
  assert.equal(new Set(ports).size, 3, 'each task gets its own port');
  assert.deepEqual([...waiters.keys()], ['t4', 'big']);
  const h = offers.get('O1');
  assert.ok(h);
  assert.equal(h.leases.size, 3);
  assert.equal(readyToFlush(h), false);
  for (const l of h.leases.values()) l.state = 'launching';
  assert.equal(readyToFlush(h), true);
  const big = waiters.get('big');
  assert.ok(big);
  const s = summarize(big, 0);
  assert.equal(s.offersSeen, 1);
  assert.match(s.reasons[0]?.reason ?? '', /cpus/);
  // The same offer seen again does not count twice.
  matchRound(offers, waiters, new Map(), 2000);
  assert.equal(summarize(big, 0).offersSeen, 1);
});

test('offers nobody can use are reported for declining; none when nobody waits are kept leased', () => {
  const got = new Map<string, OfferLease>();
  const offers = new Map([['O1', offer('O1', 1, 100)], ['O2', offer('O2', 1, 100, 'h2')]]);
  const r0 = matchRound(offers, new Map(), new Map(), 0);
  assert.equal(r0.unusable.length, 2);
  const waiters = new Map([['a', waiter('a', { resources: { cpus: 1, mem: 10 } }, got)]]);
  const r = matchRound(offers, waiters, new Map(), 0);
  assert.equal(r.leased.length, 1);
  assert.deepEqual(r.unusable.map((h) => h.offer.id.value), ['O2']);
});

test('UNIQUE hostname keeps a group off hosts already in use', () => {
  const got = new Map<string, OfferLease>();
  const offers = new Map([['O1', offer('O1', 4, 1000, 'h1')], ['O2', offer('O2', 4, 1000, 'h2')]]);
  const uniq = { constraints: [{ field: 'hostname', operator: 'UNIQUE' }] };
  const waiters = new Map([['a', waiter('a', uniq, got)], ['b', waiter('b', uniq, got)], ['c', waiter('c', uniq, got)]]);
  matchRound(offers, waiters, new Map([['', new Set(['h1'])]]), 0);
  assert.deepEqual([...got.keys()], ['a']);
  assert.equal(got.get('a')?.hostname, 'h2');
});

test("a waiting job counts each offer once, and forgets the ids of offers gone (its memory stays bounded however long it waits)", () => {
  const w = waiter('job-long.1', { resources: { cpus: 64 } }, new Map());
  let seen = 0;
  // Ten thousand offers, one at a time (each declined and gone before the next), weighed twice each.
  for (let i = 0; i < 10_000; i++) {
    const h = offer(`o-${i}`, 1, 64);
    const held = new Map([[h.offer.id.value, h]]);
    seen += countFreshOffers(w, [h], held);
    seen += countFreshOffers(w, [h], held);
    assert.ok(w.seenOffers.size <= SEEN_OFFERS_KEPT + 1, `ids kept after offer ${i}: ${w.seenOffers.size}`);
  }
  assert.equal(seen, 10_000);
  // Offers still held are never forgotten, so they are not counted again.
  const still = Array.from({ length: SEEN_OFFERS_KEPT + 10 }, (_, i) => offer(`held-${i}`, 1, 64));
  const held = new Map(still.map((h) => [h.offer.id.value, h]));
  assert.equal(countFreshOffers(w, still, held), still.length);
  assert.equal(countFreshOffers(w, still, held), 0);
});
