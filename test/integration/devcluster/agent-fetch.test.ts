// CommandInfo.uris fetched into the sandbox before the task starts, as the
// Mesos fetcher does: local paths and file:// copied, http(s) downloaded,
// archives extracted, `executable` and `output_file` honoured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { FRAMEWORK_ID, framework, readSandboxFile, runToEnd, sandboxOf, shellTask, startTestAgent } from './agent-test-support.js';

function sourceDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesoflow-fetch-src-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function fileServer(t: TestContext, routes: Record<string, Buffer | 'hang'>): Promise<string> {
  const server: Server = createServer((req, res) => {
    const body = routes[req.url ?? ''];
    if (body === 'hang') return; // never answers: a fetch still in progress
    if (body === undefined) {
      res.writeHead(404, { 'Content-Length': '0' });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('URIs: a local path, a file:// URI and an http URL land in the sandbox before the command runs', async (t) => {
  const src = sourceDir(t);
  writeFileSync(join(src, 'local.txt'), 'local\n');
  writeFileSync(join(src, 'other.txt'), 'via file uri\n');
  writeFileSync(join(src, 'run.sh'), '#!/bin/sh\necho from-script\n');
  const base = await fileServer(t, { '/dl/remote.txt': Buffer.from('remote\n') });
  const { agent, sink } = await startTestAgent(t);
  const cmd = 'cat local.txt renamed.txt remote.txt && ./run.sh';
  agent.launchTask(framework(), shellTask('fetch', cmd, {
    command: {
      value: cmd,
      uris: [
        { value: join(src, 'local.txt') },
        { value: `file://${join(src, 'other.txt')}`, output_file: 'renamed.txt' },
        { value: `${base}/dl/remote.txt` },
        { value: join(src, 'run.sh'), executable: true },
      ],
    },
  }));
  const states = await runToEnd(agent, sink, 'fetch');
  assert.equal(states.at(-1)?.state, 'TASK_FINISHED', readSandboxFile(agent, 'fetch', 'stderr'));
  assert.equal(readSandboxFile(agent, 'fetch', 'stdout'), 'local\nvia file uri\nremote\nfrom-script\n');
  assert.equal(statSync(join(sandboxOf(agent, 'fetch'), 'run.sh')).mode & 0o777, 0o755);
  assert.match(readSandboxFile(agent, 'fetch', 'stderr'), /Fetching URI '.*remote\.txt'/);
});

test('URIs: a .tar.gz is extracted next to the kept archive unless extract is false', async (t) => {
  const src = sourceDir(t);
  writeFileSync(join(src, 'inside.txt'), 'packed\n');
  execFileSync('tar', ['-C', src, '-czf', join(src, 'bundle.tar.gz'), 'inside.txt']);
  const base = await fileServer(t, { '/bundle.tgz': readFileSync(join(src, 'bundle.tar.gz')) });
  const { agent, sink } = await startTestAgent(t);
  const cmd = 'cat inside.txt; ls';
  agent.launchTask(framework(), shellTask('tar', cmd, { command: { value: cmd, uris: [{ value: `${base}/bundle.tgz` }, { value: join(src, 'bundle.tar.gz'), extract: false, output_file: 'kept.tar.gz' }] } }));
  const states = await runToEnd(agent, sink, 'tar');
  assert.equal(states.at(-1)?.state, 'TASK_FINISHED', readSandboxFile(agent, 'tar', 'stderr'));
  const out = readSandboxFile(agent, 'tar', 'stdout');
  assert.match(out, /^packed\n/);
  assert.match(out, /\nbundle\.tgz\n/);
  assert.match(out, /\nkept\.tar\.gz\n/);
});

test('a failed fetch ends the task from the agent: TASK_FAILED REASON_CONTAINER_LAUNCH_FAILED', async (t) => {
  const base = await fileServer(t, {});
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('nofetch', 'true', { command: { value: 'true', uris: [{ value: `${base}/missing.txt` }] } }));
  const states = await runToEnd(agent, sink, 'nofetch');
  assert.equal(states.length, 1);
  const [s] = states;
  const containerId = agent.tasks()[0]?.containerId;
  assert.equal(s?.state, 'TASK_FAILED');
  assert.equal(s?.source, 'SOURCE_AGENT');
  assert.equal(s?.reason, 'REASON_CONTAINER_LAUNCH_FAILED');
  assert.equal(s?.message, `Failed to launch container: Failed to fetch all URIs for container '${containerId}': exited with status 1`);
  assert.match(readSandboxFile(agent, 'nofetch', 'stderr'), /Failed to fetch '.*missing\.txt': Error downloading resource, received HTTP return code 404/);
});

test('a kill while URIs are being fetched: TASK_KILLED "Killed before delivery to the executor"', async (t) => {
  const base = await fileServer(t, { '/slow': 'hang' });
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('slowfetch', 'true', { command: { value: 'true', uris: [{ value: `${base}/slow` }] } }));
  await sink.waitFor(() => {
    try {
      return /Fetching URI/.test(readSandboxFile(agent, 'slowfetch', 'stderr'));
    } catch {
      return false;
    }
  }, 'the fetch to begin');
  agent.killTask(FRAMEWORK_ID, 'slowfetch');
  const [s, ...rest] = await runToEnd(agent, sink, 'slowfetch');
  assert.equal(rest.length, 0);
  assert.equal(s?.state, 'TASK_KILLED');
  assert.equal(s?.source, 'SOURCE_AGENT');
  assert.equal(s?.reason, 'REASON_TASK_KILLED_DURING_LAUNCH');
  assert.equal(s?.message, 'Killed before delivery to the executor');
});
