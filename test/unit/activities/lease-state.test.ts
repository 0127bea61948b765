// The lease transitions on their own: every path a lease can take, and the
// events that cannot happen in a state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaseOccupiesHost, leaseTransition, type LeaseEvent, type LeaseState } from '../../../activities/session/lease-state.js';

function walk(from: LeaseState, events: LeaseEvent[]): LeaseState | undefined {
  let s: LeaseState | undefined = from;
  for (const e of events) {
    if (s === undefined) return undefined;
    s = leaseTransition(s, e);
  }
  return s;
}

test('a lease whose launch came back goes out in the ACCEPT and ends launched', () => {
  assert.equal(walk('leased', ['launch', 'flush', 'accepted']), 'launched');
});

test('a lease the ACCEPT went without expires (placed again); a refused ACCEPT expires its leases too', () => {
  assert.equal(walk('leased', ['flush']), 'expired');
  assert.equal(walk('leased', ['launch', 'flush', 'rejected']), 'expired');
  // A late launch of an expired lease is no transition: the session places the task again instead.
  assert.equal(leaseTransition('expired', 'launch'), undefined);
});

test('an ACCEPT that failed without an answer leaves the lease uncertain (ask the master)', () => {
  assert.equal(walk('leased', ['launch', 'flush', 'ambiguous']), 'uncertain');
  assert.equal(leaseTransition('uncertain', 'accepted'), undefined);
});

test('a rescinded or lost offer expires leases not yet in an ACCEPT; one in flight is decided by its answer', () => {
  assert.equal(walk('leased', ['offer-gone']), 'expired');
  assert.equal(walk('leased', ['launch', 'offer-gone']), 'expired');
  assert.equal(walk('leased', ['launch', 'flush', 'offer-gone']), 'accepting');
  assert.equal(walk('leased', ['launch', 'flush', 'offer-gone', 'accepted']), 'launched');
});

test('nothing follows launched; events out of order are refused, not applied', () => {
  for (const e of ['launch', 'flush', 'accepted', 'rejected', 'ambiguous', 'offer-gone'] as LeaseEvent[]) assert.equal(leaseTransition('launched', e), undefined, e);
  assert.equal(leaseTransition('leased', 'accepted'), undefined);
  assert.equal(leaseTransition('launching', 'launch'), undefined);
});

test('leases hold their host for UNIQUE placement until they expire or turn uncertain', () => {
  assert.deepEqual(
    (['leased', 'launching', 'accepting', 'launched', 'expired', 'uncertain'] as LeaseState[]).filter(leaseOccupiesHost),
    ['leased', 'launching', 'accepting', 'launched'],
  );
});
