// Mesos's checks of a LAUNCH task's ExecutorInfo (master/validation.cpp:
// executor::internal::validate, then the task-level rules of
// task::internal::validateExecutor), in Mesos's order and with its texts,
// so a framework that sends an executor learns what real Mesos would tell it.
// Resource, CommandInfo and ContainerInfo contents are not re-validated here.
import type { ExecutorInfo, TaskInfo } from '../../mesos/schemas/index.js';
import { validateId } from './ids.js';

/** The general ExecutorInfo rules (type, id, framework id, shutdown grace period). */
function validateExecutorInfo(executor: ExecutorInfo, frameworkId: string): string | undefined {
  switch (executor.type) {
    case 'DEFAULT':
      if (executor.command !== undefined) return "'ExecutorInfo.command' must not be set for 'DEFAULT' executor";
      if (executor.container !== undefined) {
        if ((executor.container.type ?? 'MESOS') !== 'MESOS') return "'ExecutorInfo.container.type' must be 'MESOS' for 'DEFAULT' executor";
        if (executor.container.mesos?.image !== undefined) return "'ExecutorInfo.container.mesos.image' must not be set for 'DEFAULT' executor";
      }
      break;
    case 'CUSTOM':
      if (executor.command === undefined) return "'ExecutorInfo.command' must be set for 'CUSTOM' executor";
      break;
    default:
      break;
  }
  const idError = validateId(executor.executor_id.value);
  if (idError !== undefined) return idError;
  // The master fills an unset framework id in before validating (so only a wrong one fails).
  const actual = executor.framework_id?.value;
  if (actual !== undefined && actual !== frameworkId) return `ExecutorInfo has an invalid FrameworkID (Actual: ${actual} vs Expected: ${frameworkId})`;
  const grace = executor.shutdown_grace_period?.nanoseconds;
  if (grace !== undefined && Number(grace) < 0) return "ExecutorInfo's 'shutdown_grace_period' must be non-negative";
  return undefined;
}

/** Undefined when a task's executor passes what Mesos checks before the resources fit check. */
export function validateTaskExecutor(task: TaskInfo, frameworkId: string): string | undefined {
  const executor = task.executor;
  if (executor === undefined) return undefined;
  const general = validateExecutorInfo(executor, frameworkId);
  if (general !== undefined) return general;
  // LAUNCH takes custom executors only (the default executor belongs to LAUNCH_GROUP).
  if (executor.type !== undefined && executor.type !== 'CUSTOM') return "'ExecutorInfo.type' must be 'CUSTOM'";
  // Optional in the protobuf, but required for LAUNCH for backwards compatibility.
  if (executor.command === undefined) return "'ExecutorInfo.command' must be set";
  return undefined;
}
