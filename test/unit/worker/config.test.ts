import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workerConfigFromEnv, WorkerConfigError } from '../../../worker/config.js';

test('the environment compiles into a defaulted config', () => {
  const c = workerConfigFromEnv({ MESOS_MASTER: 'http://m1:5050, http://m2:5050', MESOFLOW_FAILOVER_TIMEOUT: '3600' });
  assert.deepEqual(c.masters, ['http://m1:5050', 'http://m2:5050']);
  assert.equal(c.failoverTimeoutSeconds, 3600);
  assert.equal(c.temporalAddress, '127.0.0.1:7233');
  assert.equal(c.taskQueue, 'mesoflow');
  assert.equal(c.frameworkName, 'mesoflow');
  assert.deepEqual(c.roles, ['*']);
  assert.equal(workerConfigFromEnv({ MESOS_MASTER: 'http://m' }).failoverTimeoutSeconds, 604800);
});

test('bad settings are reported by name', () => {
  assert.throws(() => workerConfigFromEnv({}), (e: unknown) => e instanceof WorkerConfigError && e.message.includes('masters'));
  assert.throws(() => workerConfigFromEnv({ MESOS_MASTER: 'http://m', MESOFLOW_FAILOVER_TIMEOUT: 'soon' }), /failoverTimeoutSeconds/);
  assert.throws(() => workerConfigFromEnv({ MESOS_MASTER: 'http://m', MESOS_PRINCIPAL: 'p' }), /together/);
});
