import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, jobFailure, type Stack } from './stack.js';
import type { JobFailureDetails, JobResult } from '../../../workflows/job-workflow.js';
import { resultWithin } from '../../support/wait.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test('exit 0 ends succeeded, with every status update in the progress', async () => {
  const h = await stack.start({ command: 'echo hello; exit 0' });
  const r = (await resultWithin(h)) as JobResult;
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.exitCode, 0);
  assert.equal(r.attempts, 1);
  const p = await stack.progress(h);
  assert.equal(p.status, 'SUCCEEDED');
  assert.equal(p.phase, 'terminal');
  const a = p.attempts[0];
  assert.ok(a);
  assert.equal(a.taskId, `${h.workflowId}.1`);
  assert.ok(a.agentId);
  assert.ok(a.hostname);
  assert.deepEqual(a.statuses.map((s) => s.state).filter((s) => s !== 'TASK_STAGING'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
  assert.equal(a.statuses.at(-1)?.message, 'Command exited with status 0');
  assert.equal(a.statuses.at(-1)?.source, 'SOURCE_EXECUTOR');
  const desc = await h.describe();
  assert.deepEqual(desc.searchAttributes.MesoflowJobStatus, ['SUCCEEDED']);
  assert.deepEqual(desc.searchAttributes.MesoflowFramework, [stack.frameworkName]);
});

test('exit 3 ends failed with exit code 3', async () => {
  const h = await stack.start({ command: 'exit 3' });
  const f = await jobFailure(h);
  assert.equal(f.type, 'JobFailed');
  const d = f.details[0] as JobFailureDetails;
  assert.equal(d.status, 'FAILED');
  assert.equal(d.exitCode, 3);
  const p = await stack.progress(h);
  assert.equal(p.status, 'FAILED');
  assert.equal(p.exitCode, 3);
  assert.equal(p.attempts.length, 1);
  assert.equal(p.attempts[0]?.state, 'TASK_FAILED');
  const desc = await h.describe();
  assert.deepEqual(desc.searchAttributes.MesoflowJobStatus, ['FAILED']);
});

test('a failing job is retried by its policy, spending its budget', async () => {
  const h = await stack.start({ command: 'exit 2', retry: { maxAttempts: 2, backoff: { initialSeconds: 0.1 } } });
  const f = await jobFailure(h);
  assert.equal(f.type, 'JobFailed');
  const p = await stack.progress(h);
  assert.equal(p.attempts.length, 2);
  assert.deepEqual(p.attempts.map((a) => a.taskId), [`${h.workflowId}.1`, `${h.workflowId}.2`]);
  assert.deepEqual(p.attempts.map((a) => a.exitCode), [2, 2]);
  assert.equal(p.attempts[0]?.budget, 'job');
});

test('an invalid spec is rejected by startJob, and fails the job with InvalidJobSpec when started directly', async () => {
  await assert.rejects(stack.start({ command: 'true', resources: { cpu: 1 } } as never), /invalid job spec: resources/);
  const h = await stack.client.workflow.start('jobWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: `job-invalid-${Date.now()}`,
    args: [{ spec: { command: '' }, frameworkName: stack.frameworkName }],
  });
  const f = await jobFailure(h);
  assert.equal(f.type, 'InvalidJobSpec');
  const p = await stack.progress(h);
  assert.equal(p.status, 'FAILED');
  assert.match(p.message ?? '', /command/);
});
