import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyTerminal, decideAfterAttempt, backoffDelayMs } from '../../../workflows/retry-decision.js';
import { jobSpec } from '../../../workflows/job-spec.js';

const policy = (p: object = {}) => jobSpec({ command: 'x', retry: p }).retry;

test('terminal updates are classified: the job\'s own failures vs infrastructure', () => {
  assert.deepEqual(classifyTerminal({ state: 'TASK_FINISHED', message: 'Command exited with status 0' }), { kind: 'succeeded' });
  assert.deepEqual(classifyTerminal({ state: 'TASK_FAILED', message: 'Command exited with status 3' }), { kind: 'failed', exitCode: 3 });
  assert.deepEqual(classifyTerminal({ state: 'TASK_FAILED', message: 'Command terminated with signal Killed' }), { kind: 'failed' });
  assert.deepEqual(classifyTerminal({ state: 'TASK_KILLED' }), { kind: 'killed' });
  assert.deepEqual(classifyTerminal({ state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID' }), { kind: 'error' });
  for (const state of ['TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN', 'TASK_UNREACHABLE']) {
    assert.equal(classifyTerminal({ state }).kind, 'infrastructure', state);
  }
  assert.equal(classifyTerminal({ state: 'TASK_KILLED', reason: 'REASON_AGENT_REMOVED' }).kind, 'infrastructure');
  assert.equal(classifyTerminal({ state: 'TASK_FAILED', reason: 'REASON_AGENT_DISCONNECTED' }).kind, 'infrastructure');
  assert.equal(classifyTerminal({ state: 'TASK_LOST', reason: 'REASON_INVALID_OFFERS' }).kind, 'infrastructure');
});

test('success succeeds', () => {
  assert.deepEqual(decideAfterAttempt({ kind: 'succeeded' }, policy(), { jobFailures: 0, infrastructureFailures: 0 }), { action: 'succeed' });
});

test('a non-zero exit fails without a retry policy', () => {
  const d = decideAfterAttempt({ kind: 'failed', exitCode: 3 }, policy(), { jobFailures: 1, infrastructureFailures: 0 });
  assert.equal(d.action, 'fail');
});

test('a non-zero exit is retried with backoff until maxAttempts', () => {
  const p = policy({ maxAttempts: 3, backoff: { initialSeconds: 2, multiplier: 3, maxSeconds: 10 } });
  assert.deepEqual(decideAfterAttempt({ kind: 'failed' }, p, { jobFailures: 1, infrastructureFailures: 5 }), { action: 'retry', delayMs: 2000, budget: 'job' });
  assert.deepEqual(decideAfterAttempt({ kind: 'failed' }, p, { jobFailures: 2, infrastructureFailures: 0 }), { action: 'retry', delayMs: 6000, budget: 'job' });
  assert.equal(decideAfterAttempt({ kind: 'failed' }, p, { jobFailures: 3, infrastructureFailures: 0 }).action, 'fail');
  assert.equal(backoffDelayMs(p, 5), 10_000);
});

test('only the outcomes the policy names are retried', () => {
  const p = policy({ maxAttempts: 5, retryOn: ['timeout'] });
  assert.equal(decideAfterAttempt({ kind: 'failed' }, p, { jobFailures: 1, infrastructureFailures: 0 }).action, 'fail');
  assert.equal(decideAfterAttempt({ kind: 'timeout' }, p, { jobFailures: 1, infrastructureFailures: 0 }).action, 'retry');
  assert.equal(decideAfterAttempt({ kind: 'killed' }, p, { jobFailures: 1, infrastructureFailures: 0 }).action, 'fail');
});

test('infrastructure failures are retried without spending the job budget, within their own bound', () => {
  const p = policy({ maxAttempts: 1, maxInfrastructureRetries: 2 });
  const lost = { kind: 'infrastructure', cause: 'TASK_LOST' } as const;
  const d1 = decideAfterAttempt(lost, p, { jobFailures: 0, infrastructureFailures: 1 });
  assert.equal(d1.action, 'retry');
  assert.equal(d1.action === 'retry' && d1.budget, 'infrastructure');
  assert.equal(decideAfterAttempt(lost, p, { jobFailures: 0, infrastructureFailures: 2 }).action, 'retry');
  const d3 = decideAfterAttempt(lost, p, { jobFailures: 0, infrastructureFailures: 3 });
  assert.equal(d3.action, 'fail');
  assert.match(d3.action === 'fail' ? d3.why : '', /TASK_LOST/);
});
