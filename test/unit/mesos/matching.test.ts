import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchDemands, type Demand, type MatchResult, type NoFitReason } from '../../../mesos/matching.js';
import { addResources, containsResources, normalizeResources, rangesOf, rangesTotal, subtractResources, sumScalar } from '../../../mesos/resources.js';
import { constraintDetail, offerSatisfies } from '../../../mesos/constraints.js';
import type { Offer, Resource } from '../../../mesos/resource-types.js';
import { naiveMatch } from '../../../bench/lib/naive-matcher.js';
import { makeOffer, scalar } from './offer-fixtures.js';
import { resourcesOf, transcriptOffers } from './transcript-offers.js';

const demand = (id: string, cpus: number, mem: number, more: Partial<Demand> & { ports?: number; disk?: number; gpus?: number } = {}): Demand => {
  const { ports, disk, gpus, ...rest } = more;
  return { id, resources: { cpus, mem, ...(ports === undefined ? {} : { ports }), ...(disk === undefined ? {} : { disk }), ...(gpus === undefined ? {} : { gpus }) }, ...rest };
};

function placedOn(result: MatchResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of result.matches) for (const p of m.placements) out[p.demandId] = m.offer.hostname;
  return out;
}

function reasonsOf(result: MatchResult, id: string): Array<{ reason: NoFitReason; offers: number }> {
  const u = result.unmatched.find((x) => x.demandId === id);
  assert.ok(u, `${id} should be unmatched`);
  return u.reasons;
}

/** Normalized and in a fixed order, to compare resource lists whatever order they were built in. */
function canon(rs: readonly Resource[]): string[] {
  return normalizeResources(rs)
    .map((r) => JSON.stringify(r))
    .sort();
}

/** Every placement is part of its offer, and placements + remaining give back the offer. */
function assertConserved(result: MatchResult): void {
  for (const m of result.matches) {
    let used = m.remaining;
    for (const p of m.placements) {
      assert.ok(containsResources(resourcesOf(m.offer), p.resources));
      used = addResources(used, p.resources);
    }
    assert.deepEqual(canon(used), canon(resourcesOf(m.offer)));
  }
}

test('packs several demands into one real offer; the remainder equals the next recorded offer', () => {
  const [offer, next] = transcriptOffers('06-multi-launch.json');
  assert.ok(offer && next);
  const result = matchDemands([demand('a1', 0.1, 32), demand('a2', 0.1, 32), demand('a3', 0.1, 32)], [offer]);
  assert.equal(result.unmatched.length, 0);
  const [m] = result.matches;
  assert.ok(m);
  assert.deepEqual(m.placements.map((p) => p.demandId), ['a1', 'a2', 'a3']);
  assert.deepEqual(m.remaining, resourcesOf(next));
  // Each task's resources carry the offer's role and allocation_info, as Mesos expects them back.
  assert.deepEqual(m.placements[0]?.resources, [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: '*', allocation_info: { role: '*' } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 32 }, role: '*', allocation_info: { role: '*' } },
  ]);
  assertConserved(result);
});

test('the three recorded resource formats all match', () => {
  for (const offer of transcriptOffers('01-subscribe.json')) {
    const result = matchDemands([demand('x', 2, 1024, { disk: 1024, ports: 1001 }), demand('y', 0.001, 0)], [offer]);
    assert.deepEqual(placedOn(result), { x: '127.0.0.1' });
    assert.deepEqual(result.matches[0]?.remaining, []);
    assert.equal(result.unmatched[0]?.demandId, 'y');
    assertConserved(result);
  }
});

