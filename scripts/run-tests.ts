// Runs every *.test.ts file under test/ with Node's built-in test runner
// (tsx loads TypeScript). Node 20's `--test` does not expand globs, so the
// file list is built here. One Temporal dev server is started for the whole
// run and handed to the test files through MESOFLOW_TEST_TEMPORAL_ADDRESS
// (gRPC) and MESOFLOW_TEST_TEMPORAL_HTTP_ADDRESS (its HTTP/JSON API)
// (a file run on its own starts its own; see test/support/temporal.ts).
// Nothing may hang: every test file, and every test in it, fails after
// MESOFLOW_TEST_TIMEOUT_MS (default 15 min; Node 20's --test-timeout bounds
// each file's process as well as each test); tests with a `timeout` option
// of their own fail sooner.
// Usage: npm test [-- --unit] [-- name-filter ...]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startDevServer, type DevServer } from '../stack/temporal-dev-server.js';
import { projectRoot } from '../stack/temporal-cli.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';

const root = projectRoot();
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = walk(join(root, unitOnly ? 'test/unit' : 'test'))
  .map((f) => relative(root, f))
  .sort();
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const needsTemporal = files.some((f) => !f.startsWith('test/unit/'));
let server: DevServer | undefined;
if (needsTemporal && !process.env.MESOFLOW_TEST_TEMPORAL_ADDRESS) {
  server = await startDevServer({ searchAttributes: [...searchAttributeDefs], log: (m) => console.error(m) });
  console.error(`Temporal dev server for this test run: ${server.address}`);
}

const testTimeoutMs = Number(process.env.MESOFLOW_TEST_TIMEOUT_MS ?? 900_000);
if (!Number.isInteger(testTimeoutMs) || testTimeoutMs < 1000) {
  console.error(`MESOFLOW_TEST_TIMEOUT_MS=${process.env.MESOFLOW_TEST_TIMEOUT_MS}: expected milliseconds >= 1000`);
  process.exit(2);
}

const testArgs = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', `--test-timeout=${testTimeoutMs}`];
const child = spawn(process.execPath, [...testArgs, ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_NO_WARNINGS: '1', ...(server ? { MESOFLOW_TEST_TEMPORAL_ADDRESS: server.address, MESOFLOW_TEST_TEMPORAL_HTTP_ADDRESS: server.httpAddress } : {}) },
});
const stopAll = () => child.kill('SIGTERM');
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
const code: number = await new Promise((r) => child.on('exit', (c, s) => r(c ?? (s ? 1 : 0))));
await server?.stop();
process.exit(code);
