// liveAttemptDetails reads the decoded heartbeat details TemporalAccess
// returns (gRPC and HTTP alike): the open placeAndLaunch's details as they
// are, a pre-issue-11 awaitOffer's bare waiting summary wrapped, nothing for
// other activities or an activity that has not heartbeated yet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveAttemptDetails } from '../../../api/live-attempt.js';

const waiting = { offersSeen: 3, reasons: [{ reason: 'cpus: 0.5 wanted, 0.1 offered', offers: 3 }], at: '2026-12-06T00:00:00.000Z' };

test('liveAttemptDetails: placeAndLaunch details as they are, awaitOffer wrapped, others ignored, none before a heartbeat', () => {
  assert.deepEqual(liveAttemptDetails([{ type: 'other', heartbeatDetails: [{ x: 1 }] }, { type: 'placeAndLaunch', heartbeatDetails: [{ waiting, lease: { agent: 'a1' } }] }]), {
    waiting,
    lease: { agent: 'a1' },
  });
  assert.deepEqual(liveAttemptDetails([{ type: 'awaitOffer', heartbeatDetails: [waiting] }]), { waiting });
  assert.equal(liveAttemptDetails([{ type: 'placeAndLaunch', heartbeatDetails: [] }]), undefined);
  assert.equal(liveAttemptDetails([{ type: 'placeAndLaunch', heartbeatDetails: [null] }]), undefined);
  assert.equal(liveAttemptDetails([{ type: 'holdSession', heartbeatDetails: [{ frameworkId: 'f' }] }]), undefined);
  assert.equal(liveAttemptDetails(undefined), undefined);
});
