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

test('MESOS_MASTER may be one zk:// address (its host list has commas of its own); a bad one names MESOS_MASTER', () => {
  const c = workerConfigFromEnv({ MESOS_MASTER: 'zk://zk1:2181,zk2:2181/mesos' });
  assert.deepEqual(c.masters, ['zk://zk1:2181,zk2:2181/mesos']);
  assert.throws(() => workerConfigFromEnv({ MESOS_MASTER: 'zk://zk1:2181' }), /MESOS_MASTER: a zk:\/\/ address needs a path/);
  assert.throws(() => workerConfigFromEnv({ MESOS_MASTER: 'http://m1:5050,zk://zk1:2181/mesos' }), /MESOS_MASTER: a zk:\/\/ address cannot be mixed/);
});
