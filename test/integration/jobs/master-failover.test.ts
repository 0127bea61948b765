// Master redirects and leader changes: the worker is pointed at a
// non-leading master first (307 to the leader), then leadership moves while
// jobs run; the session follows it with the same framework id.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from './stack.js';
import { progressUntil, resultWithin, until } from '../../support/wait.js';
import { FRAMEWORK_ID_QUERY, sessionWorkflowId } from '../../../activities/contract.js';
import type { JobResult } from '../../../workflows/job-workflow.js';

let stack: Stack;
before(async () => {
  // The stack's default master list is the leader; put the follower first.
  stack = await startStack({ cluster: { followers: 1 }, lateMasters: (c) => [c.masterUrls[1] ?? c.masterUrl, c.masterUrl] });
});
after(async () => {
  await stack?.stop();
});

test('subscribing through a non-leading master, then a master failover while jobs run', async () => {
  const session = stack.client.workflow.getHandle(sessionWorkflowId(stack.frameworkName));
  const frameworkId = await until(() => session.query<string | undefined>(FRAMEWORK_ID_QUERY), 'the framework id');
  const first = await stack.start({ command: 'true' });
  assert.equal(((await resultWithin(first)) as JobResult).status, 'SUCCEEDED');
  const handles = await Promise.all(Array.from({ length: 4 }, () => stack.start({ command: 'sleep 2' })));
  await Promise.all(handles.map((h) => progressUntil(h, (p) => p.phase === 'running', 'jobs running')));
  const moved = await stack.cluster.faults.failover(1);
  assert.ok(moved.leader);
  const results = (await Promise.all(handles.map((h) => resultWithin(h)))) as JobResult[];
  assert.ok(results.every((r) => r.status === 'SUCCEEDED'), JSON.stringify(results));
  const after = await stack.start({ command: 'true' });
  assert.equal(((await resultWithin(after)) as JobResult).status, 'SUCCEEDED');
  assert.equal(await session.query<string | undefined>(FRAMEWORK_ID_QUERY), frameworkId);
  const held = [...(stack.worker?.sessions ?? [])][0];
  assert.ok(held && held.stats.subscribes >= 2);
  assert.equal(held.client.leaderUrl, stack.cluster.masterUrl);
});
