// Several worker processes for one framework name: exactly one of them holds
// the Mesos subscription (the master sees one SUBSCRIBE and one connected
// framework), and jobs started through either worker's task queue finish.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startWorker, type RunningWorker } from '../../../worker/start-worker.js';
import { startStack, type Stack } from './stack.js';
import { resultWithin, until } from '../../support/wait.js';
import type { JobResult } from '../../../workflows/job-workflow.js';

let stack: Stack;
let second: RunningWorker | undefined;
before(async () => {
  // Not a takeover test: generous session and stream heartbeat bounds so a
  // loaded machine's pauses are not mistaken for a dead holder (which would
  // rightly cause a second SUBSCRIBE).
  stack = await startStack({ worker: { sessionHeartbeatTimeoutSeconds: 20, heartbeatMissLimit: 10 } });
});
after(async () => {
  await second?.stop();
  await stack?.stop();
});

function subscribeCalls(): number {
  return (stack.cluster.stats() as { calls: Record<string, number> }).calls.SUBSCRIBE ?? 0;
}

async function connectedFrameworks(): Promise<Array<{ id: string; name: string }>> {
  const res = await request(`${stack.cluster.masterUrl}/api/v1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ type: 'GET_FRAMEWORKS' }),
  });
  const body = (await res.body.json()) as { get_frameworks: { frameworks?: Array<{ framework_info: { id: { value: string }; name: string }; connected?: boolean }> } };
  return (body.get_frameworks.frameworks ?? [])
    .filter((f) => f.connected && f.framework_info.name === stack.frameworkName)
    .map((f) => ({ id: f.framework_info.id.value, name: f.framework_info.name }));
}

test('two workers, one framework name: one subscription, and every job finishes', async () => {
  const first = stack.worker as RunningWorker;
  second = await startWorker(stack.workerConfig);
  await until(async () => (first.sessions.size + second!.sessions.size === 1 ? true : undefined), 'a session to be held');
  const handles = await Promise.all(Array.from({ length: 10 }, () => stack.start({ command: 'sleep 0.5' })));
  const results = (await Promise.all(handles.map((h) => resultWithin(h)))) as JobResult[];
  assert.ok(results.every((r) => r.status === 'SUCCEEDED'), JSON.stringify(results));
  assert.equal(first.sessions.size + second.sessions.size, 1, 'exactly one worker holds the session');
  assert.equal(subscribeCalls(), 1, 'the master saw one SUBSCRIBE');
  const connected = await connectedFrameworks();
  assert.equal(connected.length, 1, `one connected framework named ${stack.frameworkName}`);
});
