// A task's process under the command executor: the executor's log lines,
// the fork into its own process group, STARTING and RUNNING, the
// max_completion_time timer, and the terminal update when it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { durationToMs } from '../../mesos/json.js';
import type { CommandInfo, TaskInfo, TaskState, TaskStatusReason } from '../../mesos/schemas/index.js';
import { commandExitMessage, errnoText, formatDuration, type ExecutorLog } from './executor-log.js';
import { registerGroup, signalGroup, unregisterGroup } from './process-groups.js';
import { taskEnvironment } from './task-env.js';
import { executorUpdate, type TaskHost } from './task-host.js';
import { signalKill } from './task-kill.js';
import type { TaskRecord } from './task-record.js';
import type { SandboxOwner } from './task-sandbox.js';

function allocationRole(task: TaskInfo): string {
  const r = task.resources?.[0];
  return r?.allocation_info?.role ?? r?.role ?? '*';
}

/** Runs the command in the sandbox, stdout and stderr going to the given files. */
export async function startProcess(host: TaskHost, rec: TaskRecord, command: CommandInfo, owner: SandboxOwner, outFd: number, errFd: number): Promise<void> {
  const log = rec.log as ExecutorLog;
  log.write('exec.cpp:164', 'Version: 1.12.0');
  log.write('exec.cpp:237', `Executor registered on agent ${host.agentId}`);
  log.write('executor.cpp:190', 'Received SUBSCRIBED event');
  log.write('executor.cpp:194', `Subscribed executor on ${host.hostname()}`);
  log.write('executor.cpp:190', 'Received LAUNCH event');
  const maxMs = rec.task.max_completion_time ? durationToMs(rec.task.max_completion_time) : 0;
  if (maxMs > 0) log.write('executor.cpp:711', `Task ${rec.taskId} has a max completion time of ${formatDuration(maxMs)}`);
  log.write('executor.cpp:722', `Starting task ${rec.taskId}`);

  const env = taskEnvironment({
    frameworkId: rec.frameworkId,
    executorId: rec.taskId,
    agentId: host.agentId,
    sandbox: rec.sandbox,
    agentEndpoint: host.endpoint(),
    checkpoint: rec.framework.checkpoint === true,
    allocationRole: allocationRole(rec.task),
    command,
    executorEnvironment: host.executorEnvironment,
  });
  const shell = command.shell !== false;
  const file = shell ? '/bin/sh' : (command.value ?? '');
  const args = shell ? ['-c', command.value ?? ''] : (command.arguments ?? []).slice(1);
  const argv0 = shell ? 'sh' : (command.arguments?.[0] ?? file);

  let child: ChildProcess | undefined;
  let spawnError: Error | undefined;
  let childError: Error | undefined;
  try {
    child = spawn(file, args, {
      argv0,
      cwd: rec.sandbox,
      env,
      // Its own session and process group, so a kill reaches the whole tree.
      detached: true,
      stdio: ['ignore', outFd, errFd],
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    });
    child.on('error', (e) => {
      childError = e;
      host.logger.warn('task process error', { err: e, taskId: rec.taskId });
    });
  } catch (e) {
    spawnError = e as Error;
  }
  if (child === undefined || child.pid === undefined) {
    // The executor forked, but exec failed: mesos-containerizer says so and exits with status 1.
    await new Promise((r) => setImmediate(r));
    if (rec.phase !== 'launching') return;
    const reason = spawnError ?? childError ?? new Error('spawn failed');
    rec.phase = 'running';
    executorUpdate(host, rec, 'TASK_STARTING');
    executorUpdate(host, rec, 'TASK_RUNNING');
    log.raw(`Failed to execute '${file}': ${errnoText(reason)}\n`);
    finish(host, rec, 1, null);
    return;
  }
  rec.child = child;
  rec.pid = child.pid;
  registerGroup(child.pid);
  rec.phase = 'running';
  executorUpdate(host, rec, 'TASK_STARTING');
  log.write('executor.cpp:740', `Forked command at ${child.pid}`);
  executorUpdate(host, rec, 'TASK_RUNNING');
  host.logger.info('task started', { frameworkId: rec.frameworkId, taskId: rec.taskId, pid: child.pid, sandbox: rec.sandbox });

  if (maxMs > 0) {
    rec.completionTimer = setTimeout(() => {
      rec.completionTimer = undefined;
      if (rec.phase !== 'running' || rec.killing) return;
      log.write('executor.cpp:1113', `Killing task ${rec.taskId} which exceeded its maximum completion time of ${formatDuration(maxMs)}`);
      rec.killedByCompletionTimer = true;
      signalKill(rec, 0);
    }, maxMs);
    rec.completionTimer.unref();
  }
  child.once('exit', (code, signal) => finish(host, rec, code, signal));
}

/** The process is gone: its group is destroyed and the terminal update sent. */
function finish(host: TaskHost, rec: TaskRecord, code: number | null, signal: NodeJS.Signals | null): void {
  if (rec.killTimer) clearTimeout(rec.killTimer);
  if (rec.completionTimer) clearTimeout(rec.completionTimer);
  rec.killTimer = undefined;
  rec.completionTimer = undefined;
  if (rec.pid !== undefined) {
    // Like destroying the container: whatever the command left behind in its group dies with it.
    signalGroup(rec.pid, 'SIGKILL');
    unregisterGroup(rec.pid);
  }
  const message = commandExitMessage(code, signal);
  rec.log?.write('executor.cpp:1041', `${message} (pid: ${rec.pid ?? 0})`);
  let state: TaskState;
  let reason: TaskStatusReason | undefined;
  if (rec.killedByCompletionTimer) {
    state = 'TASK_FAILED';
    reason = 'REASON_MAX_COMPLETION_TIME_REACHED';
  } else if (rec.killing) state = 'TASK_KILLED';
  else if (code === 0 && signal === null) state = 'TASK_FINISHED';
  else state = 'TASK_FAILED';
  rec.phase = 'done';
  rec.child = undefined;
  host.logger.info('task ended', { frameworkId: rec.frameworkId, taskId: rec.taskId, state, message });
  executorUpdate(host, rec, state, message, reason);
  rec.markExited();
}
