import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTaskInfo, leasedPorts } from '../../../activities/session/task-info.js';
import { demandFromSpec, uniqueGroups } from '../../../activities/session/demand.js';
import { jobSpec } from '../../../workflows/job-spec.js';
import { taskInfoSchema } from '../../../mesos/schemas/index.js';
import type { OfferLease } from '../../../activities/contract.js';

const lease: OfferLease = {
  leaseId: 'O1/1',
  offerId: 'O1',
  agentId: 'S0',
  hostname: 'node-1',
  resources: [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, allocation_info: { role: '*' } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 64 }, allocation_info: { role: '*' } },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31005, end: 31005 }, { begin: 31000, end: 31001 }] }, allocation_info: { role: '*' } },
  ],
};
const ctx = { jobId: 'job-x', attempt: 2, taskId: 'job-x.2' };

test('a shell command becomes a shell CommandInfo with env, user, uris, kill policy and labels', () => {
  const spec = jobSpec({ command: 'echo $FOO', env: { FOO: 'bar', PORT: 'mine' }, user: 'nobody', uris: [{ value: 'http://h/a.tgz', outputFile: 'a.tgz' }], labels: { team: 'a' }, killGracePeriodSeconds: 1.5 });
  const t = buildTaskInfo(spec, lease, ctx);
  assert.equal(taskInfoSchema.safeParse(t).success, true);
  assert.equal(t.name, 'job-x');
  assert.deepEqual(t.task_id, { value: 'job-x.2' });
  assert.deepEqual(t.agent_id, { value: 'S0' });
  assert.equal(t.resources, lease.resources);
  assert.equal(t.command?.shell, true);
  assert.equal(t.command?.value, 'echo $FOO');
  assert.equal(t.command?.user, 'nobody');
  const vars = Object.fromEntries((t.command?.environment?.variables ?? []).map((v) => [v.name, v.value]));
  assert.equal(vars.FOO, 'bar');
  assert.equal(vars.PORT, 'mine');
  assert.equal(vars.PORT0, '31000');
  assert.equal(vars.PORT2, '31005');
  assert.equal(vars.MESOFLOW_TASK_ID, 'job-x.2');
  assert.equal(vars.MESOFLOW_ATTEMPT, '2');
  assert.deepEqual(t.command?.uris, [{ value: 'http://h/a.tgz', executable: false, extract: true, cache: false, output_file: 'a.tgz' }]);
  assert.deepEqual(t.kill_policy, { grace_period: { nanoseconds: 1_500_000_000 } });
  assert.deepEqual(t.labels?.labels, [
    { key: 'team', value: 'a' },
    { key: 'mesoflow.job', value: 'job-x' },
    { key: 'mesoflow.attempt', value: '2' },
  ]);
  assert.equal(t.container, undefined);
});

test('an argv command is exec\'d without a shell; containers map to MESOS and DOCKER', () => {
  const t = buildTaskInfo(jobSpec({ command: ['/bin/echo', 'a b'], name: 'n', container: { type: 'DOCKER', image: 'alpine' } }), lease, ctx);
  assert.equal(t.name, 'n');
  assert.deepEqual({ shell: t.command?.shell, value: t.command?.value, arguments: t.command?.arguments }, { shell: false, value: '/bin/echo', arguments: ['/bin/echo', 'a b'] });
  assert.deepEqual(t.container, { type: 'DOCKER', docker: { image: 'alpine', network: 'HOST', force_pull_image: false } });
  const m = buildTaskInfo(jobSpec({ command: 'x', container: { type: 'MESOS', image: 'busybox' } }), lease, ctx);
  assert.deepEqual(m.container, { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'busybox' } } } });
  assert.equal(taskInfoSchema.safeParse(m).success, true);
});

test('leased ports are listed lowest first', () => {
  assert.deepEqual(leasedPorts(lease.resources), [31000, 31001, 31005]);
});

test('a spec becomes a matcher demand with its constraints and UNIQUE groups', () => {
  const spec = jobSpec({ command: 'x', resources: { cpus: 1, mem: 10, ports: 1 }, constraints: [{ field: 'hostname', operator: 'UNIQUE', group: 'g' }, { field: 'rack', operator: 'EQUALS', value: 'r1' }] });
  const d = demandFromSpec('t.1', spec);
  assert.deepEqual(d.resources, { cpus: 1, mem: 10, disk: 0, gpus: 0, ports: 1 });
  assert.equal(d.constraints?.length, 2);
  assert.deepEqual(uniqueGroups(spec), ['g']);
});
