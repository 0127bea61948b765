// The published package: `npm pack` builds it (prepack → tsc → dist/), and
// after `npm install -g` of the tarball into a temporary prefix its
// `mesoflow` bin runs on plain node: `--help`, `devcluster` answering on its
// port, and the worker's workflow bundle built from the installed files.
// Dependencies come from the npm cache that `npm ci` filled (--prefer-offline),
// with the registry reachable for anything missing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../stack/temporal-cli.js';
import { until } from '../../support/wait.js';

const run = promisify(execFile);
const root = projectRoot();

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

describe('npm pack → npm install -g → mesoflow', () => {
  let dir: string;
  let bin: string;
  let installed: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesoflow-pack-'));
    const t0 = Date.now();
    await run('npm', ['pack', '--pack-destination', dir], { cwd: root, timeout: 400_000, maxBuffer: 16 << 20 });
    const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) ?? assert.fail(`npm pack left no tarball in ${dir}`));
    const t1 = Date.now();
    const prefix = join(dir, 'prefix');
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: dir, timeout: 400_000, maxBuffer: 16 << 20 });
    const t2 = Date.now();
    // Measured figures for the README (CI keeps them in its log).
    console.log(`npm pack (with the tsc build): ${t1 - t0} ms; npm install -g from the tarball: ${t2 - t1} ms`);
    bin = join(prefix, 'bin', 'mesoflow');
    installed = join(prefix, 'lib', 'node_modules', 'mesoflow');
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ships compiled JavaScript only, without tsx', () => {
    assert.ok(existsSync(bin), `${bin} missing`);
    const own = filesUnder(installed).filter((f) => !f.includes(`${join(installed, 'node_modules')}`));
    assert.ok(own.some((f) => f.endsWith(join('dist', 'cli', 'main.js'))));
    assert.deepEqual(own.filter((f) => f.endsWith('.ts')), [], 'no TypeScript sources in the package');
    assert.equal(existsSync(join(installed, 'node_modules', 'tsx')), false, 'tsx is a dev dependency only');
  });

  it('answers --help', async () => {
    const { stdout } = await run(bin, ['--help'], { timeout: 60_000 });
    assert.match(stdout, /Usage: mesoflow/);
    assert.match(stdout, /devcluster/);
  });

  it('runs the devcluster, which answers on its port', async (t) => {
    const child = spawn(bin, ['devcluster', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await until(() => /Mesos master \(devcluster\) at (http:\/\/\S+)/.exec(out)?.[1], `the devcluster's URL in its output (${out})`, 60_000);
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    const version = (await (await fetch(`${url}/version`)).json()) as { version: string };
    assert.match(version.version, /^1\.\d+\.\d+$/);
    // Protobuf mode needs Mesos's .proto files beside the compiled code: an empty
    // master Call (GET_HEALTH has no payload) answered in protobuf.
    const pb = await fetch(`${url}/api/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', accept: 'application/x-protobuf' },
      body: new Uint8Array([0x08, 0x01]), // Call.type = GET_HEALTH
    });
    assert.equal(pb.status, 200, await pb.clone().text());
    assert.equal(pb.headers.get('content-type'), 'application/x-protobuf');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
    assert.equal(code, 0);
  });

  it('bundles the workflows from the installed package', async () => {
    const script = `const m = await import(${JSON.stringify(join(installed, 'dist', 'worker', 'start-worker.js'))});
      const b = await m.workflowBundle(); console.log(m.workflowsPath, b.code.length, await m.workflowBundlePath());`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 120_000, maxBuffer: 16 << 20 });
    const [path, size, bundlePath] = stdout.trim().split(' ');
    assert.equal(path, join(installed, 'dist', 'workflows', 'index.js'));
    // The package carries its bundle (npm run build): the worker never runs webpack.
    assert.equal(bundlePath, join(installed, 'dist', 'workflow-bundle.js'));
    assert.ok(Number(size) > 10_000, `bundle of ${size} bytes`);
  });
});
