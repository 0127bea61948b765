// Each process checks its settings before doing anything: a wrong value is
// exactly one line on stderr (the variable, the value or ******** for a
// secret, what is allowed) and exit code 2 — nothing started, nothing to clean up.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { killAll, spawnMesoflow, type MesoflowProcess } from './process-support.js';

const procs = new Set<MesoflowProcess>();
after(() => killAll(procs));

const base = { MESOS_MASTER: 'http://127.0.0.1:1', TEMPORAL_ADDRESS: '127.0.0.1:1', MESOFLOW_API_TOKEN: '', HOME: '/nonexistent' };

const cases: Array<{ args: string[]; env: NodeJS.ProcessEnv; line: RegExp }> = [
  { args: ['worker'], env: { MESOFLOW_SESSION_HEARTBEAT_TIMEOUT: '0' }, line: /^mesoflow worker: invalid configuration: MESOFLOW_SESSION_HEARTBEAT_TIMEOUT=0: expected a number ≥ 1 \(seconds\)$/ },
  { args: ['worker'], env: { MESOS_MASTER: 'master:5050' }, line: /^mesoflow worker: invalid configuration: MESOS_MASTER=master:5050: expected comma-separated http\(s\):\/\/ master URLs, or zk:/ },
  { args: ['worker'], env: { TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent/client.pem' }, line: /^mesoflow worker: invalid configuration: TEMPORAL_TLS_CLIENT_CERT_PATH=\/nonexistent\/client\.pem: expected the path of a readable file \(ENOENT\)$/ },
  { args: ['api'], env: { PORT: 'eighty' }, line: /^mesoflow api: invalid configuration: PORT=eighty: expected a port number 0-65535/ },
  { args: ['api'], env: { TEMPORAL_API_KEY: 'secret value' }, line: /^mesoflow api: invalid configuration: TEMPORAL_API_KEY=\*{8}: expected a key without spaces$/ },
  { args: ['api'], env: { MESOFLOW_API_HOST: '0.0.0.0' }, line: /^mesoflow api: invalid configuration: MESOFLOW_API_HOST=0\.0\.0\.0: expected a loopback address/ },
  { args: ['start'], env: { MESOFLOW_DEVCLUSTER_PORT: '99999' }, line: /^mesoflow start: invalid configuration: MESOFLOW_DEVCLUSTER_PORT=99999: expected a port number/ },
  { args: ['start'], env: { TEMPORAL_PROFILE: 'prod' }, line: /^mesoflow start: invalid configuration: TEMPORAL_PROFILE=prod: expected a profile of the Temporal config file/ },
  { args: ['config', '--for', 'worker'], env: { MESOFLOW_PARTITION_AWARE: 'perhaps' }, line: /^mesoflow config: invalid configuration: MESOFLOW_PARTITION_AWARE=perhaps: expected true or false/ },
];

test('a wrong setting stops each process with one line and exit code 2', async () => {
  const runs = cases.map((c, i) => ({ c, p: spawnMesoflow(`case-${i}`, c.args, { ...base, ...c.env }, procs) }));
  for (const { c, p } of runs) {
    const exit = await p.exited;
    const out = p.output().trim();
    assert.equal(exit.code, 2, `${c.args.join(' ')}: ${out}`);
    assert.equal(out.split('\n').length, 1, `one line: ${out}`);
    assert.match(out, c.line);
    assert.ok(!out.includes('secret value'));
  }
});
