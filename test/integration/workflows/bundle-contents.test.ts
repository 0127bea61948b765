// What the workflow bundle holds. The SDK evaluates every module a workflow
// imports again for each new workflow (its reusable V8 context keeps one
// module cache per workflow), so a heavy dependency in the bundle is paid
// for on every job start: zod there made 100 jobs submitted at once wait
// over a second of the worker's time before the first one reached its
// activity. Only the SDK and what it needs itself belong in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workflowBundle } from '../../../worker/start-worker.js';

/** The npm packages whose modules the bundle carries, from webpack's module ids. */
function bundledPackages(code: string): Set<string> {
  const ids = [...code.matchAll(/^\/\*\*\*\/ "\.\/node_modules\/((?:@[^/"]+\/)?[^/"]+)\//gm)].map((m) => m[1] as string);
  return new Set(ids);
}

test('the workflow bundle carries only the Temporal SDK and its own dependencies (no zod)', async () => {
  const { code } = await workflowBundle();
  const packages = bundledPackages(code);
  assert.ok(packages.has('@temporalio/workflow'), `module ids were read from the bundle: ${[...packages].join(', ')}`);
  const allowed = new Set(['@temporalio/workflow', '@temporalio/common', 'long', 'ms', 'nexus-rpc']);
  const extra = [...packages].filter((p) => !allowed.has(p));
  assert.deepEqual(extra, [], `packages in the workflow bundle besides the SDK's: ${extra.join(', ')}`);
});
