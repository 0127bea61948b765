// Run as a process by worker/workflow-bundle.ts (and by `npm run build`):
// bundles the workflows at argv[2] into the file argv[3], with the manifest
// beside it (argv[3].manifest.json) that says when the bundle is stale.
// Written to temporary names and renamed, so that processes bundling at
// the same time never read half a file.
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { bundledSourceFiles, sdkVersion, sha256, type BundleManifest } from './workflow-bundle.js';

/**
 * Modules the SDK evaluates once per workflow thread and shares between
 * workflows (BundleOptions.preloadModules) instead of evaluating them again
 * for every workflow it creates or replays. Only modules without state of
 * their own belong here: the SDK's common types and converters and their
 * dependencies, never @temporalio/workflow (its module state is the workflow's).
 */
const PRELOADED_MODULES = ['@temporalio/common', 'long', 'nexus-rpc'] as const;

const [workflowsArg, outArg] = process.argv.slice(2);
if (!workflowsArg || !outArg) {
  console.error('usage: workflow-bundler-process <workflows index> <output file>');
  process.exit(2);
}
// webpack wants an absolute entry.
const workflowsPath = resolve(workflowsArg);
const out = resolve(outArg);
const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN'), preloadModules: [...PRELOADED_MODULES] });
// Our sources in the bundle (webpack names them relative to the directory it
// ran in), and this file: it holds the bundling options, so a change to them
// makes another bundle.
const files = [...bundledSourceFiles(code, process.cwd()), fileURLToPath(import.meta.url)];
const manifest: BundleManifest = { sdk: sdkVersion(), files: Object.fromEntries(files.map((f) => [f, sha256(f)])) };
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, code);
writeFileSync(`${tmp}.manifest`, JSON.stringify(manifest, null, 1));
// The bundle first: a reader that finds the new manifest also finds the new bundle.
renameSync(tmp, out);
renameSync(`${tmp}.manifest`, `${out}.manifest.json`);
