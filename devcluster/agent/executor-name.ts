// The name Mesos gives the command executor it runs for a task
// (slave.cpp getExecutorInfo): /state shows it as the executor's name.
import type { TaskInfo } from '../../mesos/schemas/index.js';

/** Mesos's command executor name for a task (slave.cpp getExecutorInfo). */
export function commandExecutorName(task: TaskInfo): string {
  const cmd = task.command;
  let name = `(Task: ${task.task_id.value}) `;
  if (cmd?.shell !== false) {
    if (cmd?.value === undefined) name += '(Command: NO COMMAND)';
    else name += cmd.value.length > 15 ? `(Command: sh -c '${cmd.value.slice(0, 12)}...')` : `(Command: sh -c '${cmd.value}')`;
  } else if (cmd.value === undefined) name += '(Command: NO EXECUTABLE)';
  else {
    const args = `${cmd.value}, ${(cmd.arguments ?? []).join(', ')}`;
    name += args.length > 15 ? `(Command: [${args.slice(0, 12)}...])` : `(Command: [${args}])`;
  }
  return `Command Executor ${name}`;
}
