// Tasks never outlive the process that hosts their agent, even when that
// process dies by SIGKILL and runs no cleanup code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from './agent-test-support.js';

const fixture = fileURLToPath(new URL('./agent-host-fixture.ts', import.meta.url));

async function waitUntil(probe: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
  test(`the task dies when its host process is killed with ${signal}`, async (t) => {
    const workDir = mkdtempSync(join(tmpdir(), 'mesoflow-agent-host-'));
    const host = spawn(process.execPath, ['--import', 'tsx', fixture, workDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => {
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
      rmSync(workDir, { recursive: true, force: true });
    });
    let out = '';
    host.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitUntil(() => /^\d+\n/.test(out), 'the task pid');
    const pid = Number(out.trim());
    assert.ok(isAlive(pid));
    const exited = new Promise((r) => host.once('exit', r));
    host.kill(signal);
    await exited;
    await waitUntil(() => !isAlive(pid), `task ${pid} to die`);
  });
}
