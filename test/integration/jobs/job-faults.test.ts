import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from './stack.js';
import { progressUntil, resultWithin, until } from '../../support/wait.js';
import { FRAMEWORK_ID_QUERY, sessionWorkflowId } from '../../../activities/contract.js';
import type { JobResult } from '../../../workflows/job-workflow.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

// The first attempt runs long, a retry finishes at once.
const firstAttemptHangs = 'if [ "$MESOFLOW_ATTEMPT" = 1 ]; then sleep 60; fi';

for (const mode of ['gone', 'unreachable'] as const) {
  test(`an agent removed (${mode}) mid-run: the job is retried on another agent without spending its budget`, async () => {
    const h = await stack.start({ command: firstAttemptHangs, killGracePeriodSeconds: 1 });
    const p = await progressUntil(h, (x) => x.phase === 'running', 'the first attempt to run');
    const agentId = p.attempts[0]?.agentId;
    assert.ok(agentId);
    assert.equal(await stack.cluster.faults.removeAgent(agentId, mode), true);
    const r = (await resultWithin(h)) as JobResult;
    assert.equal(r.status, 'SUCCEEDED');
    const end = await stack.progress(h);
    assert.equal(end.attempts.length, 2);
    assert.equal(end.attempts[0]?.outcome, 'infrastructure');
    assert.equal(end.attempts[0]?.budget, 'infrastructure');
    assert.equal(end.attempts[0]?.state, mode === 'gone' ? 'TASK_GONE_BY_OPERATOR' : 'TASK_UNREACHABLE');
    assert.notEqual(end.attempts[1]?.agentId, agentId);
    // Keep two agents for the next test.
    await stack.cluster.faults.addAgent({ resources: 'cpus:4;mem:4096;disk:4096;ports:[31000-31999]' });
  });
}

test('the framework stream is dropped: the session re-subscribes with the same framework id and the jobs finish', async () => {
  const session = stack.client.workflow.getHandle(sessionWorkflowId(stack.frameworkName));
  const frameworkId = await until(() => session.query<string | undefined>(FRAMEWORK_ID_QUERY), 'the framework id');
  const held = [...(stack.worker?.sessions ?? [])][0];
  assert.ok(held);
  const subscribesBefore = held.stats.subscribes;
  const handles = await Promise.all(Array.from({ length: 6 }, () => stack.start({ command: 'sleep 2' })));
  await Promise.all(handles.map((h) => progressUntil(h, (x) => x.phase === 'running', 'jobs running')));
  assert.equal(stack.cluster.faults.disconnectFramework(frameworkId), true);
  const results = (await Promise.all(handles.map((h) => resultWithin(h)))) as JobResult[];
  assert.ok(results.every((r) => r.status === 'SUCCEEDED' && r.attempts === 1), JSON.stringify(results));
  assert.ok(held.stats.subscribes > subscribesBefore, 'the session subscribed again');
  assert.equal(held.frameworkId, frameworkId);
  assert.equal(await session.query<string | undefined>(FRAMEWORK_ID_QUERY), frameworkId);
});

test('an agent lost while the framework is disconnected: reconciliation finds the task gone and the job is retried', async () => {
  const session = stack.client.workflow.getHandle(sessionWorkflowId(stack.frameworkName));
  const frameworkId = await until(() => session.query<string | undefined>(FRAMEWORK_ID_QUERY), 'the framework id');
  const h = await stack.start({ command: firstAttemptHangs, killGracePeriodSeconds: 1 });
  const p = await progressUntil(h, (x) => x.phase === 'running', 'the first attempt to run');
  const agentId = p.attempts[0]?.agentId;
  assert.ok(agentId);
  // The update about the lost agent goes to a disconnected framework: only reconciliation can tell.
  assert.equal(stack.cluster.faults.disconnectFramework(frameworkId), true);
  assert.equal(await stack.cluster.faults.removeAgent(agentId, 'gone'), true);
  const r = (await resultWithin(h)) as JobResult;
  assert.equal(r.status, 'SUCCEEDED');
  const end = await stack.progress(h);
  assert.equal(end.attempts.length, 2);
  assert.equal(end.attempts[0]?.outcome, 'infrastructure');
  assert.notEqual(end.attempts[1]?.agentId, agentId);
});
