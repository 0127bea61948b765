// What launching, supervising and killing a task need from the agent that
// runs it, and the two ways a task reports: as the command executor, or,
// when it never got a process, as the agent.
import type { Logger } from '../../common/logger.js';
import type { TaskState, TaskStatusReason } from '../../mesos/schemas/index.js';
import type { FilesRegistry } from './files-api.js';
import { agentTaskStatus, executorTaskStatus } from './task-status.js';
import { enqueueStatus, type TaskRecord } from './task-record.js';

export interface TaskHost {
  readonly agentId: string;
  readonly workDir: string;
  readonly logger: Logger;
  readonly files: FilesRegistry;
  readonly switchUser: boolean;
  /** SIGTERM→SIGKILL grace when the TaskInfo has no kill_policy. */
  readonly defaultGraceMs: number;
  readonly frameworksHome: string | undefined;
  readonly executorEnvironment: Record<string, string> | undefined;
  /** The agent's bound host; read when needed, as it is known only once the HTTP server listens. */
  host(): string;
  hostname(): string;
  /** ip:port tasks reach the agent at (MESOS_SLAVE_PID and friends). */
  endpoint(): string;
}

/** An update from the task's command executor. */
export function executorUpdate(host: TaskHost, rec: TaskRecord, state: TaskState, message?: string, reason?: TaskStatusReason): void {
  enqueueStatus(
    rec,
    executorTaskStatus({ agentId: host.agentId, taskId: rec.taskId, containerId: rec.containerId, host: host.host(), pid: rec.pid }, state, message, reason),
  );
}

/** Ends a task that never got a process (launch failures, kill during launch). */
export function failLaunch(host: TaskHost, rec: TaskRecord, state: TaskState, reason: TaskStatusReason, message: string): void {
  if (rec.phase !== 'launching') return;
  rec.phase = 'done';
  host.logger.info('task ended before it started', { frameworkId: rec.frameworkId, taskId: rec.taskId, state, reason, message: message });
  enqueueStatus(rec, agentTaskStatus({ agentId: host.agentId, taskId: rec.taskId }, state, reason, message));
  rec.markExited();
}
