// Mesos connection security end to end: `mesoflow devcluster` started with
// Mesos's flags (--authenticate_http_frameworks --http_credentials, TLS with
// a test CA that also checks client certificates), and a worker configured
// only through the environment (MESOS_PRINCIPAL, MESOS_SECRET_FILE,
// MESOS_CA_FILE, MESOS_CERT_FILE, MESOS_KEY_FILE) running a real job.
// A wrong secret: 401 from the master, one clear error that also reaches the
// waiting job, and a bounded number of SUBSCRIBE attempts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { sessionWorkflowId } from '../../../activities/contract.js';
import { UNAUTHORIZED_FIRST_BACKOFF_MS, unauthorizedBackoff } from '../../../activities/session/subscription-loop.js';
import { createLogger } from '../../../common/logger.js';
import { projectRoot } from '../../../stack/temporal-cli.js';
import { AgentFilesClient, sandboxPath } from '../../../api/logs.js';
import { mesosTlsOptions, workerConfigFromEnv } from '../../../worker/config.js';
import { jobProgress, jobProgressLive, startJob } from '../../../worker/job-client.js';
import { startWorker, type RunningWorker } from '../../../worker/start-worker.js';
import { fastTuning } from '../jobs/stack.js';
import { createTestPki, type TestPki } from '../../support/test-pki.js';
import { useTemporal, type TestTemporal } from '../../support/temporal.js';
import { until } from '../../support/wait.js';

const SECRET = `s3cret-${randomUUID()}`;
const WRONG = `wrong-${randomUUID()}`;

/** Worker settings the tests shorten; everything Mesos-related comes from the environment. */
const tuning = { sessionHeartbeatTimeoutSeconds: 3, declineRefuseSeconds: 1, leaseTimeoutMs: 2000, suppressDelayMs: 300, failoverTimeoutSeconds: 600, heartbeatMissLimit: 3 };

