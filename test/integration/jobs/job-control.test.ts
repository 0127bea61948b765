import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { startStack, jobFailure, type Stack } from './stack.js';
import { progressUntil, resultWithin } from '../../support/wait.js';
import type { JobFailureDetails } from '../../../workflows/job-workflow.js';
import { jobProgressLive } from '../../../worker/job-client.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test('50 jobs submitted together all succeed, several launched per ACCEPT', async () => {
  const handles = await Promise.all(Array.from({ length: 50 }, () => stack.start({ command: 'true', resources: { cpus: 0.1, mem: 16 } })));
  const results = await Promise.all(handles.map((h) => resultWithin(h) as Promise<{ status: string }>));
  assert.ok(results.every((r) => r.status === 'SUCCEEDED'));
  const stats = stack.cluster.stats() as { accepts_with_several_launches: number; launched_task_infos: number; calls: Record<string, number> };
  assert.ok(stats.accepts_with_several_launches > 0, JSON.stringify(stats));
  assert.ok(stats.launched_task_infos >= 50, JSON.stringify(stats));
  assert.ok((stats.calls.ACCEPT ?? 0) < 50, `fewer ACCEPTs than jobs: ${JSON.stringify(stats)}`);
});

test('cancelling a running job kills its task and the job ends cancelled after TASK_KILLED', async () => {
  const h = await stack.start({ command: 'sleep 60', killGracePeriodSeconds: 1 });
  await progressUntil(h, (p) => p.phase === 'running', 'the task to run');
  await h.cancel();
  await assert.rejects(resultWithin(h), (err: unknown) => err instanceof WorkflowFailedError && (err.cause?.name ?? '') === 'CancelledFailure');
  const p = await stack.progress(h);
  assert.equal(p.status, 'CANCELLED');
  assert.equal(p.attempts.length, 1);
  assert.equal(p.attempts[0]?.state, 'TASK_KILLED');
  const desc = await h.describe();
  assert.equal(desc.status.name, 'CANCELLED');
  assert.deepEqual(desc.searchAttributes.MesoflowJobStatus, ['CANCELLED']);
});

test('the timeout kills the task and the job ends timed out', async () => {
  const h = await stack.start({ command: 'sleep 60', timeoutSeconds: 1, killGracePeriodSeconds: 1 });
  const f = await jobFailure(h);
  assert.equal(f.type, 'JobTimedOut');
  assert.equal((f.details[0] as JobFailureDetails).status, 'TIMED_OUT');
  const p = await stack.progress(h);
  assert.equal(p.status, 'TIMED_OUT');
  assert.equal(p.attempts[0]?.state, 'TASK_KILLED');
  assert.equal(p.attempts[0]?.outcome, 'timeout');
});

test('a job that fits no offer says why while it waits, and can be cancelled while waiting', async () => {
  const held = [...(stack.worker?.sessions ?? [])][0];
  assert.ok(held);
  const revivesBefore = held.stats.revives;
  const h = await stack.start({ command: 'true', resources: { cpus: 64 } });
  const t0 = Date.now();
  // Heartbeated by the attempt's activity as soon as an offer was weighed for the job, not after a poll.
  const p = await progressUntil(h, (x) => (x.waiting?.offersSeen ?? 0) > 0, 'a waiting summary', 15_000);
  console.log(`waiting reasons visible after ${Date.now() - t0} ms`);
  assert.equal(p.phase, 'waiting-for-offer');
  assert.match(p.waiting?.reasons[0]?.reason ?? '', /cpus/);
  // The summary keeps counting across polls (offers come back after the decline filter).
  const seen = p.waiting?.offersSeen ?? 0;
  await progressUntil(h, (x) => (x.waiting?.offersSeen ?? 0) > seen, 'the summary to grow across polls');
  // The query alone does not have it (no event per summary): the live view adds it.
  const live = await jobProgressLive(h);
  assert.ok((live.waiting?.offersSeen ?? 0) >= seen);
  assert.equal((await stack.progress(h)).waiting, undefined);
  // Offers nobody fits are declined, not revived in a loop.
  assert.ok(held.stats.revives - revivesBefore <= 3, `revives: ${held.stats.revives - revivesBefore}`);
  await h.cancel();
  await assert.rejects(resultWithin(h), (err: unknown) => err instanceof WorkflowFailedError);
  const end = await stack.progress(h);
  assert.equal(end.status, 'CANCELLED');
  assert.equal(end.attempts[0]?.state, undefined, 'no task was launched');
});

test('a job that waits longer than offerTimeoutSeconds fails', async () => {
  const h = await stack.start({ command: 'true', resources: { mem: 1_000_000 }, offerTimeoutSeconds: 1 });
  const f = await jobFailure(h);
  assert.equal(f.type, 'JobFailed');
  assert.match((f.details[0] as JobFailureDetails).why, /no fitting offer/);
});
