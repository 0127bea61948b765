// A RESCIND that races the session's ACCEPT, in both orders, made
// deterministic by wrapping the live session's methods in the test (no
// change to the session itself):
//   - the RESCIND reaches the session after the job leased the offer and
//     before its launch: the session places the task again on another offer;
//   - the master rescinds the offer just before the ACCEPT arrives: the task
//     is dropped (invalid offer) and the job is retried on the
//     infrastructure budget.
// Either way the job succeeds without spending its own retry budget
// (maxAttempts 1) and no attempt runs two tasks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { masterTasks, startStack, type MasterTask, type Stack } from './stack.js';
import { resultWithin, until } from '../../support/wait.js';
import type { FrameworkSession } from '../../../activities/session/framework-session.js';
import type { JobResult } from '../../../workflows/job-workflow.js';

let stack: Stack;
before(async () => {
  // A lease stays out long enough for the test to act between lease and launch.
  stack = await startStack({ worker: { leaseTimeoutMs: 30_000 } });
});
after(async () => {
  await stack?.stop();
});

async function heldSession(): Promise<FrameworkSession> {
  return until(async () => {
    const s = [...(stack.worker?.sessions ?? [])][0];
    return s?.frameworkId !== undefined ? s : undefined;
  }, 'the session to subscribe');
}

type AcceptArgs = Parameters<FrameworkSession['client']['accept']>;

/** Wraps the session's ACCEPT: `before` runs before each call goes out, with the offer ids and the task ids it launches. */
function wrapAccept(session: FrameworkSession, before: (offerIds: string[], taskIds: string[]) => void): () => void {
  const client = session.client;
  const original = client.accept;
  client.accept = (...args: AcceptArgs) => {
    const [offerIds, operations] = args;
    const ids = offerIds.map((o) => (typeof o === 'string' ? o : o.value));
    const taskIds = operations.flatMap((op) => (op.type === 'LAUNCH' ? (op.launch?.task_infos ?? []).map((t) => t.task_id.value) : []));
    before(ids, taskIds);
    return original.apply(client, args);
  };
  return () => {
    client.accept = original;
  };
}

async function tasksOf(jobId: string): Promise<MasterTask[]> {
  return (await masterTasks(stack)).filter((t) => t.task_id.value.startsWith(`${jobId}.`));
}

test('RESCIND after the lease, before the launch: the task is placed on another offer, one attempt, one task', async () => {
  const session = await heldSession();
  const jobId = `rescind-before-launch-${Date.now()}`;
  const rescinded: string[] = [];
  const notOutstanding: string[] = [];
  const acceptedOffers = new Map<string, string[]>();
  const unwrapAccept = wrapAccept(session, (offerIds, taskIds) => {
    for (const t of taskIds) acceptedOffers.set(t, offerIds);
  });
  const original = session.launch;
  session.launch = async (req) => {
    if (req.jobId === jobId && rescinded.length === 0) {
      // Recorded, not asserted here: a throw would only fail (and retry) the launch activity.
      const offerId = req.lease.offerId;
      rescinded.push(offerId);
      if (stack.cluster.faults.rescindOffer(offerId)) await until(async () => !session.holdsOffer(offerId), 'the session to see the RESCIND', 15_000);
      else notOutstanding.push(offerId);
    }
    return original.call(session, req);
  };
  try {
    const h = await stack.start({ command: 'true', retry: { maxAttempts: 1 } }, jobId);
    const r = (await resultWithin(h)) as JobResult;
    assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r));
    assert.equal(r.attempts, 1);
    assert.equal(rescinded.length, 1, 'the launch came through the wrapper');
    assert.deepEqual(notOutstanding, [], 'the leased offer was still outstanding at the master');
    const progress = await stack.progress(h);
    assert.equal(progress.attempts.length, 1);
    const taskId = progress.attempts[0]?.taskId ?? '';
    const used = acceptedOffers.get(taskId);
    assert.ok(used !== undefined, 'the task went out in an ACCEPT');
    assert.ok(!used.includes(rescinded[0] ?? ''), `the ACCEPT used another offer than the rescinded one (${used.join(',')})`);
    assert.deepEqual((await tasksOf(jobId)).map((t) => [t.task_id.value, t.state]), [[taskId, 'TASK_FINISHED']]);
  } finally {
    session.launch = original;
    unwrapAccept();
  }
});

test('RESCIND just before the ACCEPT reaches the master: the task is dropped and retried on the infrastructure budget', async () => {
  const session = await heldSession();
  const jobId = `rescind-before-accept-${Date.now()}`;
  const rescinded: string[] = [];
  const notOutstanding: string[] = [];
  const unwrapAccept = wrapAccept(session, (offerIds, taskIds) => {
    if (rescinded.length > 0 || !taskIds.some((t) => t.startsWith(`${jobId}.`))) return;
    // Recorded, not asserted here: a throw would break the session's flush.
    for (const o of offerIds) (stack.cluster.faults.rescindOffer(o) ? rescinded : notOutstanding).push(o);
  });
  try {
    const h = await stack.start({ command: 'true', retry: { maxAttempts: 1 } }, jobId);
    const r = (await resultWithin(h)) as JobResult;
    assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r));
    assert.ok(rescinded.length > 0, 'the test rescinded the offer of the ACCEPT');
    assert.deepEqual(notOutstanding, [], 'the offer was still outstanding at the master');
    const progress = await stack.progress(h);
    assert.equal(progress.attempts.length, 2, JSON.stringify(progress.attempts));
    const [first, second] = progress.attempts;
    assert.equal(first?.state, 'TASK_DROPPED');
    assert.equal(first?.outcome, 'infrastructure');
    assert.equal(first?.budget, 'infrastructure');
    assert.equal(second?.state, 'TASK_FINISHED');
    // The dropped task never existed at the master; the retry's task ran once.
    assert.deepEqual((await tasksOf(jobId)).map((t) => [t.task_id.value, t.state]), [[second?.taskId, 'TASK_FINISHED']]);
  } finally {
    unwrapAccept();
  }
});
