// The Mesos connection's secrets and certificates come from files named by
// MESOS_SECRET_FILE, MESOS_CA_FILE, MESOS_CERT_FILE and MESOS_KEY_FILE.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../config/load.js';
import { mesosTlsOptions, workerConfigFromEnv } from '../../../worker/config.js';

let dir: string;
const base = { MESOS_MASTER: 'https://m1:5050' };
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mesoflow-config-'));
  writeFileSync(join(dir, 'secret'), 'pa ss\n');
  writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
  writeFileSync(join(dir, 'cert.pem'), 'CERT PEM');
  writeFileSync(join(dir, 'key.pem'), 'KEY PEM');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('MESOS_SECRET_FILE gives the secret without the trailing newline', () => {
  const c = workerConfigFromEnv({ ...base, MESOS_PRINCIPAL: 'fw', MESOS_SECRET_FILE: join(dir, 'secret') });
  assert.equal(c.principal, 'fw');
  assert.equal(c.secret, 'pa ss');
});

test('a secret from both the variable and a file, or without a principal, is refused', () => {
  assert.throws(() => workerConfigFromEnv({ ...base, MESOS_PRINCIPAL: 'fw', MESOS_SECRET: 'x', MESOS_SECRET_FILE: join(dir, 'secret') }), /MESOS_SECRET and MESOS_SECRET_FILE/);
  assert.throws(() => workerConfigFromEnv({ ...base, MESOS_SECRET_FILE: join(dir, 'secret') }), /MESOS_PRINCIPAL and MESOS_SECRET \(or MESOS_SECRET_FILE\)/);
});

test('an unreadable file names the variable and the path, never any content', () => {
  const missing = join(dir, 'nope');
  for (const v of ['MESOS_SECRET_FILE', 'MESOS_CA_FILE', 'MESOS_CERT_FILE', 'MESOS_KEY_FILE']) {
    assert.throws(
      () => workerConfigFromEnv({ ...base, MESOS_PRINCIPAL: 'fw', [v]: missing }),
      (e: unknown) => e instanceof ConfigError && e.variable === v && e.message.startsWith(`${v}=${missing}: expected`) && e.message.includes('ENOENT'),
    );
  }
});

test('TLS: CA alone, or CA with a client certificate and key (both or neither)', () => {
  const caOnly = workerConfigFromEnv({ ...base, MESOS_CA_FILE: join(dir, 'ca.pem') });
  assert.deepEqual(mesosTlsOptions(caOnly), { ca: 'CA PEM' });
  const mutual = workerConfigFromEnv({ ...base, MESOS_CA_FILE: join(dir, 'ca.pem'), MESOS_CERT_FILE: join(dir, 'cert.pem'), MESOS_KEY_FILE: join(dir, 'key.pem') });
  assert.deepEqual(mesosTlsOptions(mutual), { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' });
  assert.equal(mesosTlsOptions(workerConfigFromEnv(base)), undefined);
  assert.throws(() => workerConfigFromEnv({ ...base, MESOS_CERT_FILE: join(dir, 'cert.pem') }), /MESOS_CERT_FILE and MESOS_KEY_FILE/);
});
