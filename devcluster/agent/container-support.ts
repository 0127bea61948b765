// What this agent cannot run, and the terminal update a Mesos agent without
// the feature sends for it: custom executors, DOCKER containers, container
// images. Pure: each check returns the failure, if the task cannot run.
import type { CommandInfo, TaskInfo, TaskState, TaskStatusReason } from '../../mesos/schemas/index.js';

/** How a task ends without ever getting a process. */
export interface LaunchFailure {
  state: TaskState;
  reason: TaskStatusReason;
  message: string;
}

/** Only command tasks run here (TaskInfo.command set, no TaskInfo.executor). */
export function taskCommand(task: TaskInfo): { command: CommandInfo } | { failure: LaunchFailure } {
  if (task.command !== undefined) return { command: task.command };
  // Custom executors would have to speak the executor API to this agent.
  return {
    failure: {
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: 'Failed to launch container: the devcluster agent runs command tasks only (TaskInfo.executor is not supported)',
    },
  };
}

/** Checked once the sandbox exists, as Mesos gets that far before the containerizer refuses. */
export function unsupportedContainer(task: TaskInfo): LaunchFailure | undefined {
  const container = task.container;
  if (container?.type === 'DOCKER') {
    // No containerizer here can launch it: the Mesos containerizer answers
    // NOT_SUPPORTED, and the agent's wait() on the unknown container ends
    // the executor (slave.cpp executorLaunched / executorTerminated).
    return { state: 'TASK_FAILED', reason: 'REASON_EXECUTOR_TERMINATED', message: 'Abnormal executor termination: unknown container' };
  }
  const image = container?.mesos?.image;
  if (image !== undefined) {
    // No image provisioner (no --image_providers): provisioning fails.
    return {
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: `Failed to launch container: Unsupported container image type: ${String(image.type ?? 'UNKNOWN')}`,
    };
  }
  return undefined;
}
