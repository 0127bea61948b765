import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addResources,
  containsResources,
  isEmptyResources,
  normalizeResources,
  rangesOf,
  rangesTotal,
  ResourceArithmeticError,
  subtractResources,
  sumScalar,
} from '../../../mesos/resources.js';
import { InvalidResourceError, isAllocatableTo, reservationRole } from '../../../mesos/resource-identity.js';
import { coalesce, containsRanges, lowestRanges, subtractRanges } from '../../../mesos/ranges.js';
import type { Resource } from '../../../mesos/resource-types.js';
import { resourcesOf, transcriptOffers } from './transcript-offers.js';

const cpus = (value: number, extra: Partial<Resource> = {}): Resource => ({ name: 'cpus', type: 'SCALAR', scalar: { value }, ...extra });
const mem = (value: number, extra: Partial<Resource> = {}): Resource => ({ name: 'mem', type: 'SCALAR', scalar: { value }, ...extra });
const ports = (pairs: Array<[number, number]>, extra: Partial<Resource> = {}): Resource => ({
  name: 'ports',
  type: 'RANGES',
  ranges: { range: pairs.map(([begin, end]) => ({ begin, end })) },
  ...extra,
});
const disks = (items: string[]): Resource => ({ name: 'disks', type: 'SET', set: { item: items } });

test('scalars add and subtract in thousandths: 0.1 + 0.2 is 0.3, 0.3 - 0.1 is 0.2', () => {
  assert.deepEqual(addResources([cpus(0.1)], [cpus(0.2)]), [cpus(0.3)]);
  assert.deepEqual(subtractResources([cpus(0.3)], [cpus(0.1)]), [cpus(0.2)]);
  let acc: Resource[] = [];
  for (let i = 0; i < 10; i++) acc = addResources(acc, [cpus(0.1)]);
  assert.deepEqual(acc, [cpus(1)]);
  assert.equal(sumScalar([cpus(0.1), cpus(0.2, { role: 'web' })], 'cpus'), 0.3);
  // A value finer than 3 decimals rounds like Mesos (llround of value*1000).
  assert.deepEqual(normalizeResources([cpus(0.1004)]), [cpus(0.1)]);
});

test('subtracting to zero drops the resource; subtracting too much throws naming the resource', () => {
  assert.deepEqual(subtractResources([cpus(1.5), mem(128)], [cpus(1.5)]), [mem(128)]);
  assert.ok(isEmptyResources(subtractResources([cpus(0.3)], [cpus(0.1), cpus(0.2)])));
  assert.throws(
    () => subtractResources([cpus(1), mem(128)], [mem(256)]),
    (err: unknown) => err instanceof ResourceArithmeticError && err.resourceName === 'mem' && /mem: wanted 256, available 128/.test(err.message),
  );
  // Two parts that exceed together are caught even though each alone fits.
  assert.throws(() => subtractResources([cpus(1)], [cpus(0.6), cpus(0.6)]), ResourceArithmeticError);
  assert.throws(() => subtractResources([cpus(1)], [mem(1)]), /Cannot subtract mem: wanted 1, available none/);
});

test('contains compares per identity', () => {
  assert.ok(containsResources([cpus(2), mem(1024)], [cpus(0.1), mem(32)]));
  assert.ok(containsResources([cpus(0.3)], [cpus(0.1), cpus(0.2)]));
  assert.ok(!containsResources([cpus(2)], [cpus(2.001)]));
  assert.ok(containsResources([cpus(2)], []));
  assert.ok(!containsResources([], [cpus(0.001)]));
  assert.ok(containsResources([], [cpus(0)]), 'an empty resource is contained in anything');
});

