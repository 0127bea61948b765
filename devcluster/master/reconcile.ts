// RECONCILE (spec §12.4, mesos-transcripts/09) and the reconciliation answer
// that KILL gives for a task the master does not know (§8.7): updates from
// the master with REASON_RECONCILIATION, no uuid.
import type { CallReconcile, TaskStatus } from '../../mesos/schemas/index.js';
import { masterStatus, stateFor, updateEvent, type MasterContext } from './context.js';
import type { FrameworkEntry, TaskEntry } from './model.js';

/** "Reconciliation: Latest task state" for a task the master knows. */
export function latestStateStatus(ctx: MasterContext, task: TaskEntry): TaskStatus {
  const s = masterStatus({
    taskId: task.taskId,
    state: task.statusUpdateState ?? task.state,
    message: 'Reconciliation: Latest task state',
    reason: 'REASON_RECONCILIATION',
    agentId: task.agentId,
    timestampMs: ctx.now(),
  });
  const latest = task.latestStatus;
  if (task.info.executor !== undefined) s.executor_id = task.info.executor.executor_id;
  if (latest?.healthy !== undefined) s.healthy = latest.healthy;
  if (latest?.check_status !== undefined) s.check_status = latest.check_status;
  if (latest?.container_status !== undefined) s.container_status = latest.container_status;
  return s;
}

/** The answer for one task named explicitly; undefined when Mesos would not answer (not reachable here). */
export function explicitAnswer(ctx: MasterContext, fw: FrameworkEntry, taskId: string, agentId: string | undefined): TaskStatus {
  const known = fw.tasks.get(taskId);
  if (known !== undefined) return latestStateStatus(ctx, known);
  const now = ctx.now();
  const unreachable = fw.unreachableTasks.get(taskId);
  const base = { taskId, reason: 'REASON_RECONCILIATION', agentId, timestampMs: now };
  if (unreachable !== undefined) {
    const s = masterStatus({ ...base, agentId: unreachable.agentId, state: stateFor(fw, 'TASK_UNREACHABLE'), message: 'Reconciliation: Task is unreachable' });
    s.unreachable_time = { nanoseconds: BigInt(unreachable.unreachableTimeMs ?? now) * 1_000_000n };
    return s;
  }
  if (agentId !== undefined) {
    if (ctx.agents.has(agentId)) {
      return masterStatus({ ...base, state: stateFor(fw, 'TASK_GONE'), message: 'Reconciliation: Task is unknown to the agent' });
    }
    const removed = ctx.removedAgents.get(agentId);
    if (removed?.mode === 'unreachable') {
      const s = masterStatus({ ...base, state: stateFor(fw, 'TASK_UNREACHABLE'), message: 'Reconciliation: Task is unreachable' });
      s.unreachable_time = { nanoseconds: BigInt(removed.timeMs) * 1_000_000n };
      return s;
    }
    if (removed?.mode === 'gone') {
      return masterStatus({ ...base, state: stateFor(fw, 'TASK_GONE_BY_OPERATOR'), message: 'Reconciliation: Task is gone' });
    }
  }
  return masterStatus({ ...base, state: stateFor(fw, 'TASK_UNKNOWN'), message: 'Reconciliation: Task is unknown' });
}

export function handleReconcile(ctx: MasterContext, fw: FrameworkEntry, reconcile: CallReconcile): void {
  const tasks = reconcile.tasks ?? [];
  if (tasks.length === 0) {
    // Implicit: every task in the active list (terminal-but-unacknowledged included), not unreachable ones.
    for (const task of fw.tasks.values()) ctx.send(fw, updateEvent(latestStateStatus(ctx, task)));
    return;
  }
  for (const t of tasks) ctx.send(fw, updateEvent(explicitAnswer(ctx, fw, t.task_id.value, t.agent_id?.value)));
}
