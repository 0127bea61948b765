// An open placeAndLaunch attempt outlives its activity call (it completes
// asynchronously). Anything it makes inside the call's async context keeps
// that context, the SDK's Activity object with it, alive: the attempt runs
// in the context the activities were created in instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asyncLocalStorage, CompleteAsyncError, type Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { createPlaceAndLaunch, type PlacingSession } from '../../../activities/session/place-and-launch.js';
import type { PlaceAndLaunchResult } from '../../../activities/contract.js';
import { createMemoryLogger } from '../../../common/logger.js';

test("an open attempt runs outside its activity call's async context", async () => {
  const storesSeen: unknown[] = [];
  let completed: (r: PlaceAndLaunchResult) => void = () => undefined;
  const completion = new Promise<PlaceAndLaunchResult>((resolve) => (completed = resolve));
  const session: PlacingSession = {
    frameworkId: 'fw-1',
    waitingSummary: () => undefined,
    async awaitOffer() {
      storesSeen.push(asyncLocalStorage.getStore());
      return { kind: 'waiting', waiting: { offersSeen: 0, reasons: [], at: new Date().toISOString() } };
    },
    launch: () => Promise.reject(new Error('no launch without a lease')),
  };
  const client = {
    activity: {
      heartbeat: () => Promise.resolve(),
      complete: (_token: Uint8Array, r: PlaceAndLaunchResult) => Promise.resolve(completed(r)),
      fail: () => Promise.resolve(),
      reportCancellation: () => Promise.resolve(),
    },
  } as unknown as Client;
  const { activities } = createPlaceAndLaunch(session, { client, log: createMemoryLogger() });
  const call = { info: { taskToken: new Uint8Array([1, 2, 3]), heartbeatTimeoutMs: 20_000, heartbeatDetails: undefined, activityType: 'placeAndLaunch' } } as unknown as Context;
  const req = { jobId: 'job-1', attempt: 1, taskId: 'job-1.1', spec: { command: 'true', resources: { cpus: 0.1, mem: 16 } }, offerDeadline: Date.now() + 1000, firstUpdateMs: 1000 };
  await assert.rejects(
    asyncLocalStorage.run(call, () => activities.placeAndLaunch(req)),
    (err: unknown) => err instanceof CompleteAsyncError,
  );
  const result = await completion;
  assert.equal(result.kind, 'no-offer', 'the attempt ran to its end and completed through the client');
  assert.equal(storesSeen.length, 1);
  assert.notEqual(storesSeen[0], call, "the session was called from the activity call's async context");
});
