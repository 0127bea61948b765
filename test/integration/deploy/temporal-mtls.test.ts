// Temporal over mTLS, configured only with Temporal's own variables
// (TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME,
// TEMPORAL_TLS_CLIENT_CERT_PATH / _KEY_PATH): a `mesoflow worker` and a
// `mesoflow api` reach the dev server through a TLS-terminating proxy that
// requires client certificates, and a job runs; a client certificate from
// another CA, or a CA that did not sign the server's certificate, is one
// clear line at startup and exit code 1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../support/wait.js';
import { http } from '../api/api-stack.js';
import { startStack, type Stack } from '../jobs/stack.js';
import { killAll, spawnMesoflow, type MesoflowProcess } from './process-support.js';
import { makePki, SERVER_NAME, startTlsProxy, type TestPki, type TlsProxy } from './tls-proxy.js';

const procs = new Set<MesoflowProcess>();
let dir: string;
let pki: TestPki;
let proxy: TlsProxy;
let stack: Stack;

function env(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    HOME: dir,
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caPem,
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey,
    MESOS_MASTER: stack.cluster.masterUrl,
    MESOFLOW_FRAMEWORK_NAME: stack.frameworkName,
    MESOFLOW_TASK_QUEUE: stack.taskQueue,
    MESOFLOW_SESSION_HEARTBEAT_TIMEOUT: '4',
    MESOFLOW_DECLINE_REFUSE_SECONDS: '1',
    MESOFLOW_LOG_LEVEL: 'info',
    MESOFLOW_API_TOKEN: '',
    ...overrides,
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mesoflow-mtls-'));
  pki = makePki(dir);
  stack = await startStack({ noWorker: true });
  proxy = await startTlsProxy(pki, stack.temporal.address);
});

after(async () => {
  killAll(procs);
  await proxy?.stop();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('mTLS through a TLS-terminating proxy: a worker and the API connect, a job runs', async () => {
  const worker = spawnMesoflow('worker', ['worker'], env(), procs);
  await worker.waitFor(/"msg":"worker started"/);
  const api = spawnMesoflow('api', ['api'], env({ PORT: '0' }), procs);
  const url = await api.waitFor(/"msg":"API listening".*?"url":"(http:\/\/[^"]+)"/);
  const id = `mtls-${randomUUID().slice(0, 8)}`;
  const created = await http(`${url}/v1/jobs`, { method: 'POST', body: JSON.stringify({ id, command: 'echo over-mtls' }), headers: { 'content-type': 'application/json' } });
  assert.equal(created.status, 201, created.text);
  await until(async () => ((await http(`${url}/v1/jobs/${id}`)).json as { status?: string }).status === 'SUCCEEDED', 'the job to succeed', 120_000, 300);
  const ready = await http(`${url}/readyz`);
  assert.equal(ready.status, 200, ready.text);
  assert.ok(proxy.stats.authorized >= 2, `client-certificate connections through the proxy: ${proxy.stats.authorized}`);
  worker.child.kill('SIGTERM');
  api.child.kill('SIGTERM');
  assert.equal((await worker.exited).code, 0, worker.output().slice(-2000));
  assert.equal((await api.exited).code, 0, api.output().slice(-2000));
});

async function failsToStart(name: string, overrides: NodeJS.ProcessEnv): Promise<string> {
  const p = spawnMesoflow(name, ['worker'], env(overrides), procs);
  const exit = await p.exited;
  const out = p.output().trim();
  assert.equal(exit.code, 1, out);
  assert.equal(out.split('\n').length, 1, `one line:\n${out}`);
  return out;
}

test('a client certificate the server does not trust is one clear line at startup', async (t) => {
  const refusedBefore = proxy.stats.refused;
  const line = await failsToStart('rogue-client', { TEMPORAL_TLS_CLIENT_CERT_PATH: pki.rogueClientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: pki.rogueClientKey });
  assert.match(line, new RegExp(`^mesoflow worker: cannot connect to Temporal at ${proxy.address} with mTLS \\(server name ${SERVER_NAME.replace(/\./g, '\\.')}\\): \\S`));
  assert.ok(proxy.stats.refused > refusedBefore, 'the proxy refused the handshake');
  assert.match(line, /is the client certificate signed by a CA the server trusts\?\)$/);
  t.diagnostic(line);
});

test('a CA that did not sign the server certificate is one clear line at startup', async (t) => {
  const line = await failsToStart('wrong-ca', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.rogueCaPem });
  assert.match(line, /^mesoflow worker: cannot connect to Temporal at \S+ with mTLS .*: \S/);
  assert.match(line, /\(the server certificate is not signed by TEMPORAL_TLS_SERVER_CA_CERT_PATH/);
  t.diagnostic(line);
});
