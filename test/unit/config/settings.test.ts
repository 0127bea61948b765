import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFrameworkUser, settingDefs, settingNames, type SettingName } from '../../../config/definitions.js';
import { withGeneratedTable } from '../../../config/describe.js';
import { ConfigError, isLoopback, loadConfig, MASK, redactCredentials } from '../../../config/load.js';
import { effectiveConfigLines } from '../../../config/describe.js';
import { temporalTarget } from '../../../config/temporal-connection.js';

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
const worker = { MESOS_MASTER: 'http://m:5050' };

test('the README configuration table is the one generated from the definitions (npm run config-table)', () => {
  const text = readFileSync(readme, 'utf8');
  assert.equal(withGeneratedTable(text), text);
  for (const name of settingNames) assert.ok(text.includes(`| \`${name}\` |`), `${name} in the README table`);
});

/** A value each parser refuses. */
const wrong: Partial<Record<SettingName, string>> = {
  PORT: '70000',
  MESOFLOW_API_TOKEN: 'has space',
  MESOFLOW_API_TOKEN_FILE: '/nonexistent/token',
  MESOFLOW_API_ALLOW_UNAUTHENTICATED: 'maybe',
  TEMPORAL_ADDRESS: 'no-port',
  TEMPORAL_API_KEY: 'two words',
  TEMPORAL_TLS: 'perhaps',
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem',
  TEMPORAL_TLS_CLIENT_KEY_DATA: 'not pem secret-ish',
  MESOFLOW_TEMPORAL_UI_URL: 'ftp://x',
  MESOFLOW_TEMPORAL_LOG_LEVEL: 'LOUD',
  MESOS_MASTER: 'm:5050',
  MESOS_CA_FILE: '/nonexistent/ca.pem',
  MESOFLOW_FRAMEWORK_NAME: 'a b',
  MESOFLOW_FAILOVER_TIMEOUT: 'soon',
  MESOFLOW_SESSION_HEARTBEAT_TIMEOUT: '0',
  MESOFLOW_DECLINE_REFUSE_SECONDS: '-1',
  MESOFLOW_PARTITION_AWARE: 'sometimes',
  MESOFLOW_SHUTDOWN_GRACE: 'long',
  MESOFLOW_LOG_LEVEL: 'verbose',
};

test('each wrong value stops the process with one line: the variable, the value (masked when secret), what is allowed', () => {
  for (const [name, value] of Object.entries(wrong) as Array<[SettingName, string]>) {
    const def = settingDefs[name];
    const role = def.roles[0];
    assert.ok(role);
    let err: unknown;
    try {
      loadConfig({ ...worker, [name]: value }, role);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError, `${name}=${value} refused`);
    assert.equal(err.variable, name);
    assert.ok(!err.message.includes('\n'), 'one line');
    assert.ok(err.message.includes(def.parser.allowed), `${err.message} says what is allowed`);
    if (def.secret) {
      assert.ok(!err.message.includes(value), `secret ${name} not shown: ${err.message}`);
      assert.ok(err.message.includes(MASK));
    } else {
      assert.ok(err.message.startsWith(`${name}=${value}: expected `), err.message);
    }
  }
});

test('a variable another process uses is not checked here; empty means unset', () => {
  assert.equal(loadConfig({ ...worker, PORT: 'nope' }, 'worker').settings.PORT, 8080);
  assert.equal(loadConfig({ ...worker, MESOFLOW_FAILOVER_TIMEOUT: '' }, 'worker').settings.MESOFLOW_FAILOVER_TIMEOUT, 604800);
  assert.throws(() => loadConfig({ ...worker, PORT: 'nope' }, 'api'), /^ConfigError: PORT=nope: expected a port number/);
});

