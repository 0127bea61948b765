// When a cached workflow bundle may be reused: only while the SDK and every
// source file of ours that webpack put into it are unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bundledSourceFiles, manifestIsCurrent, type BundleManifest } from '../../../worker/workflow-bundle.js';

const code = [
  'var __TEMPORAL__;',
  '/***/ "./node_modules/@temporalio/workflow/lib/index.js"',
  '/***/ "./workflows/job-steps.ts"',
  '/***/ "./activities/contract.ts"',
  '/***/ "../elsewhere/node_modules/long/umd/index.js"',
  '/***/ "../shared/util.ts"',
].join('\n');

test("the bundle's own source files are read from webpack's module ids, relative to where it ran; packages are not", () => {
  assert.deepEqual(bundledSourceFiles(code, '/repo'), ['/repo/workflows/job-steps.ts', '/repo/activities/contract.ts', '/shared/util.ts']);
});

test('a cached bundle is current only with the same SDK and the same content of every file it lists', () => {
  const m: BundleManifest = { sdk: '1.24.0', files: { '/repo/a.ts': 'h-a', '/repo/b.ts': 'h-b' } };
  const hashes = new Map([
    ['/repo/a.ts', 'h-a'],
    ['/repo/b.ts', 'h-b'],
  ]);
  assert.equal(manifestIsCurrent(m, '1.24.0', (p) => hashes.get(p)), true);
  assert.equal(manifestIsCurrent(m, '1.25.0', (p) => hashes.get(p)), false, 'another SDK');
  assert.equal(manifestIsCurrent(m, '1.24.0', (p) => (p === '/repo/b.ts' ? 'changed' : hashes.get(p))), false, 'a file changed');
  assert.equal(manifestIsCurrent(m, '1.24.0', (p) => (p === '/repo/a.ts' ? undefined : hashes.get(p))), false, 'a file is gone');
  assert.equal(manifestIsCurrent({ sdk: '1.24.0', files: {} }, '1.24.0', () => 'x'), false, 'a manifest naming no file proves nothing');
});