test('first come, first served: each demand takes the first offer where it fits, later small demands backfill', () => {
  const offers = [makeOffer({ host: 'a', cpus: 1, mem: 1000 }), makeOffer({ host: 'b', cpus: 4, mem: 4000 })];
  const result = matchDemands(
    [demand('big', 3, 100), demand('d1', 0.6, 100), demand('d2', 0.6, 100), demand('d3', 0.4, 100), demand('d4', 0.6, 100), demand('d5', 0.5, 100)],
    offers,
  );
  assert.deepEqual(placedOn(result), { big: 'b', d1: 'a', d2: 'b', d3: 'a' });
  assert.deepEqual(result.matches[1]?.placements.map((p) => p.demandId), ['big', 'd2']);
  assert.equal(sumScalar(result.matches[1]?.remaining ?? [], 'cpus'), 0.4);
  assert.deepEqual(result.unmatched.map((u) => u.demandId), ['d4', 'd5']);
  assertConserved(result);
});

test('ports: the lowest free ports, distinct across demands on one offer', () => {
  const offer = makeOffer({ host: 'a', cpus: 4, mem: 4096, ports: [[31000, 31002], [31010, 31020]] });
  const result = matchDemands([demand('p2', 0.1, 10, { ports: 2 }), demand('p3', 0.1, 10, { ports: 3 }), demand('p0', 0.1, 10), demand('p9', 0.1, 10, { ports: 9 })], [offer]);
  const m = result.matches[0];
  assert.ok(m);
  const portsOf = (id: string) => rangesOf(m.placements.find((p) => p.demandId === id)?.resources ?? [], 'ports');
  assert.deepEqual(portsOf('p2'), [{ begin: 31000, end: 31001 }]);
  assert.deepEqual(portsOf('p3'), [{ begin: 31002, end: 31002 }, { begin: 31010, end: 31011 }]);
  assert.deepEqual(portsOf('p0'), []);
  assert.deepEqual(portsOf('p9'), [{ begin: 31012, end: 31020 }]);
  assert.deepEqual(rangesOf(m.remaining, 'ports'), []);
  assert.equal(result.unmatched.length, 0);
  assertConserved(result);
  // The chosen ports are ranges of the offer's own ports resource, role and all.
  const p3 = m.placements.find((p) => p.demandId === 'p3')?.resources.find((r) => r.name === 'ports');
  assert.equal(p3?.role, '*');
});

test('a demand with zero cpus and mem is placed with no resources', () => {
  const result = matchDemands([demand('z', 0, 0)], [makeOffer({ host: 'a', cpus: 0.5, mem: 64 })]);
  assert.deepEqual(result.matches[0]?.placements, [{ demandId: 'z', resources: [] }]);
});

test('scalars use thousandths: three 0.1-cpu demands fill a 0.3-cpu offer exactly', () => {
  const result = matchDemands([demand('a', 0.1, 1), demand('b', 0.1, 1), demand('c', 0.1, 1), demand('d', 0.001, 0)], [makeOffer({ host: 'a', cpus: 0.3, mem: 3 })]);
  assert.deepEqual(placedOn(result), { a: 'a', b: 'a', c: 'a' });
  assert.deepEqual(result.matches[0]?.remaining, []);
});

