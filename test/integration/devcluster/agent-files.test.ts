// The agent's /files, /state and /health endpoints over real HTTP, with the
// cases, texts and headers of mesos-transcripts/02, read while tasks run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { FRAMEWORK_ID, framework, sandboxOf, shellTask, startTestAgent } from './agent-test-support.js';
import type { DevAgentHandle } from '../../../devcluster/agent/agent.js';

interface Answer {
  status: number;
  contentType: string | undefined;
  contentLength: string | undefined;
  body: string;
  raw: Buffer;
}

async function get(agent: DevAgentHandle, path: string, params: Record<string, string> = {}): Promise<Answer> {
  const qs = new URLSearchParams(params).toString();
  const res = await request(`${agent.info.url}${path}${qs ? `?${qs}` : ''}`);
  const raw = Buffer.from(await res.body.arrayBuffer());
  const h = (n: string): string | undefined => {
    const v = res.headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  return { status: res.statusCode, contentType: h('content-type'), contentLength: h('content-length'), body: raw.toString('utf8'), raw };
}

const TEXT = 'text/plain; charset=utf-8';

async function runningTask(t: Parameters<typeof startTestAgent>[0], command: string) {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('files', command));
  await sink.nth('files', 1);
  await sink.waitFor(() => {
    try {
      return existsSync(join(sandboxOf(agent, 'files'), 'done'));
    } catch {
      return false;
    }
  }, 'the task to write its output');
  const sandbox = sandboxOf(agent, 'files');
  return { agent, sink, sandbox, virtual: `/frameworks/${FRAMEWORK_ID}/executors/files/runs/latest` };
}

test('/files/read: the cases of mesos-transcripts/02, on a running task', async (t) => {
  const { agent, sandbox, virtual } = await runningTask(t, "printf 'hello\\n'; printf 'err\\n' 1>&2; touch done; sleep 300");
  const stdout = `${sandbox}/stdout`;

  let r = await get(agent, '/files/read', { path: stdout, offset: '0' });
  assert.equal(r.status, 200);
  assert.equal(r.contentType, 'application/json');
  assert.equal(r.body, '{"data":"hello\\n","offset":0}');
  assert.equal(r.contentLength, String(r.raw.length));

  r = await get(agent, '/files/read', { path: stdout, offset: '-1' });
  assert.equal(r.body, '{"data":"","offset":6}');
  r = await get(agent, '/files/read', { path: stdout });
  assert.equal(r.body, '{"data":"","offset":6}');
  r = await get(agent, '/files/read', { path: stdout, offset: '0', length: '3' });
  assert.equal(r.body, '{"data":"hel","offset":0}');
  r = await get(agent, '/files/read', { path: stdout, offset: '2', length: '4' });
  assert.equal(r.body, '{"data":"llo\\n","offset":2}');
  r = await get(agent, '/files/read', { path: stdout, offset: '0', length: '-1' });
  assert.equal(r.body, '{"data":"hello\\n","offset":0}');
  r = await get(agent, '/files/read', { path: stdout, offset: '100000' });
  assert.equal(r.status, 200);
  assert.equal(r.body, '{"data":"","offset":100000}');

  // The same file through the virtual path and the real runs/latest path.
  r = await get(agent, '/files/read', { path: `${virtual}/stdout`, offset: '0' });
  assert.equal(r.body, '{"data":"hello\\n","offset":0}');
  const latest = join(sandbox, '..', 'latest');
  r = await get(agent, '/files/read', { path: `${latest}/stdout`, offset: '0' });
  assert.equal(r.body, '{"data":"hello\\n","offset":0}');

  // stderr: the executor's log, with the task's own line in it.
  r = await get(agent, '/files/read', { path: `${virtual}/stderr`, offset: '0' });
  const data = (JSON.parse(r.body) as { data: string }).data;
  assert.match(data, /exec\.cpp:164\] Version: 1\.12\.0\n/);
  assert.match(data, /\nerr\n/);
  r = await get(agent, '/files/read', { path: `${virtual}/stderr`, offset: '-1' });
  assert.equal(r.body, `{"data":"","offset":${Buffer.byteLength(readFileSync(`${sandbox}/stderr`))}}`);

  r = await get(agent, '/files/read', { path: sandbox, offset: '0' });
  assert.deepEqual([r.status, r.contentType, r.body], [400, TEXT, 'Cannot read a directory.\n']);
  r = await get(agent, '/files/read', { path: virtual, offset: '0' });
  assert.deepEqual([r.status, r.body], [400, 'Cannot read a directory.\n']);
  r = await get(agent, '/files/read', { path: `${sandbox}/no-such-file`, offset: '0' });
  assert.deepEqual([r.status, r.contentType, r.contentLength, r.body], [404, TEXT, '0', '']);
  r = await get(agent, '/files/read', { path: '/not/attached/anywhere', offset: '0' });
  assert.deepEqual([r.status, r.body], [404, '']);
  r = await get(agent, '/files/read', { offset: '0' });
  assert.deepEqual([r.status, r.contentType, r.body], [400, TEXT, "Expecting 'path=value' in query.\n"]);
  r = await get(agent, '/files/read', { path: '' });
  assert.deepEqual([r.status, r.body], [400, "Expecting 'path=value' in query.\n"]);
});

