// The API's way to Mesos comes from the same settings as the worker's: a
// zk:// MESOS_MASTER gives it a leader detector (log reads, /readyz) as under
// `mesoflow start`; the TLS files and credentials loadConfig read reach it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiMesosAccess } from '../../../api/mesos-access.js';
import { createLogger } from '../../../common/logger.js';
import { loadConfig } from '../../../config/load.js';
import { mesosConnectionFromLoaded } from '../../../worker/config.js';

const logger = createLogger({ level: 'error', write: () => {} });

test('zk:// MESOS_MASTER: the API gets a leader detector and no fixed master URLs', async () => {
  // Port 1: nothing listens; the detector only has to exist (and close).
  const loaded = loadConfig({ MESOS_MASTER: 'zk://u:pw@127.0.0.1:1/mesos' }, 'api');
  const access = apiMesosAccess({ masters: loaded.settings.MESOS_MASTER ?? [], ...mesosConnectionFromLoaded(loaded) }, logger);
  try {
    assert.deepEqual(access.deps.masters, []);
    assert.ok(access.deps.leaderDetector, 'no leader detector for a zk:// master');
    assert.equal(access.deps.leaderDetector.status().leader, undefined);
    assert.equal(access.deps.mesosTls, undefined);
    assert.equal(access.deps.mesosCredentials, undefined);
  } finally {
    await access.close();
  }
});

test('URL masters with MESOS_SECRET_FILE and the TLS files: the API reads logs with the worker\'s TLS and credentials', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesoflow-api-access-'));
  try {
    writeFileSync(join(dir, 'secret'), 's3cret\n');
    writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
    writeFileSync(join(dir, 'cert.pem'), 'CERT PEM');
    writeFileSync(join(dir, 'key.pem'), 'KEY PEM');
    const loaded = loadConfig(
      {
        MESOS_MASTER: 'https://m1:5050,https://m2:5050',
        MESOS_PRINCIPAL: 'fw',
        MESOS_SECRET_FILE: join(dir, 'secret'),
        MESOS_CA_FILE: join(dir, 'ca.pem'),
        MESOS_CERT_FILE: join(dir, 'cert.pem'),
        MESOS_KEY_FILE: join(dir, 'key.pem'),
      },
      'api',
    );
    const access = apiMesosAccess({ masters: loaded.settings.MESOS_MASTER ?? [], ...mesosConnectionFromLoaded(loaded) }, logger);
    assert.deepEqual(access.deps.masters, ['https://m1:5050', 'https://m2:5050']);
    assert.equal(access.deps.leaderDetector, undefined);
    assert.deepEqual(access.deps.mesosTls, { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' });
    assert.deepEqual(access.deps.mesosCredentials, { principal: 'fw', secret: 's3cret' });
    await access.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
