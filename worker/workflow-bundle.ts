// Where the worker's workflow bundle comes from. Bundling (webpack) takes
// seconds and leaves about 120 MB in the process that ran it, which a
// worker holding thousands of job workflows cannot spare: so the worker
// never bundles in its own process. The built package carries the bundle
// (`npm run build` writes dist/workflow-bundle.js); a checkout bundles in a
// short-lived child process into a cache (.mesoflow/cache), reused while
// every source file webpack put in it is unchanged (the manifest beside it
// lists them with their hashes, and the SDK's version).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// The .ts sources in a checkout (run through tsx), the compiled .js in the built package.
const ownExtension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
export const workflowsPath = fileURLToPath(new URL(`../workflows/index.${ownExtension}`, import.meta.url));
/** Written by `npm run build` beside the compiled code. */
export const prebuiltBundlePath = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export interface BundleManifest {
  /** @temporalio/workflow's version: an SDK upgrade invalidates the bundle. */
  sdk: string;
  /** Every source file of ours in the bundle (absolute path) and its sha256. */
  files: Record<string, string>;
}

export function sdkVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@temporalio/workflow/package.json') as { version: string }).version;
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Our own modules in a webpack bundle (ids relative to the directory it was bundled from), as absolute paths. */
export function bundledSourceFiles(code: string, bundledFrom: string): string[] {
  const ids = [...code.matchAll(/^\/\*\*\*\/ "(\.\.?\/[^"]+)"/gm)].map((m) => m[1] as string);
  return ids.filter((id) => !id.includes('/node_modules/')).map((id) => join(bundledFrom, id));
}

/** Whether a cached bundle still holds what the sources say. */
export function manifestIsCurrent(m: BundleManifest, currentSdk: string, hash: (path: string) => string | undefined): boolean {
  if (m.sdk !== currentSdk || Object.keys(m.files).length === 0) return false;
  return Object.entries(m.files).every(([path, digest]) => hash(path) === digest);
}

function cacheDir(): string {
  // A checkout has .mesoflow/ (git-ignored) beside package.json; an installed package uses the temp directory.
  const dir = existsSync(join(projectRoot, 'package.json')) && existsSync(join(projectRoot, '.git')) ? join(projectRoot, '.mesoflow', 'cache') : join(tmpdir(), 'mesoflow-bundle-cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function readManifest(path: string): BundleManifest | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BundleManifest;
  } catch {
    return undefined;
  }
}

function hashOrUndefined(path: string): string | undefined {
  try {
    return sha256(path);
  } catch {
    return undefined;
  }
}

/** Runs worker/workflow-bundler-process in a child process, which writes the bundle and its manifest. */
function bundleInChild(out: string): Promise<void> {
  const script = fileURLToPath(new URL(`./workflow-bundler-process.${ownExtension}`, import.meta.url));
  const args = ownExtension === 'ts' ? ['--import', import.meta.resolve('tsx'), script, workflowsPath, out] : [script, workflowsPath, out];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (err) => reject(new Error(`bundling the workflows (${workflowsPath}) failed to start: ${err.message}`)));
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`bundling the workflows (${workflowsPath}) failed with exit code ${code}: ${stderr.trim().slice(-4000)}`));
    });
  });
}

let bundlePath: Promise<string> | undefined;

/** The path of a current workflow bundle (prebuilt, cached, or made now in a child process); once per process. */
export function workflowBundlePath(): Promise<string> {
  bundlePath ??= (async () => {
    if (ownExtension === 'js' && existsSync(prebuiltBundlePath)) return prebuiltBundlePath;
    const out = join(cacheDir(), 'workflow-bundle.js');
    const manifest = readManifest(`${out}.manifest.json`);
    if (existsSync(out) && manifest !== undefined && manifestIsCurrent(manifest, sdkVersion(), hashOrUndefined)) return out;
    await bundleInChild(out);
    return out;
  })();
  bundlePath.catch(() => (bundlePath = undefined));
  return bundlePath;
}

/** The bundle's code (replay tests and checks read it; the worker itself takes the path). */
export async function workflowBundle(): Promise<{ code: string }> {
  return { code: readFileSync(await workflowBundlePath(), 'utf8') };
}