test('roles: allocation roles, reservations (reserved first), hierarchical reservations, and the role reason', () => {
  const starOffer = makeOffer({ host: 'star', cpus: 8, mem: 8192, allocRole: '*' });
  const webOffer = makeOffer({
    host: 'web',
    cpus: 1,
    mem: 1024,
    allocRole: 'web',
    extra: [scalar('cpus', 2, { role: 'web', reservation: { principal: 'ops' }, allocation_info: { role: 'web' } })],
  });
  const result = matchDemands(
    [demand('w', 2.5, 100, { role: 'web' }), demand('any', 0.5, 100), demand('db', 0.1, 1, { role: 'db' }), demand('w2', 0.5, 10, { role: 'web' })],
    [starOffer, webOffer],
  );
  assert.deepEqual(placedOn(result), { w: 'web', any: 'star', w2: 'web' });
  const w = result.matches[1]?.placements.find((p) => p.demandId === 'w');
  // Reserved cpus are used before unreserved ones; each part keeps its own reservation.
  assert.deepEqual(w?.resources.filter((r) => r.name === 'cpus'), [
    scalar('cpus', 2, { role: 'web', reservation: { principal: 'ops' }, allocation_info: { role: 'web' } }),
    scalar('cpus', 0.5, { role: '*', allocation_info: { role: 'web' } }),
  ]);
  assert.deepEqual(reasonsOf(result, 'db'), [{ reason: { kind: 'role', wanted: 'db', offered: ['*', 'web'] }, offers: 2 }]);
  assertConserved(result);

  // Without MULTI_ROLE (no allocation_info): reservation roles decide, an ancestor's reservation serves a sub-role.
  const plain = makeOffer({ host: 'p', cpus: 1, mem: 100, extra: [scalar('cpus', 3, { role: 'eng' }), scalar('mem', 100, { role: 'eng' })] });
  const r2 = matchDemands([demand('ops', 2, 10, { role: 'ops' }), demand('engweb', 3.5, 150, { role: 'eng/web' }), demand('ops2', 0.5, 10, { role: 'ops' })], [plain]);
  assert.deepEqual(placedOn(r2), { engweb: 'p', ops2: 'p' });
  // Reasons are judged on what is left at the end: ops2 took the last unreserved cpus.
  assert.deepEqual(reasonsOf(r2, 'ops'), [{ reason: { kind: 'insufficient', resource: 'cpus', wanted: 2, available: 0 }, offers: 1 }]);
  const only = makeOffer({ host: 'q', extra: [scalar('cpus', 3, { role: 'eng' })] });
  assert.deepEqual(reasonsOf(matchDemands([demand('x', 1, 0, { role: 'ops' })], [only]), 'x'), [{ reason: { kind: 'role', wanted: 'ops', offered: ['eng'] }, offers: 1 }]);
});

test('revocable resources and persistent volumes are left alone', () => {
  const offer = makeOffer({
    host: 'a',
    cpus: 1,
    mem: 100,
    extra: [scalar('cpus', 8, { revocable: {} }), scalar('disk', 500, { role: 'web', disk: { persistence: { id: 'v' }, volume: { mode: 'RW', container_path: 'd' } } })],
  });
  const result = matchDemands([demand('big', 2, 10), demand('disk', 0.1, 1, { disk: 1 }), demand('ok', 1, 100)], [offer]);
  assert.deepEqual(placedOn(result), { ok: 'a' });
  assert.equal(result.matches[0]?.remaining.length, 2);
});

test('UNIQUE: distinct hosts within a match and against hostsInUse, per group', () => {
  const offers = ['h1', 'h2', 'h3'].map((host) => makeOffer({ host, cpus: 8, mem: 8192 }));
  const unique = { field: 'hostname', operator: 'UNIQUE', group: 'batch-1' } as const;
  const hostsInUse = new Map([['batch-1', new Set(['h1'])]]);
  const result = matchDemands(
    [
      demand('u1', 1, 1, { constraints: [unique] }),
      demand('u2', 1, 1, { constraints: [unique] }),
      demand('u3', 1, 1, { constraints: [unique] }),
      demand('other', 1, 1, { constraints: [{ field: 'hostname', operator: 'UNIQUE', group: 'batch-2' }] }),
      demand('plain', 1, 1),
    ],
    offers,
    { hostsInUse },
  );
  assert.deepEqual(placedOn(result), { u1: 'h2', u2: 'h3', other: 'h1', plain: 'h1' });
  assert.deepEqual([...(hostsInUse.get('batch-1') ?? [])], ['h1'], 'hostsInUse is not modified');
  assert.deepEqual(reasonsOf(result, 'u3'), [
    { reason: { kind: 'constraint', constraint: unique, detail: 'host already runs a demand of UNIQUE group "batch-1"' }, offers: 3 },
  ]);
  // Without a group, UNIQUE demands share the default group.
  const r2 = matchDemands([demand('a', 1, 1, { constraints: [{ field: 'hostname', operator: 'UNIQUE' }] }), demand('b', 1, 1, { constraints: [{ field: 'hostname', operator: 'UNIQUE' }] })], offers.slice(0, 1));
  assert.deepEqual(placedOn(r2), { a: 'h1' });
});

