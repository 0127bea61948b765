// decodeEventRecord: a RecordIO record to a typed event, keeping the readable
// offers of an OFFERS event when one of its offers fails its schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEventRecord } from '../../../mesos/client/codec.js';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const offer = (id: string | undefined, cpuType = 'SCALAR') => ({
  ...(id === undefined ? {} : { id: { value: id } }),
  framework_id: { value: 'F-0000' },
  agent_id: { value: 'M-S0' },
  hostname: 'h1',
  resources: [{ name: 'cpus', type: cpuType, scalar: { value: 1 }, role: '*' }],
});

test('an OFFERS event with one malformed offer keeps the others and reports the bad one with its id and path', () => {
  const d = decodeEventRecord(enc({ type: 'OFFERS', offers: { offers: [offer('O1'), offer('O2', 'FOO'), offer('O3')] } }));
  assert.ok(d.ok);
  assert.equal(d.event.type, 'OFFERS');
  const ids = (d.event as { offers: { offers: Array<{ id: { value: string } }> } }).offers.offers.map((o) => o.id.value);
  assert.deepEqual(ids, ['O1', 'O3']);
  assert.equal(d.rejectedOffers?.length, 1);
  assert.equal(d.rejectedOffers?.[0]?.offerId, 'O2');
  assert.deepEqual(d.rejectedOffers?.[0]?.paths, ['resources[0].type']);
});

test('a malformed offer without a readable id is reported with no id (nothing to decline)', () => {
  const d = decodeEventRecord(enc({ type: 'OFFERS', offers: { offers: [offer(undefined)] } }));
  assert.ok(d.ok);
  assert.deepEqual((d.event as { offers: { offers: unknown[] } }).offers.offers, []);
  assert.equal(d.rejectedOffers?.[0]?.offerId, undefined);
  assert.ok(d.rejectedOffers?.[0]?.paths.includes('id'));
});

test('a well-formed OFFERS event has no rejected offers; other malformed events are still errors with paths', () => {
  const good = decodeEventRecord(enc({ type: 'OFFERS', offers: { offers: [offer('O1')] } }));
  assert.ok(good.ok);
  assert.equal(good.rejectedOffers, undefined);
  const bad = decodeEventRecord(enc({ type: 'UPDATE', update: { status: { task_id: { value: 't' }, state: 'TASK_NOPE' } } }));
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.stage === 'schema' && bad.paths?.includes('update.status.state'));
  const notOffers = decodeEventRecord(enc({ type: 'OFFERS', offers: 'x' }));
  assert.equal(notOffers.ok, false);
});
