// Status updates for a job that no longer exists are acknowledged (so the
// agent stops resending them and the master completes the task) and logged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { createMemoryLogger } from '../../../common/logger.js';
import { startStack, type Stack } from './stack.js';
import { progressUntil, resultWithin, until } from '../../support/wait.js';

const logger = createMemoryLogger();
let stack: Stack;
before(async () => {
  stack = await startStack({ logger });
});
after(async () => {
  await stack?.stop();
});

test('updates of a terminated job are acknowledged and logged; the session keeps offers suppressed while idle', async () => {
  const h = await stack.start({ command: 'sleep 1' });
  const p = await progressUntil(h, (x) => x.phase === 'running', 'the task to run');
  const taskId = p.attempts[0]?.taskId;
  assert.ok(taskId);
  await h.terminate('gone before its task');
  await until(async () => {
    const res = await request(`${stack.cluster.masterUrl}/api/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ type: 'GET_TASKS' }),
    });
    const body = (await res.body.json()) as { get_tasks?: { completed_tasks?: Array<{ task_id: { value: string }; state: string }> } };
    return body.get_tasks?.completed_tasks?.some((t) => t.task_id.value === taskId && t.state === 'TASK_FINISHED');
  }, 'the master to complete the task (its terminal update acknowledged)');
  assert.ok(logger.records.some((r) => r.msg.includes('no longer runs') && r.taskId === taskId));
  const held = [...(stack.worker?.sessions ?? [])][0];
  assert.ok(held);
  await until(async () => held.stats.suppresses > 0, 'a SUPPRESS once nobody waits');
  const stats = stack.cluster.stats() as { calls: Record<string, number> };
  assert.ok((stats.calls.SUPPRESS ?? 0) > 0);
  // A new job revives offers.
  const revivesBefore = held.stats.revives;
  const again = await stack.start({ command: 'true' });
  await resultWithin(again);
  assert.ok(held.stats.revives > revivesBefore, 'REVIVE when a job arrives after SUPPRESS');
});
