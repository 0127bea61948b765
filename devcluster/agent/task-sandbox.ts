// A task's sandbox: whose it is (Mesos's --switch_user), and creating it
// with its runs/latest link and its /files names.
import { chmod, chown, mkdir, rm, symlink } from 'node:fs/promises';
import type { CommandInfo, FrameworkInfo, TaskState } from '../../mesos/schemas/index.js';
import type { LaunchFailure } from './container-support.js';
import { hasCapability } from './framework-registry.js';
import { userByName, type PosixUser } from './posix-users.js';
import { executorLatestRunPath, executorVirtualPath } from './sandbox-paths.js';
import type { TaskHost } from './task-host.js';
import type { TaskRecord } from './task-record.js';

/** uid/gid to give the sandbox and the process; undefined when they stay this process's. */
export type SandboxOwner = { uid: number; gid: number } | undefined;

/**
 * The sandbox belongs to the task's user (slave/paths.cpp createSandboxDirectory);
 * a user that does not exist or cannot be switched to fails the launch.
 */
export function sandboxOwner(
  switchUser: boolean,
  command: CommandInfo,
  framework: FrameworkInfo,
  sandbox: string,
): { owner: SandboxOwner } | { failure: LaunchFailure } {
  let user: PosixUser | undefined;
  const userName = command.user ?? framework.user;
  if (switchUser && userName) {
    user = userByName(userName);
    let problem: string | undefined;
    if (!user) problem = `No such user '${userName}'`;
    else if (process.getuid?.() !== 0 && user.uid !== process.getuid?.()) problem = 'Operation not permitted';
    if (problem !== undefined) {
      const state: TaskState = hasCapability(framework, 'PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST';
      return {
        failure: {
          state,
          reason: 'REASON_EXECUTOR_TERMINATED',
          message: `Failed to create executor directory '${sandbox}': Failed to chown directory to '${userName}': ${problem}`,
        },
      };
    }
  }
  return { owner: user && user.uid !== process.getuid?.() ? { uid: user.uid, gid: user.gid } : undefined };
}

/** Creates the sandbox, points runs/latest at it and serves it under all three /files names. */
export async function createSandbox(host: TaskHost, rec: TaskRecord, owner: SandboxOwner): Promise<void> {
  await mkdir(rec.sandbox, { recursive: true });
  await chmod(rec.sandbox, 0o750);
  if (owner) await chown(rec.sandbox, owner.uid, owner.gid);
  const latest = executorLatestRunPath(host.workDir, host.agentId, rec.frameworkId, rec.taskId);
  await rm(latest, { force: true });
  await symlink(rec.sandbox, latest);
  await host.files.attach(rec.sandbox, rec.sandbox);
  await host.files.attach(rec.sandbox, latest);
  await host.files.attach(rec.sandbox, executorVirtualPath(rec.frameworkId, rec.taskId));
}

/**
 * Drops a forgotten task's /files names. `latestInUse`: a newer run of the
 * same task id (its framework re-registered) now owns runs/latest and the
 * virtual path.
 */
export function detachSandbox(host: TaskHost, rec: TaskRecord, latestInUse: boolean): void {
  // The sandbox stays on disk (Mesos garbage-collects it much later); only its /files names go.
  host.files.detach(rec.sandbox);
  if (!latestInUse) {
    host.files.detach(executorLatestRunPath(host.workDir, host.agentId, rec.frameworkId, rec.taskId));
    host.files.detach(executorVirtualPath(rec.frameworkId, rec.taskId));
  }
}
