// The TaskStatus messages the devcluster agent builds, against the updates a
// real Mesos 1.12 command executor sent (mesos-transcripts/03, 05), and the
// terminal updates of tasks this agent cannot run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentTaskStatus, executorTaskStatus, networkIp } from '../../../devcluster/agent/task-status.js';
import { taskCommand, unsupportedContainer } from '../../../devcluster/agent/container-support.js';
import type { TaskInfo, TaskState, TaskStatus, TaskStatusReason } from '../../../mesos/schemas/index.js';
import { readTranscript } from '../../support/fixtures.js';

interface Transcript {
  exchanges: Array<{ events?: Array<{ type: string; update?: { status: TaskStatus } }> }>;
}

function executorUpdates(name: string): TaskStatus[] {
  const t = readTranscript<Transcript>(name);
  return (t.exchanges[0]?.events ?? [])
    .filter((e) => e.type === 'UPDATE' && e.update?.status.source === 'SOURCE_EXECUTOR')
    .map((e) => e.update?.status as TaskStatus);
}

for (const name of ['03-launch-failed.json', '05-kill.json']) {
  test(`executor updates rebuild what Mesos sent (${name})`, () => {
    const recorded = executorUpdates(name);
    assert.ok(recorded.length >= 3);
    for (const r of recorded) {
      const status = r as TaskStatus & { message?: string; reason?: TaskStatusReason; container_status: { container_id: { value: string }; executor_pid?: number } };
      const built = executorTaskStatus(
        {
          agentId: status.agent_id?.value ?? '',
          taskId: status.task_id.value,
          containerId: status.container_status.container_id.value,
          host: '127.0.0.1',
          pid: status.container_status.executor_pid,
        },
        status.state as TaskState,
        status.message,
        status.reason,
        (status.timestamp as number) * 1000,
        status.uuid as string,
      );
      const { timestamp: builtTs, ...builtRest } = built as TaskStatus & { timestamp: number };
      const { timestamp: recordedTs, ...recordedRest } = status as TaskStatus & { timestamp: number };
      assert.deepEqual(builtRest, recordedRest);
      assert.ok(Math.abs(builtTs - recordedTs) < 1e-6);
    }
  });
}

test('agent updates carry no container status', () => {
  const s = agentTaskStatus({ agentId: 'a-S0', taskId: 't' }, 'TASK_KILLED', 'REASON_TASK_KILLED_DURING_LAUNCH', 'Killed before delivery to the executor', 1_000_000, 'dXVpZA==');
  assert.deepEqual(s, {
    task_id: { value: 't' },
    state: 'TASK_KILLED',
    message: 'Killed before delivery to the executor',
    source: 'SOURCE_AGENT',
    reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
    agent_id: { value: 'a-S0' },
    executor_id: { value: 't' },
    timestamp: 1000,
    uuid: 'dXVpZA==',
  });
});

test('tasks are told a routable address, IPv6 included', () => {
  assert.equal(networkIp('127.0.0.1'), '127.0.0.1');
  assert.equal(networkIp('0.0.0.0'), '127.0.0.1');
  assert.equal(networkIp('::'), '127.0.0.1');
  assert.equal(networkIp('localhost'), '127.0.0.1');
  assert.equal(networkIp('::1'), '::1');
  const s = executorTaskStatus({ agentId: 'a', taskId: 't', containerId: 'c', host: '::1', pid: undefined }, 'TASK_RUNNING') as TaskStatus & {
    container_status: { network_infos: Array<{ ip_addresses: Array<{ protocol: string; ip_address: string }> }>; executor_pid?: number };
  };
  assert.deepEqual(s.container_status.network_infos, [{ ip_addresses: [{ protocol: 'IPv6', ip_address: '::1' }] }]);
  assert.equal('executor_pid' in s.container_status, false);
});

const base: TaskInfo = { name: 't', task_id: { value: 't' }, agent_id: { value: 'a' }, command: { value: 'true' } } as TaskInfo;

test('what this agent cannot run fails with the texts of an agent without the feature', () => {
  assert.deepEqual(taskCommand(base), { command: { value: 'true' } });
  const noCommand = taskCommand({ ...base, command: undefined } as TaskInfo);
  assert.ok('failure' in noCommand);
  assert.equal(noCommand.failure.reason, 'REASON_CONTAINER_LAUNCH_FAILED');

  assert.equal(unsupportedContainer(base), undefined);
  assert.equal(unsupportedContainer({ ...base, container: { type: 'MESOS' } } as TaskInfo), undefined);
  assert.deepEqual(unsupportedContainer({ ...base, container: { type: 'DOCKER', docker: { image: 'alpine' } } } as TaskInfo), {
    state: 'TASK_FAILED',
    reason: 'REASON_EXECUTOR_TERMINATED',
    message: 'Abnormal executor termination: unknown container',
  });
  assert.deepEqual(unsupportedContainer({ ...base, container: { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'alpine' } } } } } as TaskInfo), {
    state: 'TASK_FAILED',
    reason: 'REASON_CONTAINER_LAUNCH_FAILED',
    message: 'Failed to launch container: Unsupported container image type: DOCKER',
  });
});