test('ranges: adjacent and overlapping ranges merge, subtracting the middle splits, contains', () => {
  assert.deepEqual(normalizeResources([ports([[31000, 31004], [31005, 31010], [31008, 31020], [30000, 30000]])]), [ports([[30000, 30000], [31000, 31020]])]);
  assert.deepEqual(addResources([ports([[1, 2]])], [ports([[3, 4]])]), [ports([[1, 4]])]);
  assert.deepEqual(subtractResources([ports([[31000, 32000]])], [ports([[31005, 31005], [31100, 31199]])]), [
    ports([[31000, 31004], [31006, 31099], [31200, 32000]]),
  ]);
  assert.deepEqual(subtractResources([ports([[31000, 31001]])], [ports([[31000, 31001]])]), []);
  assert.ok(containsResources([ports([[31000, 32000]])], [ports([[31000, 31000], [32000, 32000]])]));
  assert.ok(!containsResources([ports([[31000, 31004], [31006, 32000]])], [ports([[31004, 31006]])]));
  assert.throws(() => subtractResources([ports([[31000, 31004]])], [ports([[31004, 31005]])]), /Cannot subtract ports: wanted \[31004-31005\], available \[31000-31004\]/);
  assert.equal(rangesTotal([ports([[31000, 32000]]), ports([[1, 2]], { role: 'web' })], 'ports'), 1003);
  assert.deepEqual(rangesOf([ports([[5, 6]]), ports([[1, 4]], { role: 'web' })], 'ports'), [{ begin: 1, end: 6 }]);
});

test('ranges accept bigint bounds and reject inverted ones', () => {
  const big: Resource = { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000n, end: 31010n }] } };
  assert.deepEqual(normalizeResources([big]), [ports([[31000, 31010]])]);
  assert.throws(() => normalizeResources([ports([[5, 4]])]), InvalidResourceError);
  assert.throws(() => normalizeResources([cpus(-1)]), InvalidResourceError);
});

test('flat range helpers', () => {
  assert.deepEqual(coalesce([[10, 12], [1, 3], [4, 4], [13, 20]]), [1, 4, 10, 20]);
  assert.deepEqual(subtractRanges([1, 10, 20, 30], [0, 1, 5, 6, 10, 21, 25, 25, 30, 40]), [2, 4, 7, 9, 22, 24, 26, 29]);
  assert.ok(containsRanges([1, 10, 20, 30], [1, 1, 10, 10, 22, 30]));
  assert.ok(!containsRanges([1, 10, 20, 30], [10, 20]));
  assert.deepEqual(lowestRanges([31000, 31001, 31005, 32000], 4), [31000, 31001, 31005, 31006]);
});

test('sets: union, subtract, contains', () => {
  assert.deepEqual(addResources([disks(['sda'])], [disks(['sdb', 'sda'])]), [disks(['sda', 'sdb'])]);
  assert.deepEqual(subtractResources([disks(['sda', 'sdb'])], [disks(['sda'])]), [disks(['sdb'])]);
  assert.deepEqual(subtractResources([disks(['sda'])], [disks(['sda'])]), []);
  assert.ok(containsResources([disks(['sda', 'sdb'])], [disks(['sdb'])]));
  assert.ok(!containsResources([disks(['sda'])], [disks(['sdc'])]));
  assert.throws(() => subtractResources([disks(['sda'])], [disks(['sdc'])]), /Cannot subtract disks: wanted \{sdc\}, available \{sda\}/);
});

