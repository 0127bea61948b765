// Killing a task as Mesos's command executor does: TASK_KILLING for
// frameworks that asked for it, SIGTERM to the task's process group, SIGKILL
// after the grace period; a task still launching ends as killed during launch.
import { formatDuration } from './executor-log.js';
import { hasCapability } from './framework-registry.js';
import { signalGroup } from './process-groups.js';
import { executorUpdate, failLaunch, type TaskHost } from './task-host.js';
import { killGraceMs, type TaskRecord } from './task-record.js';

/** A KILL for a task the agent knows. */
export function killTask(host: TaskHost, rec: TaskRecord): void {
  if (rec.phase === 'launching') {
    rec.abort.abort();
    failLaunch(host, rec, 'TASK_KILLED', 'REASON_TASK_KILLED_DURING_LAUNCH', 'Killed before delivery to the executor');
    return;
  }
  if (rec.killing) return;
  const graceMs = killGraceMs(rec, host.defaultGraceMs);
  rec.log?.write('executor.cpp:190', 'Received KILL event');
  rec.log?.write('executor.cpp:835', `Received kill for task ${rec.taskId} with grace period of ${formatDuration(graceMs)}`);
  if (hasCapability(rec.framework, 'TASK_KILLING_STATE')) executorUpdate(host, rec, 'TASK_KILLING');
  signalKill(rec, graceMs);
}

/** SIGTERM to the task's group now, SIGKILL after `graceMs` unless it has exited. */
export function signalKill(rec: TaskRecord, graceMs: number): void {
  if (rec.pid === undefined || rec.phase !== 'running') return;
  const pid = rec.pid;
  rec.killing = true;
  rec.log?.write('executor.cpp:956', `Sending SIGTERM to process tree at pid ${pid}`);
  signalGroup(pid, 'SIGTERM');
  rec.log?.write('executor.cpp:973', `Scheduling escalation to SIGKILL in ${formatDuration(graceMs)} from now`);
  rec.killTimer = setTimeout(() => {
    rec.killTimer = undefined;
    if (rec.phase !== 'running') return;
    rec.log?.write('executor.cpp:1082', `Process ${pid} did not terminate after ${formatDuration(graceMs)}, sending SIGKILL to process tree at ${pid}`);
    signalGroup(pid, 'SIGKILL');
  }, graceMs);
}

/** Stops every update of the task and ends its process (gracefully unless `now`). */
export function silence(host: TaskHost, rec: TaskRecord, now: boolean): void {
  rec.silenced = true;
  rec.stream.close();
  rec.abort.abort();
  if (rec.phase === 'launching') {
    rec.phase = 'done';
    rec.markExited();
    return;
  }
  if (rec.phase !== 'running' || rec.pid === undefined) return;
  if (now) {
    rec.killing = true;
    signalGroup(rec.pid, 'SIGKILL');
  } else if (!rec.killing) {
    signalKill(rec, killGraceMs(rec, host.defaultGraceMs));
  }
}
