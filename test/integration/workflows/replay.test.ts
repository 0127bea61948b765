// Replays recorded histories (test/fixtures/histories, recorded from real
// runs by record.ts there) through the SDK's replayer with today's workflow
// code: a non-deterministic change to the workflows fails this test. The
// histories in v1/ were recorded before the one-activity job path (issue
// 11): they take jobWorkflowV1 behind the patch, so jobs in flight at an
// upgrade still finish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowBundle } from '../../../worker/start-worker.js';
import { historyFromFileJSON } from './history-json.js';
import { JOB_STEPS_VERSION } from '../../../workflows/job-workflow.js';

const dir = fileURLToPath(new URL('../../fixtures/histories/', import.meta.url));
const files = [...readdirSync(dir), ...readdirSync(`${dir}v1`).map((f) => `v1/${f}`)].filter((f) => f.endsWith('.json')).sort();

function load(file: string) {
  return historyFromFileJSON(JSON.parse(readFileSync(dir + file, 'utf8')) as unknown);
}

/** The `steps` field of the job's input (JOB_STEPS_VERSION), absent before issue 11. */
const stepsOf = (file: string) => {
  const payload = load(file).events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const input = payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as { steps?: number }) : {};
  return input.steps;
};

test('the recorded histories exist for every main path, of both step generations', () => {
  for (const name of ['job-success', 'job-failure', 'job-retry', 'job-cancel', 'job-timeout', 'job-continued', 'session-running']) {
    assert.ok(files.includes(`${name}.json`), `${name}.json recorded`);
  }
  for (const name of ['job-success', 'job-failure', 'job-retry', 'job-cancel', 'job-timeout']) {
    assert.ok(files.includes(`v1/${name}.json`), `v1/${name}.json kept`);
    // Both generations are covered: old inputs without `steps` (jobWorkflowV1), new ones with it.
    assert.equal(stepsOf(`v1/${name}.json`), undefined, `v1/${name}.json predates the field`);
    assert.equal(stepsOf(`${name}.json`), JOB_STEPS_VERSION, `${name}.json runs the one-activity steps`);
  }
});

test('every recorded history replays with the current workflow code', async () => {
  const bundle = await workflowBundle();
  for (const file of files) {
    const history = load(file);
    // The workflow id matters: task ids (and so the routing of updates) derive from it.
    const workflowId = history.events[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? undefined;
    await assert.doesNotReject(Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId), file);
  }
});

test('an incompatible change of the job workflow is caught by replay', async () => {
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../../fixtures/histories/incompatible-workflows.ts', import.meta.url)),
    logger: new DefaultLogger('WARN'),
  });
  await assert.rejects(Worker.runReplayHistory({ workflowBundle: bundle }, load('v1/job-success.json'), 'replay-success'), (err: unknown) => {
    return err instanceof Error && /Determinism|nondetermin/i.test(`${err.name} ${err.message}`);
  });
});