test('MESOS_MASTER: http(s) URLs or one zk:// address; required by the api and the worker, not by start', () => {
  assert.deepEqual(loadConfig({ MESOS_MASTER: 'http://a:5050,https://b:5050' }, 'worker').settings.MESOS_MASTER, ['http://a:5050', 'https://b:5050']);
  assert.deepEqual(loadConfig({ MESOS_MASTER: 'zk://u:p@z1:2181,z2:2181/mesos' }, 'worker').settings.MESOS_MASTER, ['zk://u:p@z1:2181,z2:2181/mesos']);
  // The shape is mesos/master-address.ts's parseMesosMaster (what the detector uses), its problem in the error.
  assert.throws(() => loadConfig({ MESOS_MASTER: 'zk://z1:2181' }, 'worker'), /MESOS_MASTER=zk:\/\/z1:2181: expected .*\(a zk:\/\/ address needs a path/);
  assert.throws(() => loadConfig({ MESOS_MASTER: 'http://a:5050,zk://z1:2181/mesos' }, 'worker'), /\(a zk:\/\/ address cannot be mixed with other masters\)/);
  assert.throws(
    () => loadConfig({ MESOS_MASTER: 'zk://u:hunter2@z1/mesos' }, 'worker'),
    (e: unknown) => e instanceof Error && e.message.startsWith('MESOS_MASTER=zk://u:********@z1/mesos: expected') && /is not host:port/.test(e.message) && !e.message.includes('hunter2'),
  );
  assert.throws(() => loadConfig({}, 'api'), /^ConfigError: MESOS_MASTER=unset: expected/);
  assert.equal(loadConfig({}, 'start').settings.MESOS_MASTER, undefined);
});

test('the API refuses a non-loopback address without a token, unless explicitly opted out (then a warning)', () => {
  assert.throws(() => loadConfig({ ...worker, MESOFLOW_API_HOST: '0.0.0.0' }, 'api'), /^ConfigError: MESOFLOW_API_HOST=0\.0\.0\.0: expected a loopback address .*MESOFLOW_API_TOKEN/);
  assert.throws(() => loadConfig({ MESOFLOW_API_HOST: '10.1.2.3' }, 'start'), /MESOFLOW_API_HOST/);
  assert.deepEqual(loadConfig({ ...worker, MESOFLOW_API_HOST: '::1' }, 'api').warnings, []);
  assert.equal(loadConfig({ ...worker, MESOFLOW_API_HOST: '0.0.0.0', MESOFLOW_API_TOKEN: 'tok' }, 'api').apiToken, 'tok');
  const open = loadConfig({ ...worker, MESOFLOW_API_HOST: '0.0.0.0', MESOFLOW_API_ALLOW_UNAUTHENTICATED: 'true' }, 'api');
  assert.equal(open.warnings.length, 1);
  assert.match(open.warnings[0] ?? '', /without a token/);
  // A worker does not listen: its MESOFLOW_API_HOST is not its business.
  assert.deepEqual(loadConfig({ ...worker, MESOFLOW_API_HOST: '0.0.0.0' }, 'worker').warnings, []);
  for (const h of ['127.0.0.1', '127.8.9.1', 'localhost', '::1', '[::1]']) assert.ok(isLoopback(h), h);
  for (const h of ['0.0.0.0', '::', 'example.com', '10.0.0.1']) assert.ok(!isLoopback(h), h);
});

test('secrets from files: the API token and the Mesos secret; not both ways at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesoflow-config-'));
  try {
    const token = join(dir, 'token');
    const secret = join(dir, 'secret');
    writeFileSync(token, 's3cr3t-token\n');
    writeFileSync(secret, 'mesos-pass\n');
    const c = loadConfig({ ...worker, MESOFLOW_API_HOST: '0.0.0.0', MESOFLOW_API_TOKEN_FILE: token, MESOS_PRINCIPAL: 'p', MESOS_SECRET_FILE: secret }, 'api');
    assert.equal(c.apiToken, 's3cr3t-token');
    assert.equal(c.mesosSecret, 'mesos-pass');
    assert.throws(() => loadConfig({ ...worker, MESOFLOW_API_TOKEN: 'x', MESOFLOW_API_TOKEN_FILE: token }, 'api'), /not both MESOFLOW_API_TOKEN and MESOFLOW_API_TOKEN_FILE/);
    assert.throws(() => loadConfig({ ...worker, MESOS_SECRET_FILE: secret }, 'worker'), /^ConfigError: MESOS_PRINCIPAL=unset: expected MESOS_PRINCIPAL and MESOS_SECRET/);
    writeFileSync(token, '');
    assert.throws(() => loadConfig({ ...worker, MESOFLOW_API_TOKEN_FILE: token }, 'api'), /MESOFLOW_API_TOKEN_FILE=.*one token/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tasks do not run as root unless configured to', () => {
  assert.notEqual(defaultFrameworkUser(), 'root');
  assert.notEqual(loadConfig(worker, 'worker').settings.MESOFLOW_FRAMEWORK_USER, 'root');
  const asRoot = loadConfig({ ...worker, MESOFLOW_FRAMEWORK_USER: 'root' }, 'worker');
  assert.equal(asRoot.settings.MESOFLOW_FRAMEWORK_USER, 'root');
  assert.match(asRoot.warnings.join('\n'), /tasks run as root/);
});

test('a client certificate needs its key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesoflow-config-'));
  try {
    const cert = join(dir, 'c.pem');
    writeFileSync(cert, '-----BEGIN CERTIFICATE-----\n');
    assert.throws(() => loadConfig({ ...worker, TEMPORAL_TLS_CLIENT_CERT_PATH: cert }, 'worker'), /TEMPORAL_TLS_CLIENT_KEY_PATH=unset: expected a client certificate and its key together/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('credentials in a master address are masked wherever the value is shown', () => {
  assert.equal(redactCredentials('zk://mesos:pa55@z1:2181,z2:2181/mesos'), `zk://mesos:${MASK}@z1:2181,z2:2181/mesos`);
  assert.equal(redactCredentials('http://a:5050,https://u:p@b:5050'), `http://a:5050,https://u:${MASK}@b:5050`);
  assert.throws(
    () => loadConfig({ MESOS_MASTER: 'zk://mesos:pa55@z1:2181' }, 'worker'),
    (e: unknown) => e instanceof ConfigError && !e.message.includes('pa55') && e.message.includes(MASK),
  );
  const env = { MESOS_MASTER: 'zk://mesos:pa55@z1:2181/mesos', MESOFLOW_API_TOKEN: 'tok-123', TEMPORAL_API_KEY: 'key-456' };
  const printed = effectiveConfigLines(loadConfig(env, 'worker'), temporalTarget(env)).join('\n');
  for (const secret of ['pa55', 'tok-123', 'key-456']) assert.ok(!printed.includes(secret), `${secret} in:\n${printed}`);
  assert.match(printed, /MESOS_MASTER += zk:\/\/mesos:\*{8}@z1:2181\/mesos/);
});
