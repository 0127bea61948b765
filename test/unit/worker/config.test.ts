import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workerConfigFromEnv } from '../../../worker/config.js';
import { ConfigError } from '../../../config/load.js';

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

test('bad settings are reported by variable name', () => {
  assert.throws(() => workerConfigFromEnv({}), (e: unknown) => e instanceof ConfigError && e.variable === 'MESOS_MASTER');
  assert.throws(() => workerConfigFromEnv({ MESOS_MASTER: 'http://m', MESOFLOW_FAILOVER_TIMEOUT: 'soon' }), /^ConfigError: MESOFLOW_FAILOVER_TIMEOUT=soon: expected a number ≥ 1/);
  assert.throws(() => workerConfigFromEnv({ MESOS_MASTER: 'http://m', MESOS_PRINCIPAL: 'p' }), /together/);
});

test('the Temporal connection comes from the TEMPORAL_* variables', () => {
  const c = workerConfigFromEnv({ MESOS_MASTER: 'http://m', TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_NAMESPACE: 'prod', TEMPORAL_API_KEY: 'k' });
  assert.equal(c.temporalAddress, 'temporal.example:7233');
  assert.equal(c.temporalNamespace, 'prod');
  assert.equal(c.temporalConnection?.apiKey, 'k');
  assert.equal(c.temporalConnection?.tls, true, 'an API key turns TLS on');
});

test('MESOS_MASTER may be one zk:// address (its host list has commas of its own); a bad one names MESOS_MASTER', () => {
  const c = workerConfigFromEnv({ MESOS_MASTER: 'zk://zk1:2181,zk2:2181/mesos' });
  assert.deepEqual(c.masters, ['zk://zk1:2181,zk2:2181/mesos']);
  assert.throws(() => workerConfigFromEnv({ MESOS_MASTER: 'zk://zk1:2181' }), /^ConfigError: MESOS_MASTER=zk:\/\/zk1:2181: expected .*\(a zk:\/\/ address needs a path/);
  assert.throws(() => workerConfigFromEnv({ MESOS_MASTER: 'http://m1:5050,zk://zk1:2181/mesos' }), /^ConfigError: MESOS_MASTER=.*\(a zk:\/\/ address cannot be mixed/);
});

test('MESOFLOW_HEAP_GROWING_PERCENT: 30 by default, 0-300, an integer, named when wrong', () => {
  assert.equal(workerConfigFromEnv({ MESOS_MASTER: 'http://m' }).heapGrowingPercent, 30);
  assert.equal(workerConfigFromEnv({ MESOS_MASTER: 'http://m', MESOFLOW_HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent, 0);
  assert.equal(workerConfigFromEnv({ MESOS_MASTER: 'http://m', MESOFLOW_HEAP_GROWING_PERCENT: '300' }).heapGrowingPercent, 300);
  for (const bad of ['301', '-1', '12.5', 'lots']) {
    assert.throws(() => workerConfigFromEnv({ MESOS_MASTER: 'http://m', MESOFLOW_HEAP_GROWING_PERCENT: bad }), /^ConfigError: MESOFLOW_HEAP_GROWING_PERCENT=.*: expected an integer 0-300/, bad);
  }
});
