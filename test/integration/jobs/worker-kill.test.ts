// A worker process killed with SIGKILL mid-run and another one started:
// every job finishes, the framework keeps its id, and no attempt ran two tasks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertOneTaskPerAttempt, startStack, type Stack } from './stack.js';
import { progressUntil, resultWithin, until } from '../../support/wait.js';
import { FRAMEWORK_ID_QUERY, sessionWorkflowId } from '../../../activities/contract.js';
import type { JobResult } from '../../../workflows/job-workflow.js';
import { WorkerProcesses } from './worker-processes.js';

let stack: Stack;
const workers = new WorkerProcesses(() => stack);

before(async () => {
  stack = await startStack({ noWorker: true });
});
after(async () => {
  workers.killAll();
  await stack?.stop();
});

test('SIGKILL of the worker mid-run: another worker takes the session over, every job finishes, no attempt runs twice', async (t) => {
  t.diagnostic('spawning worker A');
  const a = workers.spawn();
  const session = stack.client.workflow.getHandle(sessionWorkflowId(stack.frameworkName));
  const frameworkId = await until(() => session.query<string | undefined>(FRAMEWORK_ID_QUERY), 'worker A to subscribe', 90_000);
  const handles = await Promise.all(Array.from({ length: 12 }, (_, i) => stack.start({ command: i % 2 === 0 ? 'sleep 3' : 'sleep 1' })));
  // Launched (its task started): on a loaded machine a 3 s task may be over before a poll sees `running`.
  await progressUntil(handles[0]!, (p) => (p.attempts[0]?.statuses.length ?? 0) > 0, 'a job launched', 90_000);
  a.kill('SIGKILL');
  await new Promise((r) => a.once('exit', r));
  t.diagnostic('worker A killed; spawning worker B');
  // More jobs while no worker is alive.
  handles.push(...(await Promise.all(Array.from({ length: 4 }, () => stack.start({ command: 'true' })))));
  const b = workers.spawn();
  let results: JobResult[];
  try {
    results = (await Promise.all(handles.map((h) => resultWithin(h)))) as JobResult[];
  } catch (err) {
    t.diagnostic(workers.output);
    throw err;
  }
  assert.ok(results.every((r) => r.status === 'SUCCEEDED'), JSON.stringify(results));
  assert.equal(await session.query<string | undefined>(FRAMEWORK_ID_QUERY), frameworkId, 'the framework kept its id');
  await assertOneTaskPerAttempt(stack, handles);
  // Graceful shutdown: SIGTERM releases the session and exits 0.
  const code = await new Promise<number | null>((resolve) => {
    b.once('exit', (c) => resolve(c));
    b.kill('SIGTERM');
  });
  assert.equal(code, 0, workers.output);
});