test('/files/read: bad offsets and lengths, jsonp, the 64 KiB cap, binary bytes', async (t) => {
  const { agent, sandbox, virtual } = await runningTask(t, "head -c 100000 /dev/zero | tr '\\0' a; printf '\\001\\302\\251\"\\\\' > bin; touch done; sleep 300");
  const stdout = `${virtual}/stdout`;
  let r = await get(agent, '/files/read', { path: stdout, offset: 'abc' });
  assert.deepEqual([r.status, r.contentType, r.body], [400, TEXT, "Failed to parse offset: Failed to convert 'abc' to number.\n"]);
  r = await get(agent, '/files/read', { path: stdout, offset: '0', length: '1.5' });
  assert.deepEqual([r.status, r.body], [400, "Failed to parse length: Failed to convert '1.5' to number.\n"]);
  r = await get(agent, '/files/read', { path: stdout, offset: '-2' });
  assert.deepEqual([r.status, r.body], [400, 'Negative offset provided: -2.\n']);
  r = await get(agent, '/files/read', { path: stdout, offset: '0', length: '-5' });
  assert.deepEqual([r.status, r.body], [400, 'Negative length provided: -5.\n']);
  r = await get(agent, '/files/read', { path: stdout, offset: '0', length: '0' });
  assert.equal(r.body, '{"data":"","offset":0}');

  r = await get(agent, '/files/read', { path: stdout, offset: '0' });
  const first = JSON.parse(r.body) as { data: string; offset: number };
  assert.equal(first.data.length, 65536, 'a read returns at most 16 pages');
  r = await get(agent, '/files/read', { path: stdout, offset: '65536' });
  assert.equal((JSON.parse(r.body) as { data: string }).data.length, 100000 - 65536);

  r = await get(agent, '/files/read', { path: stdout, jsonp: 'cb' });
  assert.deepEqual([r.contentType, r.body], ['text/javascript', 'cb({"data":"","offset":100000})']);

  // Control characters escaped, other bytes passed through unchanged: offsets stay byte offsets.
  r = await get(agent, '/files/read', { path: `${virtual}/bin`, offset: '0' });
  assert.equal(r.body, '{"data":"\\u0001©\\"\\\\","offset":0}');
  r = await get(agent, '/files/read', { path: `${virtual}/bin`, offset: '0', length: '2' });
  assert.deepEqual([...r.raw], [...Buffer.from('{"data":"\\u0001'), 0xc2, ...Buffer.from('","offset":0}')]);

  // Escaping the sandbox is refused.
  r = await get(agent, '/files/read', { path: `${virtual}/../../../..`, offset: '0' });
  assert.equal(r.status, 400);
  assert.match(r.body, /is inaccessible\.\n$/);
  assert.ok(sandbox.length > 0);
});

test('/files/read pages through a file while the task is still writing it', async (t) => {
  const { agent, virtual } = await runningTask(t, 'touch done; i=0; while [ $i -lt 400 ]; do echo "line $i"; i=$((i+1)); [ $((i % 40)) -eq 0 ] && sleep 0.05; done; sleep 300');
  let offset = 0;
  let text = '';
  const deadline = Date.now() + 20_000;
  while (!text.includes('line 399\n')) {
    assert.ok(Date.now() < deadline, `did not read the whole output; got ${text.length} bytes`);
    const r = await get(agent, '/files/read', { path: `${virtual}/stdout`, offset: String(offset), length: '100' });
    const a = JSON.parse(r.body) as { data: string; offset: number };
    assert.equal(a.offset, offset);
    text += a.data;
    offset += Buffer.byteLength(a.data);
    if (a.data === '') await new Promise((res) => setTimeout(res, 20));
  }
  const expected = Array.from({ length: 400 }, (_, i) => `line ${i}\n`).join('');
  assert.equal(text, expected);
});

