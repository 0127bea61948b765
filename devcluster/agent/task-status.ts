// The TaskStatus messages the agent generates, with the fields and sources
// Mesos's agent and command executor put in them: the executor's own updates
// carry its container status (network address, pid), the agent's (launch
// failures, kills before delivery) do not.
import { isIP } from 'node:net';
import { newStatusUuid } from '../../mesos/json.js';
import type { TaskState, TaskStatus, TaskStatusReason } from '../../mesos/schemas/index.js';

/** The address tasks are told to use: the bound host, unless it is a wildcard or a name. */
export function networkIp(host: string): string {
  return isIP(host) !== 0 && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1';
}

export interface StatusSubject {
  agentId: string;
  /** The command executor's id is the task's id. */
  taskId: string;
}

export interface ExecutorStatusSubject extends StatusSubject {
  containerId: string;
  /** The agent's bound host (see networkIp). */
  host: string;
  pid: number | undefined;
}

/** An update from the command executor (SOURCE_EXECUTOR). */
export function executorTaskStatus(
  subject: ExecutorStatusSubject,
  state: TaskState,
  message?: string,
  reason?: TaskStatusReason,
  now: number = Date.now(),
  uuid: string = newStatusUuid(),
): TaskStatus {
  const ip = networkIp(subject.host);
  return {
    task_id: { value: subject.taskId },
    state,
    ...(message !== undefined ? { message } : {}),
    source: 'SOURCE_EXECUTOR',
    ...(reason !== undefined ? { reason } : {}),
    agent_id: { value: subject.agentId },
    executor_id: { value: subject.taskId },
    timestamp: now / 1000,
    uuid,
    container_status: {
      container_id: { value: subject.containerId },
      network_infos: [{ ip_addresses: [{ protocol: isIP(ip) === 6 ? 'IPv6' : 'IPv4', ip_address: ip }] }],
      ...(subject.pid !== undefined ? { executor_pid: subject.pid } : {}),
    },
  } as TaskStatus;
}

/** An update from the agent itself (SOURCE_AGENT), for a task that never got a process. */
export function agentTaskStatus(
  subject: StatusSubject,
  state: TaskState,
  reason: TaskStatusReason,
  message: string,
  now: number = Date.now(),
  uuid: string = newStatusUuid(),
): TaskStatus {
  return {
    task_id: { value: subject.taskId },
    state,
    message,
    source: 'SOURCE_AGENT',
    reason,
    agent_id: { value: subject.agentId },
    executor_id: { value: subject.taskId },
    timestamp: now / 1000,
    uuid,
  } as TaskStatus;
}
