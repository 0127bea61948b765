// One task's reliable status-update stream, with a manual clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskStatus } from '../../../mesos/schemas/index.js';
import type { AgentStatusUpdate } from '../../../devcluster/agent/contract.js';
import { StatusUpdateStream } from '../../../devcluster/agent/status-update-stream.js';

function harness(retryMs = 10_000, maxRetryMs = 600_000) {
  const sent: AgentStatusUpdate[] = [];
  const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const acked: TaskStatus[] = [];
  const stream = new StatusUpdateStream({
    frameworkId: 'f',
    taskId: 't',
    retryMs,
    maxRetryMs,
    send: (u) => sent.push(u),
    onAcknowledged: (s) => acked.push(s),
    setTimer: (fn, ms) => {
      const timer = { fn, ms, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
  });
  const fire = (): number => {
    const t = timers.filter((x) => !x.cancelled).at(-1);
    assert.ok(t, 'a pending timer');
    t.cancelled = true;
    t.fn();
    return t.ms;
  };
  return { stream, sent, timers, acked, fire };
}

const status = (state: TaskStatus['state'], uuid: string): TaskStatus => ({ task_id: { value: 't' }, state, uuid }) as TaskStatus;

test('only the oldest unacknowledged update is in flight; an ACK releases the next at once', () => {
  const h = harness();
  h.stream.enqueue(status('TASK_STARTING', 'u1'));
  h.stream.enqueue(status('TASK_RUNNING', 'u2'));
  h.stream.enqueue(status('TASK_FINISHED', 'u3'));
  assert.deepEqual(h.sent.map((u) => [u.status.uuid, u.retry, u.latestState]), [['u1', false, 'TASK_STARTING']]);
  assert.equal(h.stream.acknowledge('u1'), 'acknowledged');
  assert.deepEqual(h.sent.map((u) => [u.status.uuid, u.latestState]), [['u1', 'TASK_STARTING'], ['u2', 'TASK_FINISHED']]);
  assert.equal(h.stream.acknowledge('u3'), 'ignored', 'not the one in flight');
  assert.equal(h.stream.acknowledge('u1'), 'ignored', 'a duplicate');
  assert.equal(h.sent.length, 2);
  h.stream.acknowledge('u2');
  h.stream.acknowledge('u3');
  assert.ok(h.stream.drained);
  assert.deepEqual(h.acked.map((s) => s.uuid), ['u1', 'u2', 'u3']);
  assert.equal(h.stream.lastAcknowledged?.state, 'TASK_FINISHED');
});

test('retries: same uuid with the retry flag, after 10 s, 20 s, 40 s ... capped at 10 min, forever', () => {
  const h = harness();
  h.stream.enqueue(status('TASK_RUNNING', 'u1'));
  const delays: number[] = [];
  for (let i = 0; i < 10; i++) delays.push(h.fire());
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000, 600_000]);
  assert.equal(h.sent.length, 11);
  assert.ok(h.sent.slice(1).every((u) => u.retry && u.status.uuid === 'u1'));
  h.stream.enqueue(status('TASK_KILLED', 'u2'));
  h.fire();
  assert.equal(h.sent.at(-1)?.latestState, 'TASK_KILLED', 'a retry carries the newest state');
  // After an ACK the backoff starts again from the first interval.
  h.stream.acknowledge('u1');
  assert.equal(h.timers.filter((x) => !x.cancelled).at(-1)?.ms, 10_000);
});

test('close() stops retries and drops what is pending', () => {
  const h = harness();
  h.stream.enqueue(status('TASK_RUNNING', 'u1'));
  h.stream.enqueue(status('TASK_FINISHED', 'u2'));
  h.stream.close();
  assert.ok(h.timers.every((x) => x.cancelled));
  h.stream.enqueue(status('TASK_KILLED', 'u3'));
  assert.equal(h.stream.acknowledge('u1'), 'ignored');
  assert.equal(h.sent.length, 1);
  assert.equal(h.stream.latestState, 'TASK_FINISHED');
});
