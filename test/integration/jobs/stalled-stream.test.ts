// Missed heartbeats: the master keeps the framework's event stream open but
// stops writing to it (a hung master, a partition) while jobs run. The
// session's heartbeat watchdog must give the stream up, re-subscribe with the
// same framework id, and every job must still finish, each attempt having run
// exactly one task.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryLogger } from '../../../common/logger.js';
import { HeartbeatTimeoutError } from '../../../mesos/client/index.js';
import { assertOneTaskPerAttempt, startStack, type Stack } from './stack.js';
import { progressUntil, resultWithin, until } from '../../support/wait.js';
import { FRAMEWORK_ID_QUERY, sessionWorkflowId } from '../../../activities/contract.js';
import type { JobResult } from '../../../workflows/job-workflow.js';

const logger = createMemoryLogger();
let stack: Stack;
before(async () => {
  // The stack's master heartbeats every second and the session gives a stream up after 3 missed ones.
  stack = await startStack({ logger });
});
after(async () => {
  await stack?.stop();
});

function subscribeCalls(): number {
  const stats = stack.cluster.stats() as { calls: Record<string, number> };
  return stats.calls.SUBSCRIBE ?? 0;
}

test('the master stops writing to the stream mid-run: heartbeat timeout, re-subscription with the same id, every job succeeds once', async () => {
  const session = stack.client.workflow.getHandle(sessionWorkflowId(stack.frameworkName));
  const frameworkId = await until(() => session.query<string | undefined>(FRAMEWORK_ID_QUERY), 'the framework id');
  const held = [...(stack.worker?.sessions ?? [])][0];
  assert.ok(held);
  const handles = await Promise.all(Array.from({ length: 3 }, () => stack.start({ command: 'sleep 2' })));
  // Launched (an update recorded): on a loaded machine a poll may miss the short `running` phase of a 2 s task.
  await Promise.all(handles.map((h) => progressUntil(h, (x) => (x.attempts[0]?.statuses.length ?? 0) > 0, 'jobs launched')));
  const subscribesBefore = held.stats.subscribes;
  const subscribeCallsBefore = subscribeCalls();
  const stalledStream = stack.cluster.master?.findFramework(frameworkId)?.stream;
  assert.ok(stalledStream);

  assert.equal(stack.cluster.faults.stallFramework(frameworkId), true);
  const results = (await Promise.all(handles.map((h) => resultWithin(h)))) as JobResult[];
  assert.ok(results.every((r) => r.status === 'SUCCEEDED' && r.attempts === 1), JSON.stringify(results));

  // The subscription ended because heartbeats were missed, not because the connection broke.
  const timedOut = logger.records.filter((r) => r.err instanceof HeartbeatTimeoutError);
  assert.ok(timedOut.length >= 1, 'the session saw a HeartbeatTimeoutError');
  assert.ok(held.stats.subscribes > subscribesBefore, 'the session subscribed again');
  assert.ok(subscribeCalls() > subscribeCallsBefore, 'the master got another SUBSCRIBE');
  assert.equal(stalledStream.isOpen, false, 'the stalled stream was closed');
  const fw = stack.cluster.master?.findFramework(frameworkId);
  assert.ok(fw?.connected && fw.stream !== undefined && fw.stream !== stalledStream && !fw.stream.isStalled, 'the framework is subscribed on a new stream');
  assert.equal(held.frameworkId, frameworkId);
  assert.equal(await session.query<string | undefined>(FRAMEWORK_ID_QUERY), frameworkId);

  for (const mine of await assertOneTaskPerAttempt(stack, handles)) assert.deepEqual(mine.map((x) => x.state), ['TASK_FINISHED']);

  // The new subscription works: a job after the stall runs too.
  const next = await stack.start({ command: 'true' });
  assert.equal(((await resultWithin(next)) as JobResult).status, 'SUCCEEDED');
});
