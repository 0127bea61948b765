import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../config/load.js';
import { temporalTarget } from '../../../config/temporal-connection.js';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'mesoflow-temporal-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pem = (what: string) => `-----BEGIN ${what}-----\nMIIB\n-----END ${what}-----\n`;

test('no setting: no address (start runs a dev server), namespace default, no TLS', () => {
  const t = temporalTarget({});
  assert.equal(t.address, undefined);
  assert.equal(t.namespace, 'default');
  assert.equal(t.describe.tls, 'off');
});

test('a profile of the Temporal config file, with the environment overriding it, as in the Temporal CLI', () => {
  withDir((dir) => {
    const file = join(dir, 'temporal.toml');
    writeFileSync(join(dir, 'ca.pem'), pem('CERTIFICATE'));
    writeFileSync(join(dir, 'c.pem'), pem('CERTIFICATE'));
    writeFileSync(join(dir, 'k.pem'), pem('PRIVATE KEY'));
    writeFileSync(
      file,
      [
        '[profile.default]',
        'address = "localhost:7233"',
        '[profile.prod]',
        'address = "temporal.prod:7233"',
        'namespace = "jobs"',
        '[profile.prod.tls]',
        `server_ca_cert_path = "${join(dir, 'ca.pem')}"`,
        `client_cert_path = "${join(dir, 'c.pem')}"`,
        `client_key_path = "${join(dir, 'k.pem')}"`,
        'server_name = "temporal.internal"',
      ].join('\n'),
    );
    assert.equal(temporalTarget({ TEMPORAL_CONFIG_FILE: file }).address, 'localhost:7233');
    const prod = temporalTarget({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    assert.equal(prod.address, 'temporal.prod:7233');
    assert.equal(prod.namespace, 'jobs');
    assert.deepEqual(prod.describe, { tls: 'mtls', serverName: 'temporal.internal', apiKey: false, profile: 'prod' });
    const overridden = temporalTarget({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other', TEMPORAL_ADDRESS: 'x:1' });
    assert.equal(overridden.namespace, 'other');
    assert.equal(overridden.address, 'x:1');
    assert.throws(
      () => temporalTarget({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'nope' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'TEMPORAL_PROFILE' && !e.message.includes('\n'),
    );
  });
});

test('the TEMPORAL_TLS* variables: server CA and name, client pair; an API key implies TLS', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'ca.pem'), pem('CERTIFICATE'));
    const t = temporalTarget({ TEMPORAL_ADDRESS: 'h:7233', TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.pem'), TEMPORAL_TLS_SERVER_NAME: 'srv' });
    assert.equal(t.describe.tls, 'tls');
    const tls = t.connection.tls as { serverNameOverride?: string; serverRootCACertificate?: Buffer };
    assert.equal(tls.serverNameOverride, 'srv');
    assert.match(Buffer.from(tls.serverRootCACertificate ?? []).toString(), /BEGIN CERTIFICATE/);
    const cloud = temporalTarget({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key' });
    assert.equal(cloud.connection.tls, true);
    assert.equal(cloud.connection.apiKey, 'key');
    assert.equal(temporalTarget({ TEMPORAL_API_KEY: 'key', TEMPORAL_TLS: 'false' }).connection.tls, false);
  });
});