describe('Mesos basic auth and TLS against the devcluster', () => {
  let dir: string;
  let pki: TestPki;
  let temporal: TestTemporal;
  let devcluster: ChildProcess;
  let devclusterOut = '';
  let masterUrl: string;
  const workers: RunningWorker[] = [];
  /** A client that presents the test client certificate (the master requires one). */
  let trusted: Agent;

  async function stats(): Promise<{ calls: Record<string, number>; unauthorized_requests: number }> {
    const res = await request(`${masterUrl}/__devcluster/stats`, { dispatcher: trusted });
    return (await res.body.json()) as { calls: Record<string, number>; unauthorized_requests: number };
  }

  function workerEnv(frameworkName: string, secretFile: string): NodeJS.ProcessEnv {
    return {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      MESOS_MASTER: masterUrl,
      MESOFLOW_FRAMEWORK_NAME: frameworkName,
      MESOFLOW_TASK_QUEUE: `mesoflow-${frameworkName}`,
      MESOS_PRINCIPAL: 'mesoflow',
      MESOS_SECRET_FILE: secretFile,
      MESOS_CA_FILE: pki.caFile,
      MESOS_CERT_FILE: pki.clientCertFile,
      MESOS_KEY_FILE: pki.clientKeyFile,
    };
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesoflow-mesos-security-'));
    pki = createTestPki(dir);
    trusted = new Agent({ connect: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
    await writeFile(join(dir, 'credentials.json'), JSON.stringify({ credentials: [{ principal: 'mesoflow', secret: SECRET }] }));
    // `echo secret > file` leaves a newline: it is not part of the secret.
    await writeFile(join(dir, 'secret'), `${SECRET}\n`);
    await writeFile(join(dir, 'wrong-secret'), WRONG);
    temporal = await useTemporal();
    devcluster = spawn(
      process.execPath,
      [join(projectRoot(), 'cli', 'bin.js'), 'devcluster', '--port', '0', '--resources', 'cpus:2;mem:1024;disk:1024;ports:[31000-31099]',
        '--authenticate_http_frameworks', '--http_credentials', `file://${join(dir, 'credentials.json')}`,
        '--ssl_cert_file', pki.serverCertFile, '--ssl_key_file', pki.serverKeyFile, '--ssl_ca_file', pki.caFile, '--ssl_require_cert'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MESOFLOW_LOG_LEVEL: 'warn' } },
    );
    devcluster.stdout?.on('data', (d: Buffer) => (devclusterOut += d.toString()));
    devcluster.stderr?.on('data', (d: Buffer) => (devclusterOut += d.toString()));
    masterUrl = await until(() => {
      if (devcluster.exitCode !== null) throw new Error(`devcluster exited: ${devclusterOut}`);
      return /Mesos master \(devcluster\) at (https:\/\/\S+)/.exec(devclusterOut)?.[1];
    }, `the devcluster's https URL (${devclusterOut})`, 60_000);
  });

  after(async () => {
    for (const w of workers) {
      await w.client.workflow.getHandle(sessionWorkflowId(w.config.frameworkName)).terminate('test over').catch(() => undefined);
      await w.stop();
    }
    if (devcluster && devcluster.exitCode === null) {
      devcluster.kill('SIGTERM');
      await new Promise((r) => devcluster.once('exit', r));
    }
    await trusted?.close();
    await temporal?.release();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('mesoflow devcluster: a wrong combination of security flags is one clear line and exit 1', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--authenticate_http_frameworks'], /^mesoflow: --authenticate_http_frameworks needs --http_credentials \(or --credentials\)\n$/],
      [['--ssl_cert_file', pki.serverCertFile], /^mesoflow: --ssl_cert_file and --ssl_key_file go together\n$/],
      [['--authenticate_http_frameworks', '--http_credentials', join(dir, 'secret')], /^mesoflow: credentials file .*secret: line 1 is not "principal secret"\n$/],
    ];
    for (const [flags, expected] of cases) {
      const child = spawn(process.execPath, [join(projectRoot(), 'cli', 'bin.js'), 'devcluster', '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      assert.equal(code, 1, flags.join(' '));
      assert.match(err, expected);
      assert.equal(err.includes(SECRET), false);
    }
  });

  it('refuses TLS clients without the CA or without a client certificate', async () => {
    // No CA: the test CA's server certificate is not trusted.
    await assert.rejects(request(`${masterUrl}/health`), /self-signed|unable to verify|certificate/i);
    // The CA but no client certificate: the master ends the handshake.
    const noCert = new Agent({ connect: { ca: pki.ca } });
    try {
      await assert.rejects(request(`${masterUrl}/health`, { dispatcher: noCert }));
    } finally {
      await noCert.close();
    }
    // A certificate from another CA is refused as well.
    const stranger = new Agent({ connect: { ca: pki.ca, cert: readFileSync(pki.strangerCertFile), key: readFileSync(pki.strangerKeyFile) } });
    try {
      await assert.rejects(request(`${masterUrl}/health`, { dispatcher: stranger }));
    } finally {
      await stranger.close();
    }
    assert.equal((await request(`${masterUrl}/health`, { dispatcher: trusted })).statusCode, 200);
  });

  it('runs a job with basic auth from MESOS_SECRET_FILE over TLS with a client certificate', async () => {
    const frameworkName = `sec-${randomUUID().slice(0, 8)}`;
    const env = workerEnv(frameworkName, join(dir, 'secret'));
    const worker = await startWorker({ ...workerConfigFromEnv(env), ...tuning }, { logger: createLogger({ level: 'warn' }) });
    workers.push(worker);
    const h = await startJob(worker.client, { spec: { command: 'echo authenticated', resources: { cpus: 0.1, mem: 32 } }, frameworkName, taskQueue: `mesoflow-${frameworkName}`, tuning: fastTuning });
    const result = (await h.result()) as { status: string; exitCode?: number };
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(result.exitCode, 0);
    // The master recorded the authenticated principal on the framework.
    const res = await request(`${masterUrl}/master/frameworks`, { dispatcher: trusted });
    const body = (await res.body.json()) as { frameworks: Array<{ id: string; name: string; principal?: string }> };
    const framework = body.frameworks.find((f) => f.name === frameworkName);
    assert.equal(framework?.principal, 'mesoflow');

    // The API's log reads go through the same TLS settings (GET_AGENTS on the https master).
    const attempt = (await jobProgress(h)).attempts[0];
    assert.ok(attempt?.agentId !== undefined && framework !== undefined);
    const files = new AgentFilesClient({ masters: [masterUrl], tls: mesosTlsOptions(worker.config), credentials: { principal: 'mesoflow', secret: SECRET } });
    const chunk = await files.read(attempt.agentId, sandboxPath(framework.id, attempt.taskId, 'stdout'), 0, 4096);
    assert.match(chunk.data.toString('utf8'), /authenticated/);
    const untrusting = new AgentFilesClient({ masters: [masterUrl] });
    await assert.rejects(untrusting.agent(attempt.agentId), /could not list the agents/);
  });

  it('a CA that did not sign the master: the waiting job says the certificate was refused', async () => {
    const frameworkName = `ca-${randomUUID().slice(0, 8)}`;
    const env = { ...workerEnv(frameworkName, join(dir, 'secret')), MESOS_CA_FILE: join(dir, 'stranger-ca.crt') };
    const worker = await startWorker({ ...workerConfigFromEnv(env), ...tuning }, { logger: createLogger({ level: 'error' }) });
    workers.push(worker);
    const h = await startJob(worker.client, { spec: { command: 'echo never', resources: { cpus: 0.1, mem: 32 } }, frameworkName, taskQueue: `mesoflow-${frameworkName}`, tuning: fastTuning });
    const waiting = await until(async () => (await jobProgressLive(h)).waiting?.reasons.find((r) => /not subscribed to Mesos/.test(r.reason)), 'the waiting job to name the TLS failure', 60_000);
    assert.match(waiting.reason, new RegExp(`could not reach ${masterUrl.replace(/[.]/g, '\\.')}.*certificate`, 'i'));
    await h.cancel();
  });

  it('a wrong secret: 401, a clear error for the operator and the waiting job, and a bounded number of attempts', async () => {
    const frameworkName = `bad-${randomUUID().slice(0, 8)}`;
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l) });
    const before401 = (await stats()).unauthorized_requests;
    const worker = await startWorker({ ...workerConfigFromEnv(workerEnv(frameworkName, join(dir, 'wrong-secret'))), ...tuning }, { logger });
    workers.push(worker);
    const firstSeen = await until(async () => ((await stats()).unauthorized_requests > before401 ? Date.now() : undefined), 'the first 401', 60_000);
    const h = await startJob(worker.client, { spec: { command: 'echo never', resources: { cpus: 0.1, mem: 32 } }, frameworkName, taskQueue: `mesoflow-${frameworkName}`, tuning: fastTuning });

    // Positive proof the system moved on: the waiting job says why it waits,
    // and the session asked the master again (a retry, with backoff).
    const waiting = await until(async () => {
      const p = await jobProgressLive(h);
      return p.waiting?.reasons.find((r) => /HTTP 401/.test(r.reason));
    }, 'the waiting job to name the 401', 60_000);
    assert.match(waiting.reason, /refused the framework's credentials with HTTP 401 \(principal 'mesoflow'\)/);
    assert.match(waiting.reason, /MESOS_SECRET_FILE/);
    await until(async () => (await stats()).unauthorized_requests - before401 >= 3, 'a third SUBSCRIBE attempt', 60_000, 200);
    const elapsed = Date.now() - firstSeen;
    const attempts = (await stats()).unauthorized_requests - before401;
    // After the first attempt, the n-th comes no sooner than the sum of the
    // first n-1 backoffs (jitter only adds): that caps how many fit in `elapsed`
    // (+1 s for the poll that first saw a 401).
    let bound = 1;
    for (let waited = unauthorizedBackoff(1); waited <= elapsed + 1000; waited += unauthorizedBackoff(bound)) bound++;
    assert.ok(attempts <= bound, `${attempts} SUBSCRIBE attempts in ${elapsed} ms; at most ${bound} expected`);
    assert.ok(elapsed >= UNAUTHORIZED_FIRST_BACKOFF_MS * 3 - 1000, `three attempts took only ${elapsed} ms`);

    const errors = lines.filter((l) => /refused the framework's credentials with HTTP 401/.test(l));
    assert.ok(errors.length >= 2, `one error line per refused attempt: ${errors.length}`);
    assert.match(errors[0] as string, /"level":"error"/);
    assert.match(errors[0] as string, /principal 'mesoflow'/);
    // Neither secret appears in anything this worker logged, nor the Basic header built from them.
    const all = lines.join('\n');
    for (const s of [WRONG, SECRET, Buffer.from(`mesoflow:${WRONG}`).toString('base64')]) assert.equal(all.includes(s), false, 'a secret leaked into the log');
    await h.cancel();
  });
});
