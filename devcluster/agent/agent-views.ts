// How the agent's tasks look from outside: the AgentTaskView list and the
// per-framework input of the /state document. Pure reads of the records.
import type { StateInput } from './agent-state.js';
import type { AgentTaskView } from './contract.js';
import { commandExecutorName } from './executor-name.js';
import type { FrameworkRecord } from './framework-registry.js';
import { executorVirtualPath } from './sandbox-paths.js';

export function taskViews(frameworks: readonly FrameworkRecord[]): AgentTaskView[] {
  const out: AgentTaskView[] = [];
  for (const fw of frameworks) {
    for (const rec of fw.tasks.values()) {
      out.push({
        frameworkId: rec.frameworkId,
        taskId: rec.taskId,
        name: rec.task.name,
        state: rec.stream.latestState ?? 'TASK_STAGING',
        pendingState: rec.stream.inFlight?.state,
        resources: rec.task.resources ?? [],
        containerId: rec.containerId,
        sandbox: rec.sandbox,
        virtualSandbox: executorVirtualPath(rec.frameworkId, rec.taskId),
        pid: rec.phase === 'running' ? rec.pid : undefined,
        active: !fw.removed && !(rec.phase === 'done' && rec.stream.drained),
      });
    }
  }
  return out;
}

export function stateFrameworks(frameworks: readonly FrameworkRecord[]): StateInput['frameworks'] {
  return frameworks.map((fw) => ({
    info: fw.info,
    removed: fw.removed,
    tasks: [...fw.tasks.values()].map((rec) => ({
      task: rec.task,
      containerId: rec.containerId,
      directory: rec.sandbox,
      executorName: commandExecutorName(rec.task),
      statuses: rec.stream.history,
      running: rec.phase !== 'done',
      completed: fw.removed || (rec.phase === 'done' && rec.stream.drained),
      terminalAcked: rec.stream.drained && rec.phase === 'done',
    })),
  }));
}