test('constraints on hostname and attributes steer placement', () => {
  const offers = [
    makeOffer({ host: 'web-1', cpus: 4, mem: 4096, attributes: { rack: 'r1', zone: 'a', weight: 2.5 } }),
    makeOffer({ host: 'web-2', cpus: 4, mem: 4096, attributes: { rack: 'r2', zone: 'b' } }),
    makeOffer({ host: 'db-1', cpus: 4, mem: 4096, attributes: { rack: 'r2' } }),
  ];
  const result = matchDemands(
    [
      demand('eq', 1, 1, { constraints: [{ field: 'rack', operator: 'EQUALS', value: 'r2' }] }),
      demand('like', 1, 1, { constraints: [{ field: 'hostname', operator: 'LIKE', value: 'db-\\d+' }] }),
      demand('unlike', 1, 1, { constraints: [{ field: 'hostname', operator: 'UNLIKE', value: 'web-.*' }] }),
      demand('noZone', 1, 1, { constraints: [{ field: 'zone', operator: 'UNLIKE', value: 'a|b' }] }),
      demand('scalarAttr', 1, 1, { constraints: [{ field: 'weight', operator: 'EQUALS', value: '2.5' }] }),
      demand('both', 1, 1, { constraints: [{ field: 'rack', operator: 'EQUALS', value: 'r2' }, { field: 'zone', operator: 'LIKE', value: 'b' }] }),
      demand('partial', 1, 1, { constraints: [{ field: 'hostname', operator: 'LIKE', value: 'web' }] }),
    ],
    offers,
  );
  assert.deepEqual(placedOn(result), { eq: 'web-2', like: 'db-1', unlike: 'db-1', noZone: 'db-1', scalarAttr: 'web-1', both: 'web-2' });
  // LIKE must match the whole value.
  assert.deepEqual(reasonsOf(result, 'partial'), [
    { reason: { kind: 'constraint', constraint: { field: 'hostname', operator: 'LIKE', value: 'web' }, detail: 'hostname does not match /web/' }, offers: 3 },
  ]);
});

test('reasons: insufficient resources with the best available, constraints, most frequent first', () => {
  const offers = [
    makeOffer({ host: 'a', cpus: 2, mem: 1000, disk: 10, gpus: 1, ports: [[31000, 31004]], attributes: { rack: 'r1' } }),
    makeOffer({ host: 'b', cpus: 4, mem: 500, disk: 50, ports: [[31000, 31001]], attributes: { rack: 'r2' } }),
    makeOffer({ host: 'c', cpus: 1, mem: 8000, disk: 5, attributes: { rack: 'r1' } }),
  ];
  const result = matchDemands(
    [
      demand('cpu', 8, 10),
      demand('mem', 1, 9000),
      demand('disk', 0.1, 1, { disk: 100 }),
      demand('gpu', 0.1, 1, { gpus: 2 }),
      demand('ports', 0.1, 1, { ports: 10 }),
      demand('mixed', 3, 900, { constraints: [{ field: 'rack', operator: 'EQUALS', value: 'r1' }] }),
    ],
    offers,
  );
  assert.equal(result.matches.every((m) => m.placements.length === 0), true);
  assert.deepEqual(reasonsOf(result, 'cpu'), [{ reason: { kind: 'insufficient', resource: 'cpus', wanted: 8, available: 4 }, offers: 3 }]);
  assert.deepEqual(reasonsOf(result, 'mem'), [{ reason: { kind: 'insufficient', resource: 'mem', wanted: 9000, available: 8000 }, offers: 3 }]);
  assert.deepEqual(reasonsOf(result, 'disk'), [{ reason: { kind: 'insufficient', resource: 'disk', wanted: 100, available: 50 }, offers: 3 }]);
  assert.deepEqual(reasonsOf(result, 'gpu'), [{ reason: { kind: 'insufficient', resource: 'gpus', wanted: 2, available: 1 }, offers: 3 }]);
  assert.deepEqual(reasonsOf(result, 'ports'), [{ reason: { kind: 'insufficient', resource: 'ports', wanted: 10, available: 5 }, offers: 3 }]);
  // a: cpus short; b: rack and mem short; c: cpus short.
  assert.deepEqual(reasonsOf(result, 'mixed'), [
    { reason: { kind: 'insufficient', resource: 'cpus', wanted: 3, available: 2 }, offers: 2 },
    { reason: { kind: 'constraint', constraint: { field: 'rack', operator: 'EQUALS', value: 'r1' }, detail: 'attribute rack is not "r1"' }, offers: 1 },
    { reason: { kind: 'insufficient', resource: 'mem', wanted: 900, available: 500 }, offers: 1 },
  ]);
});