test('roles and reservations are kept apart; "*" equals no role', () => {
  const web = { role: 'web' } as const;
  const dyn = { role: 'web', reservation: { principal: 'ops' } };
  const sum = addResources([cpus(1, { role: '*' }), cpus(2, web)], [cpus(0.5), cpus(1, dyn), cpus(1, web)]);
  assert.deepEqual(sum, [cpus(1.5, { role: '*' }), cpus(3, web), cpus(1, dyn)]);
  assert.throws(
    () => subtractResources([cpus(1), cpus(4, web)], [cpus(2)]),
    (err: unknown) => err instanceof ResourceArithmeticError && err.message === 'Cannot subtract cpus: wanted 2, available 1',
  );
  assert.throws(() => subtractResources([cpus(1)], [cpus(1, dyn)]), /Cannot subtract cpus\(reserved for web by ops\)/);
  assert.ok(!containsResources([cpus(4, web)], [cpus(1)]));
  // The pre-refinement format and the refinement format name the same reservation.
  const refined: Resource = cpus(1, { reservations: [{ type: 'DYNAMIC', role: 'web', principal: 'ops' }] });
  assert.ok(containsResources([cpus(2, dyn)], [refined]));
  const staticRefined: Resource = cpus(1, { reservations: [{ type: 'STATIC', role: 'web' }] });
  assert.deepEqual(subtractResources([cpus(2, web)], [staticRefined]), [cpus(1, web)]);
  // Allocation roles are part of the identity too.
  assert.ok(!containsResources([cpus(2, { allocation_info: { role: 'a' } })], [cpus(1, { allocation_info: { role: 'b' } })]));
  assert.ok(!containsResources([cpus(2, { allocation_info: { role: 'a' } })], [cpus(1)]));
  assert.equal(reservationRole(cpus(1, { reservations: [{ type: 'DYNAMIC', role: 'eng' }, { type: 'DYNAMIC', role: 'eng/web' }] })), 'eng/web');
  assert.ok(isAllocatableTo(cpus(1, { role: 'eng' }), 'eng/web'));
  assert.ok(!isAllocatableTo(cpus(1, { role: 'eng/web' }), 'eng'));
  assert.ok(!isAllocatableTo(cpus(1, { role: 'engineering' }), 'eng'));
  assert.ok(isAllocatableTo(cpus(1, { role: '*' }), 'anything'));
});

test('persistent volumes and shared resources are indivisible units', () => {
  const vol = (id: string, size: number): Resource => ({
    name: 'disk',
    type: 'SCALAR',
    scalar: { value: size },
    reservations: [{ type: 'DYNAMIC', role: 'web' }],
    disk: { persistence: { id }, volume: { mode: 'RW', container_path: 'data' } },
  });
  assert.deepEqual(addResources([vol('v1', 64)], [vol('v2', 64)]), [vol('v1', 64), vol('v2', 64)]);
  assert.deepEqual(subtractResources([vol('v1', 64), vol('v2', 64)], [vol('v1', 64)]), [vol('v2', 64)]);
  assert.throws(() => subtractResources([vol('v1', 64)], [vol('v1', 32)]), /Cannot subtract disk\(reserved for web by \?, volume v1\): no such resource/);
  const shared: Resource = { ...vol('s', 10), shared: {} };
  assert.deepEqual(addResources([shared], [shared]), [shared, shared]);
  assert.ok(containsResources([shared, shared], [shared, shared]));
  assert.ok(!containsResources([shared], [shared, shared]));
});

test('real offers from the transcripts: three resource formats, arithmetic over them', () => {
  const offers = transcriptOffers('01-subscribe.json');
  assert.equal(offers.length, 3);
  for (const o of offers) {
    const rs = resourcesOf(o);
    assert.equal(sumScalar(rs, 'cpus'), 2);
    assert.equal(sumScalar(rs, 'mem'), 1024);
    assert.equal(rangesTotal(rs, 'ports'), 1001);
    assert.deepEqual(normalizeResources(rs), rs, 'offers are already normalized');
  }
  // The 06 recording: each task took cpus 0.1 / mem 32 off a 2-cpu offer; three of them leave 1.7 / 928.
  const [first, second] = transcriptOffers('06-multi-launch.json');
  assert.ok(first && second);
  const task = resourcesOf(first).filter((r) => r.name === 'cpus' || r.name === 'mem').map((r) => (r.name === 'cpus' ? { ...r, scalar: { value: 0.1 } } : { ...r, scalar: { value: 32 } }));
  const left = subtractResources(resourcesOf(first), [...task, ...task, ...task]);
  assert.equal(sumScalar(left, 'cpus'), 1.7);
  assert.deepEqual(left, resourcesOf(second));
});
