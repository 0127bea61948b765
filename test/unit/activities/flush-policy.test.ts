// When a held offer goes out, and what becomes of an offer nobody fits: the
// pure policy that packs a burst of jobs into few ACCEPTs without holding
// offers for jobs that are not coming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flushAt, idleOffer, type FlushPolicy, type OfferProgress } from '../../../activities/session/flush-policy.js';

const p: FlushPolicy = { leaseTimeoutMs: 5000, batchWindowMs: 200, gatherQuietMs: 100, gatherMaxMs: 500 };
const offer = (o: Partial<OfferProgress>): OfferProgress => ({ firstLeaseAt: 1000, lastLaunchAt: undefined, leasesOut: 0, launching: 1, turnedAway: false, ...o });

test('leases still out: wait for them, the batch window (or half the lease round trip) after the last launch, at most the lease timeout', () => {
  assert.equal(flushAt(offer({ leasesOut: 2, launching: 0 }), { lastAt: 990, previousAt: 980 }, p, 1010), 6000);
  assert.equal(flushAt(offer({ leasesOut: 1, lastLaunchAt: 1300 }), { lastAt: 990, previousAt: 980 }, p, 1310), 1500);
  // A slow round trip (1 s from lease to launch): the others get 500 ms more.
  assert.equal(flushAt(offer({ leasesOut: 1, lastLaunchAt: 2000 }), { lastAt: 990, previousAt: 980 }, p, 2010), 2500);
  assert.equal(flushAt(offer({ leasesOut: 1, lastLaunchAt: 5900 }), { lastAt: 990, previousAt: 980 }, p, 5910), 6000);
});

test('a lone job launches at once', () => {
  assert.equal(flushAt(offer({}), { lastAt: 990, previousAt: 100 }, p, 1050), 1050);
  assert.equal(flushAt(offer({}), { lastAt: 990, previousAt: 0 }, p, 1050), 1050);
  // Jobs submitted one after another (the one before came more than the quiet gap earlier): no burst, no wait.
  assert.equal(flushAt(offer({}), { lastAt: 990, previousAt: 600 }, p, 1000), 1000);
  assert.equal(flushAt(offer({}), { lastAt: 990, previousAt: 880 }, p, 1000), 1000);
});

test('while a burst keeps arriving, the ACCEPT waits for a quiet gap, bounded after the first lease', () => {
  assert.equal(flushAt(offer({}), { lastAt: 1040, previousAt: 1000 }, p, 1050), 1140);
  assert.equal(flushAt(offer({}), { lastAt: 1450, previousAt: 1420 }, p, 1460), 1500);
});

test('an offer that already turned a waiting job away goes out as soon as its leases are back', () => {
  assert.equal(flushAt(offer({ turnedAway: true }), { lastAt: 1040, previousAt: 1000 }, p, 1050), 1050);
});

test('an offer nobody fits: kept briefly while jobs are on their way, declined otherwise (short filter while demand is recent)', () => {
  assert.deepEqual(idleOffer(1000, false, { lastAt: 900, previousAt: 800 }, p, 30, 1000), { action: 'hold', until: 1400 });
  assert.deepEqual(idleOffer(1000, false, { lastAt: 900, previousAt: 800 }, p, 30, 1400), { action: 'decline', refuseSeconds: 1 });
  // Jobs wait, but none fits: no point holding it.
  assert.deepEqual(idleOffer(1000, true, { lastAt: 990, previousAt: 980 }, p, 30, 1000), { action: 'decline', refuseSeconds: 1 });
  // Nobody waits and nobody came for a long while: the configured filter.
  assert.deepEqual(idleOffer(100_000, false, { lastAt: 900, previousAt: 800 }, p, 30, 100_000), { action: 'decline', refuseSeconds: 30 });
  assert.deepEqual(idleOffer(100_000, false, { lastAt: 0, previousAt: 0 }, p, 30, 100_000), { action: 'decline', refuseSeconds: 30 });
});
