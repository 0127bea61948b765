// TaskState, TaskStatus and its sources and reasons (spec §12.1).
import { z } from 'zod';
import { boolSchema, bytesSchema, doubleSchema, openEnum, uint32Schema } from './scalars.js';
import { labelsSchema, timeInfoSchema } from './common.js';
import { agentIdSchema, containerIdSchema, executorIdSchema, taskIdSchema } from './ids.js';
import { resourceSchema } from './resources.js';
import { networkInfoSchema } from './task.js';
import { taskStates, terminalTaskStates, type TerminalTaskState } from '../task-states.js';

export { taskStates, terminalTaskStates, type TerminalTaskState } from '../task-states.js';
/** TaskStatus.state is a required enum: Mesos rejects unknown names, and so do we. */
export const taskStateSchema = z.enum(taskStates);
export type TaskState = z.infer<typeof taskStateSchema>;


const terminal: ReadonlySet<string> = new Set(terminalTaskStates);

/** Terminal as Mesos' isTerminalState: TASK_LOST counts, TASK_UNREACHABLE and TASK_UNKNOWN do not. */
export function isTerminalTaskState(state: string): state is TerminalTaskState {
  return terminal.has(state);
}

export const taskStatusSources = ['SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR'] as const;
export type TaskStatusSource = (typeof taskStatusSources)[number];
export const taskStatusSourceSchema = openEnum(taskStatusSources);

export const taskStatusReasons = [
  'REASON_COMMAND_EXECUTOR_FAILED',
  'REASON_CONTAINER_LAUNCH_FAILED',
  'REASON_CONTAINER_LIMITATION',
  'REASON_CONTAINER_LIMITATION_DISK',
  'REASON_CONTAINER_LIMITATION_MEMORY',
  'REASON_CONTAINER_PREEMPTED',
  'REASON_CONTAINER_UPDATE_FAILED',
  'REASON_MAX_COMPLETION_TIME_REACHED',
  'REASON_EXECUTOR_REGISTRATION_TIMEOUT',
  'REASON_EXECUTOR_REREGISTRATION_TIMEOUT',
  'REASON_EXECUTOR_TERMINATED',
  'REASON_EXECUTOR_UNREGISTERED',
  'REASON_FRAMEWORK_REMOVED',
  'REASON_GC_ERROR',
  'REASON_INVALID_FRAMEWORKID',
  'REASON_INVALID_OFFERS',
  'REASON_IO_SWITCHBOARD_EXITED',
  'REASON_MASTER_DISCONNECTED',
  'REASON_RECONCILIATION',
  'REASON_RESOURCES_UNKNOWN',
  'REASON_AGENT_DISCONNECTED',
  'REASON_AGENT_DRAINING',
  'REASON_AGENT_REMOVED',
  'REASON_AGENT_REMOVED_BY_OPERATOR',
  'REASON_AGENT_REREGISTERED',
  'REASON_AGENT_RESTARTED',
  'REASON_AGENT_UNKNOWN',
  'REASON_TASK_KILLED_DURING_LAUNCH',
  'REASON_TASK_CHECK_STATUS_UPDATED',
  'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
  'REASON_TASK_GROUP_INVALID',
  'REASON_TASK_GROUP_UNAUTHORIZED',
  'REASON_TASK_INVALID',
  'REASON_TASK_UNAUTHORIZED',
  'REASON_TASK_UNKNOWN',
] as const;
export type TaskStatusReason = (typeof taskStatusReasons)[number];
/** Optional enum: newer Mesos versions add reasons, which are kept as strings. */
export const taskStatusReasonSchema = openEnum(taskStatusReasons);

export const containerStatusSchema = z.looseObject({
  container_id: containerIdSchema.optional(),
  network_infos: z.array(networkInfoSchema).optional(),
  cgroup_info: z.looseObject({}).optional(),
  executor_pid: uint32Schema.optional(),
});
export type ContainerStatus = z.infer<typeof containerStatusSchema>;

export const checkStatusInfoSchema = z.looseObject({
  type: z.string().optional(),
});
export type CheckStatusInfo = z.infer<typeof checkStatusInfoSchema>;

export const taskStatusSchema = z.looseObject({
  task_id: taskIdSchema,
  state: taskStateSchema,
  message: z.string().optional(),
  source: taskStatusSourceSchema.optional(),
  reason: taskStatusReasonSchema.optional(),
  data: bytesSchema.optional(),
  agent_id: agentIdSchema.optional(),
  executor_id: executorIdSchema.optional(),
  /** Seconds since the epoch (a double). */
  timestamp: doubleSchema.optional(),
  /**
   * Base64 of 16 bytes, present only on reliable (agent/executor) updates:
   * acknowledge exactly this string; never acknowledge an update without it.
   */
  uuid: bytesSchema.optional(),
  healthy: boolSchema.optional(),
  check_status: checkStatusInfoSchema.optional(),
  labels: labelsSchema.optional(),
  container_status: containerStatusSchema.optional(),
  unreachable_time: timeInfoSchema.optional(),
  limitation: z.looseObject({ resources: z.array(resourceSchema).optional() }).optional(),
});
export type TaskStatus = z.infer<typeof taskStatusSchema>;