test('/files/browse lists the sandbox like Mesos, by real and virtual path', async (t) => {
  const { agent, sandbox, virtual } = await runningTask(t, "printf 'hello\\n'; mkdir sub; touch done; sleep 300");
  let r = await get(agent, '/files/browse', { path: virtual });
  assert.equal(r.status, 200);
  assert.equal(r.contentType, 'application/json');
  assert.match(r.body, /^\[\{"gid":"[^"]+","mode":"-rw-r--r--","mtime":\d+\.0,"nlink":1,"path":"[^"]+\/done","size":0,"uid":"[^"]+"\}/);
  const list = JSON.parse(r.body) as Array<{ path: string; mode: string; size: number; nlink: number; uid: string; gid: string; mtime: number }>;
  assert.deepEqual(list.map((e) => e.path), ['done', 'stderr', 'stdout', 'sub'].map((n) => `${virtual}/${n}`));
  const stdout = list.find((e) => e.path.endsWith('/stdout'));
  assert.equal(stdout?.size, 6);
  assert.equal(list.find((e) => e.path.endsWith('/sub'))?.mode.slice(0, 1), 'd');

  r = await get(agent, '/files/browse', { path: sandbox });
  const real = JSON.parse(r.body) as Array<{ path: string }>;
  assert.deepEqual(real.map((e) => e.path), ['done', 'stderr', 'stdout', 'sub'].map((n) => `${sandbox}/${n}`));

  r = await get(agent, '/files/browse', { path: `${sandbox}/no-such-dir` });
  assert.deepEqual([r.status, r.contentType, r.body], [404, TEXT, '']);
  r = await get(agent, '/files/browse', {});
  assert.deepEqual([r.status, r.body], [400, "Expecting 'path=value' in query.\n"]);
  r = await get(agent, '/files/browse', { path: `${virtual}/sub` });
  assert.deepEqual([r.status, r.body], [200, '[]']);
});

test('/files/download streams raw bytes; /state finds the sandbox; /health answers 200', async (t) => {
  const { agent, sandbox, virtual } = await runningTask(t, "printf 'hello\\n'; touch done; sleep 300");
  let r = await get(agent, '/files/download', { path: `${virtual}/stdout` });
  assert.deepEqual([r.status, r.contentType, r.body], [200, 'application/octet-stream', 'hello\n']);
  r = await get(agent, '/files/download', { path: virtual });
  assert.deepEqual([r.status, r.body], [400, 'Cannot download a directory.\n']);

  r = await get(agent, '/state');
  assert.equal(r.status, 200);
  assert.equal(r.contentType, 'application/json');
  const state = JSON.parse(r.body) as {
    id: string;
    hostname: string;
    pid: string;
    resources: Record<string, unknown>;
    frameworks: Array<{ id: string; executors: Array<{ id: string; name: string; directory: string; tasks: Array<{ id: string; state: string; executor_id: string; slave_id: string; resources: Record<string, number> }> }> }>;
  };
  assert.equal(state.id, agent.info.id);
  assert.equal(state.pid, `slave(1)@127.0.0.1:${agent.info.port}`);
  assert.deepEqual(state.resources, { disk: 1024, mem: 1024, gpus: 0, cpus: 2, ports: '[31000-32000]' });
  const ex = state.frameworks[0]?.executors[0];
  assert.equal(state.frameworks[0]?.id, FRAMEWORK_ID);
  assert.equal(ex?.directory, sandbox);
  assert.equal(ex?.name, "Command Executor (Task: files) (Command: sh -c 'printf 'hell...')");
  assert.equal(ex?.tasks[0]?.executor_id, '');
  assert.equal(ex?.tasks[0]?.slave_id, agent.info.id);
  assert.deepEqual(ex?.tasks[0]?.resources, { disk: 0, mem: 32, gpus: 0, cpus: 0.1 });
  r = await get(agent, '/slave(1)/state');
  assert.equal(r.status, 200);

  r = await get(agent, '/health');
  assert.deepEqual([r.status, r.body, r.contentType], [200, '', undefined]);
  r = await get(agent, '/no/such/endpoint');
  assert.equal(r.status, 404);
  assert.equal(realpathSync(sandbox), sandbox);
});

test('malformed requests get 4xx answers and never take the server down', async (t) => {
  const { agent } = await startTestAgent(t);
  const { connect } = await import('node:net');
  const raw = (text: string): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect(agent.info.port, '127.0.0.1');
      let out = '';
      socket.on('data', (d: Buffer) => (out += d.toString('latin1')));
      socket.on('error', () => resolve(out));
      socket.on('close', () => resolve(out));
      socket.write(text);
      setTimeout(() => socket.end(), 300);
    });
  assert.match(await raw('GARBAGE\r\n\r\n'), /^(HTTP\/1\.1 400|)/);
  assert.match(await raw('GET /files/read?path=%&offset=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 400 (.|\n|\r)*Failed to parse offset: Failed to convert '%zz' to number\.\n$/);
  assert.match(await raw('GET /files/read?path=%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 404/);
  assert.match(await raw(`GET /files/read?path=${'a'.repeat(10_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), /^HTTP\/1\.1 404/);
  assert.match(await raw('GET //files/read HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 404/);
  assert.match(await raw('POST /files/browse?path=/x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc'), /^HTTP\/1\.1 404/);
  assert.match(await raw('GET /files/read?path=/x&offset=99999999999999999999999 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 400/);
  const r = await get(agent, '/health');
  assert.equal(r.status, 200);
});
