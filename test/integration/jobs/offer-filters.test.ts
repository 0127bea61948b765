// Offers declined with a long refuse filter while nobody waited must not
// keep the next job waiting for the filter to expire: its arrival REVIVEs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from './stack.js';
import { resultWithin, until } from '../../support/wait.js';
import type { JobResult } from '../../../workflows/job-workflow.js';

let stack: Stack;
before(async () => {
  stack = await startStack({ worker: { declineRefuseSeconds: 120, suppressDelayMs: 120_000 } });
});
after(async () => {
  await stack?.stop();
});

test('a job arriving after offers were declined with a long filter revives them', async () => {
  const held = await until(async () => [...(stack.worker?.sessions ?? [])][0], 'the session');
  await until(async () => held.stats.declines > 0, 'the idle offers to be declined');
  const revives = held.stats.revives;
  const started = Date.now();
  const h = await stack.start({ command: 'true' });
  assert.equal(((await resultWithin(h)) as JobResult).status, 'SUCCEEDED');
  assert.ok(held.stats.revives > revives, 'REVIVE on the new job');
  assert.ok(Date.now() - started < 100_000, 'not held back by the 120 s filter');
});
