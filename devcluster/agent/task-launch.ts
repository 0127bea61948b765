// Launching a command task the way a Mesos agent with the Mesos
// containerizer does: the user check, the sandbox, the container checks, the
// URI fetch, then the process. Anything that fails before the process
// exists ends the task with the agent's own update.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { taskCommand, unsupportedContainer, type LaunchFailure } from './container-support.js';
import { ExecutorLog } from './executor-log.js';
import { failLaunch, type TaskHost } from './task-host.js';
import { startProcess } from './task-process.js';
import type { TaskRecord } from './task-record.js';
import { createSandbox, sandboxOwner } from './task-sandbox.js';
import { fetchUris } from './uri-fetcher.js';

/** Runs the launch in the background; an unexpected error fails it as Mesos fails a container launch. */
export function startLaunch(host: TaskHost, rec: TaskRecord): void {
  launch(host, rec).catch((err: unknown) => {
    host.logger.error('task launch failed', { err, frameworkId: rec.frameworkId, taskId: rec.taskId });
    failLaunch(host, rec, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', `Failed to launch container: ${(err as Error).message}`);
  });
}

function failWith(host: TaskHost, rec: TaskRecord, failure: LaunchFailure): void {
  failLaunch(host, rec, failure.state, failure.reason, failure.message);
}

async function launch(host: TaskHost, rec: TaskRecord): Promise<void> {
  const { task, framework } = rec;
  const runnable = taskCommand(task);
  if ('failure' in runnable) return failWith(host, rec, runnable.failure);
  const { command } = runnable;

  const who = sandboxOwner(host.switchUser, command, framework, rec.sandbox);
  if ('failure' in who) return failWith(host, rec, who.failure);
  const { owner } = who;

  await createSandbox(host, rec, owner);

  const unsupported = unsupportedContainer(task);
  if (unsupported !== undefined) return failWith(host, rec, unsupported);

  const stdoutPath = join(rec.sandbox, 'stdout');
  const stderrPath = join(rec.sandbox, 'stderr');
  const [out, err] = await Promise.all([open(stdoutPath, 'a'), open(stderrPath, 'a')]);
  try {
    if (owner) await Promise.all([out.chown(owner.uid, owner.gid), err.chown(owner.uid, owner.gid)]);
    rec.log = new ExecutorLog(stderrPath);

    const uris = command.uris ?? [];
    if (uris.length > 0) {
      try {
        await fetchUris(uris, { sandbox: rec.sandbox, log: rec.log, owner, frameworksHome: host.frameworksHome, signal: rec.abort.signal });
      } catch (e) {
        if (rec.phase !== 'launching') return;
        host.logger.info('fetching URIs failed', { err: e, frameworkId: rec.frameworkId, taskId: rec.taskId });
        return failLaunch(
          host,
          rec,
          'TASK_FAILED',
          'REASON_CONTAINER_LAUNCH_FAILED',
          `Failed to launch container: Failed to fetch all URIs for container '${rec.containerId}': exited with status 1`,
        );
      }
    }
    // Killed (or the agent stopped) while fetching.
    if (rec.phase !== 'launching') return;
    await startProcess(host, rec, command, owner, out.fd, err.fd);
  } finally {
    await Promise.all([out.close(), err.close()]);
  }
}
