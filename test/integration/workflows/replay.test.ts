// Replays recorded histories (test/fixtures/histories, recorded from real
// runs by record.ts there) through the SDK's replayer with today's workflow
// code: a non-deterministic change to the workflows fails this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowBundle } from '../../../worker/start-worker.js';
import { historyFromFileJSON } from './history-json.js';

const dir = fileURLToPath(new URL('../../fixtures/histories/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function load(file: string) {
  return historyFromFileJSON(JSON.parse(readFileSync(dir + file, 'utf8')) as unknown);
}

test('the recorded histories exist for every main path', () => {
  for (const name of ['job-success', 'job-failure', 'job-retry', 'job-cancel', 'job-timeout', 'session-running']) {
    assert.ok(files.includes(`${name}.json`), `${name}.json recorded`);
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
  await assert.rejects(Worker.runReplayHistory({ workflowBundle: bundle }, load('job-success.json'), 'replay-success'), (err: unknown) => {
    return err instanceof Error && /Determinism|nondetermin/i.test(`${err.name} ${err.message}`);
  });
});
