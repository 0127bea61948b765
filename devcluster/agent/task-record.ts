// What the agent holds for one task: its TaskInfo, sandbox, process, kill
// state and status-update stream, from the LAUNCH until it is forgotten.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { durationToMs } from '../../mesos/json.js';
import type { TaskInfo, TaskStatus } from '../../mesos/schemas/index.js';
import type { AgentStatusUpdate } from './contract.js';
import type { ExecutorLog } from './executor-log.js';
import type { FrameworkInfoWithId } from './framework-registry.js';
import { executorRunPath } from './sandbox-paths.js';
import { StatusUpdateStream } from './status-update-stream.js';

export type Phase = 'launching' | 'running' | 'done';

export interface TaskRecord {
  frameworkId: string;
  taskId: string;
  task: TaskInfo;
  framework: FrameworkInfoWithId;
  containerId: string;
  sandbox: string;
  phase: Phase;
  stream: StatusUpdateStream;
  child: ChildProcess | undefined;
  pid: number | undefined;
  killing: boolean;
  killTimer: NodeJS.Timeout | undefined;
  completionTimer: NodeJS.Timeout | undefined;
  killedByCompletionTimer: boolean;
  abort: AbortController;
  log: ExecutorLog | undefined;
  exited: Promise<void>;
  markExited: () => void;
  /** Framework removed or agent stopped: nothing more is sent. */
  silenced: boolean;
}

export interface NewTaskRecordOptions {
  workDir: string;
  agentId: string;
  framework: FrameworkInfoWithId;
  task: TaskInfo;
  retryMs: number;
  maxRetryMs: number;
  send: (update: AgentStatusUpdate) => void;
}

/** A task just given to the agent: a new container id and sandbox, nothing started. */
export function newTaskRecord(opts: NewTaskRecordOptions): TaskRecord {
  const { framework, task } = opts;
  const frameworkId = framework.id.value;
  const taskId = task.task_id.value;
  const containerId = randomUUID();
  let markExited!: () => void;
  const exited = new Promise<void>((r) => (markExited = r));
  return {
    frameworkId,
    taskId,
    task,
    framework,
    containerId,
    sandbox: executorRunPath(opts.workDir, opts.agentId, frameworkId, taskId, containerId),
    phase: 'launching',
    stream: new StatusUpdateStream({
      frameworkId,
      taskId,
      retryMs: opts.retryMs,
      maxRetryMs: opts.maxRetryMs,
      send: opts.send,
    }),
    child: undefined,
    pid: undefined,
    killing: false,
    killTimer: undefined,
    completionTimer: undefined,
    killedByCompletionTimer: false,
    abort: new AbortController(),
    log: undefined,
    exited,
    markExited,
    silenced: false,
  };
}

/** Queues an update on the task's stream, unless the task has been silenced. */
export function enqueueStatus(rec: TaskRecord, status: TaskStatus): void {
  if (rec.silenced) return;
  rec.stream.enqueue(status);
}

/** The TaskInfo's kill_policy grace, or the agent's default. */
export function killGraceMs(rec: TaskRecord, defaultGraceMs: number): number {
  return rec.task.kill_policy?.grace_period ? durationToMs(rec.task.kill_policy.grace_period) : defaultGraceMs;
}
