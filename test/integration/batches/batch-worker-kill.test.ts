// A worker process killed (SIGKILL) mid-batch and another started: the batch
// still finishes, and every job of it ran exactly once (one task each on the
// master). Also: a batch that continues as new several times (threshold
// lowered) keeps its counts and starts no job twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { postJson, startApiStack, type ApiStack } from '../api/api-stack.js';
import { fastTuning, masterTasks } from '../jobs/stack.js';
import { batchJobs, batchUntil, ended } from './batch-support.js';
import { until } from '../../support/wait.js';
import { FRAMEWORK_ID_QUERY, sessionWorkflowId } from '../../../activities/contract.js';
import { batchSpecSchema } from '../../../workflows/batch-spec.js';
import { batchStartOptions } from '../../../workflows/job-start.js';
import type { BatchRunInput } from '../../../workflows/batch-workflow.js';
import { WorkerProcesses } from '../jobs/worker-processes.js';

let s: ApiStack;
const workers = new WorkerProcesses(() => s.stack);

/** Master tasks of the batch by job id. */
async function tasksByJob(batchId: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const t of await masterTasks(s.stack)) {
    const id = t.task_id.value;
    if (!id.startsWith(`${batchId}.`)) continue;
    const job = id.slice(0, id.lastIndexOf('.'));
    out.set(job, [...(out.get(job) ?? []), id]);
  }
  return out;
}

before(async () => {
  s = await startApiStack({ noWorker: true });
});
after(async () => {
  workers.killAll();
  await s?.stop();
});

test('SIGKILL of the worker mid-batch: the batch finishes on another worker and each job ran once', async (t) => {
  const a = workers.spawn();
  const session = s.stack.client.workflow.getHandle(sessionWorkflowId(s.stack.frameworkName));
  await until(() => session.query<string | undefined>(FRAMEWORK_ID_QUERY), 'worker A to subscribe', 90_000);
  const id = `wk-${Date.now()}`;
  const r = await postJson(`${s.url}/v1/batches`, { id, maxParallel: 4, array: { template: { command: 'sleep 1.5' }, count: 12 } });
  assert.equal(r.status, 201, r.text);
  await batchUntil(s.url, id, (b) => (b.counts?.SUCCEEDED ?? 0) >= 2 && (b.counts?.RUNNING ?? 0) > 0, 'some jobs done and some running', 90_000);
  a.kill('SIGKILL');
  await new Promise((res) => a.once('exit', res));
  t.diagnostic('worker A killed mid-batch; spawning worker B');
  workers.spawn();
  let done;
  try {
    done = await batchUntil(s.url, id, ended, 'the batch to end on worker B', 300_000);
  } catch (err) {
    t.diagnostic(workers.output);
    throw err;
  }
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done));
  assert.equal(done.counts?.SUCCEEDED, 12);
  const tasks = await tasksByJob(id);
  assert.equal(tasks.size, 12, `a task for every job: ${[...tasks.keys()].join(',')}`);
  // One task per job on the master. It may be attempt 2's: an attempt whose
  // launch the killed worker's session never sent ends "offer lost, never
  // launched" and is retried on the infrastructure budget.
  for (const [job, ids] of tasks) assert.equal(ids.length, 1, `${job} ran once: ${ids.join(',')}`);
  const jobs = await batchJobs(s.url, id, 12);
  for (const j of jobs) {
    const launched = j.attempts.filter((a) => a.launchedAt !== null);
    assert.equal(launched.length, 1, `${j.id}: one launched attempt (${JSON.stringify(j.attempts.map((a) => [a.taskId, a.launchedAt, a.state]))})`);
    assert.equal(launched[0]?.taskId, tasks.get(j.id)?.[0], `${j.id}: its launched attempt is the master's task`);
  }
});

test('continue-as-new (threshold lowered): counts carried across runs, no job started twice', async () => {
  const id = `can-${Date.now()}`;
  const spec = batchSpecSchema.parse({ maxParallel: 5, array: { template: { command: 'true' }, count: 30 } });
  const { workflowType, args, ...start } = batchStartOptions({ batchId: id, spec, frameworkName: s.stack.frameworkName, taskQueue: s.stack.taskQueue, tuning: fastTuning });
  const input: BatchRunInput = { ...args[0], rollAfterEvents: 40 };
  await s.stack.client.workflow.start(workflowType, { ...start, args: [input] });
  const done = await batchUntil(s.url, id, ended, 'the rolling batch to end', 300_000);
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done));
  assert.equal(done.counts?.SUCCEEDED, 30);
  assert.ok(done.continuedAsNew >= 2, `continued as new ${done.continuedAsNew} times`);
  // The memo (spec hash) went along: resubmitting the same id and spec is still a 200, another spec a 409.
  const same = await postJson(`${s.url}/v1/batches`, { id, maxParallel: 5, array: { template: { command: 'true' }, count: 30 } });
  assert.equal(same.status, 200, same.text);
  assert.equal((await postJson(`${s.url}/v1/batches`, { id, maxParallel: 5, array: { template: { command: 'true' }, count: 31 } })).status, 409);
  const tasks = await tasksByJob(id);
  assert.equal(tasks.size, 30);
  for (const [job, ids] of tasks) assert.deepEqual(ids, [`${job}.1`], `${job} ran once`);
});
