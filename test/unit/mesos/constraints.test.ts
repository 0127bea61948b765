import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attributeText,
  constraintDetail,
  constraintKey,
  offerFieldValue,
  offerSatisfies,
  validateConstraint,
  valueSatisfies,
  type PlacementConstraint,
} from '../../../mesos/constraints.js';
import type { Offer } from '../../../mesos/resource-types.js';
import { transcriptOffers } from './transcript-offers.js';

const offer: Offer = {
  id: { value: 'M-O1' },
  framework_id: { value: 'M-0000' },
  agent_id: { value: 'M-S0' },
  hostname: 'node-7.dc1',
  resources: [],
  attributes: [
    { name: 'rack', type: 'TEXT', text: { value: 'r-12' } },
    { name: 'cores', type: 'SCALAR', scalar: { value: 16 } },
    { name: 'weight', type: 'SCALAR', scalar: { value: 0.30000000000000004 } },
    { name: 'slots', type: 'RANGES', ranges: { range: [{ begin: 3, end: 4 }, { begin: 1, end: 2 }, { begin: 10n, end: 12n }] } },
    { name: 'tags', type: 'SET', set: { item: ['ssd', 'gpu'] } },
  ],
};
const never = () => false;

test('attribute values as strings: TEXT, SCALAR (3 decimals), RANGES and SET in Mesos text form', () => {
  assert.equal(offerFieldValue(offer, 'hostname'), 'node-7.dc1');
  assert.equal(offerFieldValue(offer, 'rack'), 'r-12');
  assert.equal(offerFieldValue(offer, 'cores'), '16');
  assert.equal(offerFieldValue(offer, 'weight'), '0.3');
  assert.equal(offerFieldValue(offer, 'slots'), '[1-4, 10-12]');
  assert.equal(offerFieldValue(offer, 'tags'), '{ssd, gpu}');
  assert.equal(offerFieldValue(offer, 'missing'), undefined);
  assert.equal(attributeText({ name: 'x', type: 'TEXT' }), '');
});

test('EQUALS compares the whole string', () => {
  const eq = (field: string, value: string) => offerSatisfies({ field, operator: 'EQUALS', value }, offer, never);
  assert.ok(eq('hostname', 'node-7.dc1'));
  assert.ok(!eq('hostname', 'node-7'));
  assert.ok(eq('rack', 'r-12'));
  assert.ok(eq('cores', '16'));
  assert.ok(!eq('cores', '16.0'));
  assert.ok(!eq('missing', ''));
});

test('LIKE and UNLIKE are regexes anchored on the whole value; a missing attribute fails LIKE and passes UNLIKE', () => {
  const like = (field: string, value: string) => offerSatisfies({ field, operator: 'LIKE', value }, offer, never);
  const unlike = (field: string, value: string) => offerSatisfies({ field, operator: 'UNLIKE', value }, offer, never);
  assert.ok(like('hostname', 'node-\\d+\\.dc1'));
  assert.ok(!like('hostname', 'node'), 'a partial match is not a match');
  assert.ok(like('rack', 'r-1[0-9]|r-2[0-9]'), 'alternation is grouped before anchoring');
  assert.ok(!like('missing', '.*'));
  assert.ok(unlike('missing', '.*'));
  assert.ok(unlike('rack', 'r-2.*'));
  assert.ok(!unlike('rack', 'r-1.*'));
  assert.ok(like('tags', '\\{.*ssd.*\\}'));
});

test('invalid regexes satisfy neither LIKE nor UNLIKE and are reported by validateConstraint', () => {
  const bad: PlacementConstraint = { field: 'rack', operator: 'LIKE', value: '(' };
  assert.ok(!offerSatisfies(bad, offer, never));
  assert.ok(!valueSatisfies({ field: 'rack', operator: 'UNLIKE', value: '(' }, 'x'));
  assert.match(validateConstraint(bad) ?? '', /not a valid regular expression/);
  assert.equal(validateConstraint({ field: 'rack', operator: 'LIKE', value: 'r.*' }), undefined);
  assert.equal(validateConstraint({ field: 'hostname', operator: 'UNIQUE' }), undefined);
  assert.match(validateConstraint({ field: 'rack', operator: 'UNIQUE' } as unknown as PlacementConstraint) ?? '', /hostname field only/);
  assert.match(validateConstraint({ field: '', operator: 'EQUALS', value: 'x' }) ?? '', /empty/);
  assert.equal(constraintDetail(bad), 'invalid regular expression "("');
});

test('UNIQUE asks whether the host is taken in its group (default group "")', () => {
  const taken = new Map([['g', new Set(['node-7.dc1'])]]);
  const hostTaken = (g: string, h: string) => taken.get(g)?.has(h) ?? false;
  assert.ok(!offerSatisfies({ field: 'hostname', operator: 'UNIQUE', group: 'g' }, offer, hostTaken));
  assert.ok(offerSatisfies({ field: 'hostname', operator: 'UNIQUE', group: 'other' }, offer, hostTaken));
  assert.ok(offerSatisfies({ field: 'hostname', operator: 'UNIQUE' }, offer, hostTaken));
  assert.equal(constraintKey({ field: 'hostname', operator: 'UNIQUE' }), constraintKey({ field: 'hostname', operator: 'UNIQUE', group: '' }));
});

test('real offers: the recorded agent has hostname 127.0.0.1 and no attributes', () => {
  const [o] = transcriptOffers('01-subscribe.json');
  assert.ok(o);
  assert.ok(offerSatisfies({ field: 'hostname', operator: 'LIKE', value: '127\\.0\\.0\\.\\d+' }, o, never));
  assert.ok(!offerSatisfies({ field: 'rack', operator: 'EQUALS', value: 'r1' }, o, never));
  assert.ok(offerSatisfies({ field: 'rack', operator: 'UNLIKE', value: 'r1' }, o, never));
});