test('reasons reflect what earlier demands left; no offers means no reasons; explain can be turned off', () => {
  const offers = [makeOffer({ host: 'a', cpus: 2, mem: 100 })];
  const result = matchDemands([demand('first', 1.5, 10), demand('second', 1, 10)], offers);
  assert.deepEqual(reasonsOf(result, 'second'), [{ reason: { kind: 'insufficient', resource: 'cpus', wanted: 1, available: 0.5 }, offers: 1 }]);
  assert.deepEqual(matchDemands([demand('x', 1, 1)], []).unmatched, [{ demandId: 'x', reasons: [] }]);
  assert.deepEqual(matchDemands([demand('first', 1.5, 10), demand('second', 1, 10)], offers, { explain: false }).unmatched, [{ demandId: 'second', reasons: [] }]);
});

test('the input offers are not modified', () => {
  const offer = makeOffer({ host: 'a', cpus: 2, mem: 100, ports: [[1, 10]] });
  const copy = structuredClone(offer);
  matchDemands([demand('x', 1, 10, { ports: 3 })], [offer]);
  assert.deepEqual(offer, copy);
});

// A small deterministic PRNG so the randomized comparison is reproducible.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('randomized: same placements as the naive matcher built on the generic arithmetic, and reasons are sound', () => {
  let placedTotal = 0;
  let unmatchedTotal = 0;
  for (let seed = 1; seed <= 25; seed++) {
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const offers: Offer[] = [];
    const nOffers = 1 + Math.floor(rand() * 12);
    for (let i = 0; i < nOffers; i++) {
      const base = 31000 + Math.floor(rand() * 100);
      offers.push(
        makeOffer({
          host: `h${Math.floor(rand() * 5)}`,
          cpus: Math.round(rand() * 16000) / 1000,
          mem: Math.round(rand() * 8192),
          disk: Math.round(rand() * 1000),
          ...(rand() < 0.3 ? { gpus: Math.floor(rand() * 3) } : {}),
          ports: [[base, base + Math.floor(rand() * 5)], [base + 10, base + 10 + Math.floor(rand() * 20)]],
          ...(rand() < 0.5 ? { allocRole: '*' } : {}),
          attributes: { rack: pick(['r1', 'r2', 'r3']) },
        }),
      );
      const rs = offers[i]?.resources ?? [];
      const first = rs[0];
      if (first && rand() < 0.3) rs.push({ ...first, ranges: { range: [{ begin: 40000, end: 40002 }] } });
    }
    const demands: Demand[] = [];
    // Repeated sizes exercise the per-group failure memo and the shared reasons.
    const sizes = [0.5, 1, 1.5].map((c) => [c, Math.round(rand() * 1500)] as const);
    for (let i = 0; i < 100; i++) {
      const [cpus, mem] = rand() < 0.5 ? pick(sizes) : [Math.round(rand() * 3000) / 1000, Math.round(rand() * 1500)];
      const constraints: Demand['constraints'] = [];
      if (rand() < 0.2) constraints.push({ field: 'rack', operator: pick(['EQUALS', 'LIKE', 'UNLIKE'] as const), value: pick(['r1', 'r2', 'r[12]']) });
      if (rand() < 0.15) constraints.push({ field: 'hostname', operator: 'UNIQUE', group: pick(['g1', 'g2']) });
      demands.push(
        demand(`d${i}`, cpus, mem, {
          ...(rand() < 0.3 ? { disk: Math.round(rand() * 300) } : {}),
          ...(rand() < 0.1 ? { gpus: 1 } : {}),
          ...(rand() < 0.4 ? { ports: Math.floor(rand() * 6) } : {}),
          ...(constraints.length > 0 ? { constraints } : {}),
        }),
      );
    }
    const hostsInUse = new Map([['g1', new Set(['h0'])]]);
    const fast = matchDemands(demands, offers, { hostsInUse });
    const naive = naiveMatch(demands, offers, hostsInUse);
    assert.deepEqual(
      fast.matches.map((m) => m.placements.map((p) => p.demandId)),
      naive.matches.map((m) => m.placements.map((p) => p.demandId)),
      `seed ${seed}: placements differ`,
    );
    fast.matches.forEach((m, i) => {
      assert.deepEqual(canon(m.remaining), canon(naive.matches[i]?.remaining ?? []), `seed ${seed}: remainder of offer ${i}`);
      for (const p of m.placements) subtractResources(resourcesOf(m.offer), p.resources);
    });
    assertConserved(fast);
    assert.deepEqual(fast.unmatched.map((u) => u.demandId), naive.unmatched);
    placedTotal += demands.length - fast.unmatched.length;
    unmatchedTotal += fast.unmatched.length;
    // Reasons, recomputed by brute force over the final remainders with the generic arithmetic.
    const taken = new Map<string, Set<string>>([['g1', new Set(['h0'])]]);
    for (const m of fast.matches) {
      for (const p of m.placements) {
        for (const c of demands.find((d) => d.id === p.demandId)?.constraints ?? []) {
          if (c.operator === 'UNIQUE') taken.set(c.group ?? '', (taken.get(c.group ?? '') ?? new Set()).add(m.offer.hostname));
        }
      }
    }
    const isTaken = (g: string, h: string) => taken.get(g)?.has(h) ?? false;
    for (const u of fast.unmatched) {
      const d = demands.find((x) => x.id === u.demandId) as Demand;
      const expected: Array<{ reason: NoFitReason; offers: number }> = [];
      const seen = new Set<string>();
      for (const c of d.constraints ?? []) {
        const key = JSON.stringify(c);
        if (seen.has(key)) continue;
        seen.add(key);
        const failed = fast.matches.filter((m) => !offerSatisfies(c, m.offer, isTaken)).length;
        if (failed > 0) expected.push({ reason: { kind: 'constraint', constraint: c, detail: constraintDetail(c) }, offers: failed });
      }
      for (const dim of ['cpus', 'mem', 'disk', 'gpus', 'ports'] as const) {
        const raw = dim === 'ports' ? (d.resources.ports ?? 0) : dim === 'cpus' || dim === 'mem' ? d.resources[dim] : (d.resources[dim] ?? 0);
        if (raw <= 0) continue;
        const have = fast.matches.map((m) => (dim === 'ports' ? rangesTotal(m.remaining, 'ports') : sumScalar(m.remaining, dim)));
        const short = have.filter((h) => Math.round(h * 1000) < Math.round(raw * 1000));
        if (short.length > 0) expected.push({ reason: { kind: 'insufficient', resource: dim, wanted: raw, available: Math.max(...short) }, offers: short.length });
      }
      const byKey = (xs: Array<{ reason: NoFitReason; offers: number }>) => xs.map((x) => JSON.stringify(x)).sort();
      assert.deepEqual(byKey(u.reasons), byKey(expected), `seed ${seed}: reasons of ${u.demandId}`);
      for (let k = 1; k < u.reasons.length; k++) assert.ok((u.reasons[k - 1]?.offers ?? 0) >= (u.reasons[k]?.offers ?? 0), 'most frequent first');
      if (offers.length > 0) assert.ok(u.reasons.length > 0, `seed ${seed}: ${u.demandId} has no reason`);
    }
  }
  // The workload is meant to exercise both outcomes heavily.
  assert.ok(placedTotal > 300 && unmatchedTotal > 300, `placed ${placedTotal}, unmatched ${unmatchedTotal}`);
});
