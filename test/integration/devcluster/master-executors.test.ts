// LAUNCH with an ExecutorInfo (Mesos master/validation.cpp): a DEFAULT
// executor, a CUSTOM one without a command and an untyped one without a
// command get TASK_ERROR with Mesos's texts; a well-formed custom executor
// passes Mesos's checks and gets the devcluster's own "not supported".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { cluster, frameworkInfo, launch, nextOffer, nextUpdate, subscribe, task, type Subscription } from './master-support.js';

const RESOURCES = [
  { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
  { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
];

function executorTask(id: string, agentId: string, executor: Record<string, unknown>): Record<string, unknown> {
  const { command: _none, ...t } = task(id, agentId, 'unused');
  return { ...t, executor: { executor_id: { value: `${id}-executor` }, ...executor } };
}

describe('devcluster master: executors on LAUNCH', () => {
  let dc: DevCluster;
  let s: Subscription;
  before(async () => {
    dc = await cluster();
    s = await subscribe(dc.masterUrl, frameworkInfo('executor-rules'));
  });
  after(async () => {
    s?.stream.close();
    await dc?.stop();
  });

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a DEFAULT executor', { type: 'DEFAULT', resources: RESOURCES }, "'ExecutorInfo.type' must be 'CUSTOM'"],
    ['a DEFAULT executor with a command', { type: 'DEFAULT', command: { value: 'x' } }, "'ExecutorInfo.command' must not be set for 'DEFAULT' executor"],
    ['a CUSTOM executor without a command', { type: 'CUSTOM' }, "'ExecutorInfo.command' must be set for 'CUSTOM' executor"],
    ['an executor without type or command', {}, "'ExecutorInfo.command' must be set"],
    ['an executor whose framework id is another', { type: 'CUSTOM', command: { value: 'x' }, framework_id: { value: 'other' } }, 'ExecutorInfo has an invalid FrameworkID (Actual: other vs Expected: FID)'],
    ['a well-formed custom executor', { type: 'CUSTOM', command: { value: './my-executor' }, resources: RESOURCES }, 'Custom executors are not supported by the devcluster'],
  ];
  cases.forEach(([name, executor, message], i) => {
    it(`${name}: TASK_ERROR "${message}"`, async () => {
      const offer = await nextOffer(s);
      const id = `exec-${i}`;
      const r = await s.call(launch([offer.id.value], [executorTask(id, offer.agent_id.value, executor)], { refuse_seconds: 0 }));
      assert.equal(r.status, 202);
      const st = await nextUpdate(s, id);
      assert.equal(st.state, 'TASK_ERROR');
      assert.equal(st.reason, 'REASON_TASK_INVALID');
      assert.equal(st.source, 'SOURCE_MASTER');
      assert.equal(st.uuid, undefined, 'a master-generated update is not acknowledged');
      assert.equal(st.message, message.replace('FID', s.frameworkId));
    });
  });

  it('counts the executor resources in the fit check before saying "not supported"', async () => {
    const offer = await nextOffer(s);
    const huge = [{ name: 'cpus', type: 'SCALAR', scalar: { value: 10_000 } }];
    const r = await s.call(launch([offer.id.value], [executorTask('exec-big', offer.agent_id.value, { type: 'CUSTOM', command: { value: 'x' }, resources: huge })], { refuse_seconds: 0 }));
    assert.equal(r.status, 202);
    const st = await nextUpdate(s, 'exec-big');
    assert.equal(st.state, 'TASK_ERROR');
    assert.match(st.message ?? '', /^Total resources .* required by task and its executor is more than available /);
  });
});
