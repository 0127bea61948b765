// A devcluster agent: runs each command task as a real local process in its
// own sandbox and process group, behaving like a Mesos 1.12 agent with the
// Mesos containerizer, the POSIX launcher and the (driver-based) command
// executor: the same status sequences, texts and sources, the same
// reliable per-task status-update stream, the same /files endpoints.
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, open, rm, symlink } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import { durationToMs, newStatusUuid } from '../../mesos/json.js';
import type { Attribute, FrameworkInfo, KillPolicy, Resource, TaskInfo, TaskState, TaskStatus, TaskStatusReason } from '../../mesos/schemas/index.js';
import type { AgentInfoView, AgentSink, AgentTaskView, DevAgent } from './contract.js';

export type { AgentTaskView } from './contract.js';
import { ExecutorLog, commandExitMessage, errnoText, formatDuration } from './executor-log.js';
import { FilesRegistry } from './files-api.js';
import { startAgentHttpServer, type AgentHttpServer } from './agent-http.js';
import { buildAgentState } from './agent-state.js';
import { userByName, type PosixUser } from './posix-users.js';
import { registerGroup, signalGroup, unregisterGroup } from './process-groups.js';
import { agentResources } from './resources-flag.js';
import { parseAttributesFlag } from './resources-flag.js';
import { executorLatestRunPath, executorRunPath, executorVirtualPath } from './sandbox-paths.js';
import { StatusUpdateStream } from './status-update-stream.js';
import { taskEnvironment } from './task-env.js';
import { fetchUris } from './uri-fetcher.js';

export interface AgentOptions {
  /** Agent id (`<master id>-S<n>`). */
  id: string;
  /** Address to bind the HTTP server to; default 127.0.0.1. */
  host?: string;
  /** Hostname reported in AgentInfo and /state; default the host. */
  hostname?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The agent's work_dir; sandboxes go to <workDir>/slaves/<id>/frameworks/... */
  workDir: string;
  /** `--resources` text or Resource[]; cpus/mem/disk/ports it leaves out get Mesos's defaults. */
  resources?: string | Resource[];
  /** `--attributes` text or Attribute[]. */
  attributes?: string | Attribute[];
  /** First status-update retry (Mesos: 10 s), then doubling. */
  statusUpdateRetryMs?: number;
  /** Cap of the retry interval (Mesos: 10 min). */
  statusUpdateMaxRetryMs?: number;
  /** SIGTERM→SIGKILL grace when the TaskInfo has no kill_policy (Mesos: 3 s). */
  defaultKillGraceMs?: number;
  /**
   * Run tasks as CommandInfo.user / FrameworkInfo.user (Mesos's --switch_user).
   * Default: true when this process runs as root, else false (a non-root
   * agent cannot switch users, and real Mesos must then run with
   * --no-switch_user too).
   */
  switchUser?: boolean;
  /** Mesos's --executor_environment_variables: the base of every task's environment. */
  executorEnvironment?: Record<string, string>;
  /** Mesos's --frameworks_home: base directory of relative URIs. */
  frameworksHome?: string;
  /** master_hostname in /state. */
  masterHostname?: string;
  logger?: Logger;
}

export interface DevAgentHandle extends DevAgent {
  /** Every task this agent has been given (active and completed). */
  tasks(): AgentTaskView[];
  /** The agent's /state document. */
  state(): Record<string, unknown>;
}

type Phase = 'launching' | 'running' | 'done';

interface TaskRecord {
  frameworkId: string;
  taskId: string;
  task: TaskInfo;
  framework: FrameworkInfo & { id: { value: string } };
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

interface FrameworkRecord {
  info: FrameworkInfo & { id: { value: string } };
  tasks: Map<string, TaskRecord>;
  removed: boolean;
}

/** Mesos's --max_completed_executors_per_framework default and MAX_COMPLETED_FRAMEWORKS. */
const MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK = 150;
const MAX_COMPLETED_FRAMEWORKS = 50;

const NETWORK_IP = (host: string): string => (isIP(host) !== 0 && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1');

function hasCapability(fw: FrameworkInfo, cap: string): boolean {
  return (fw.capabilities ?? []).some((c) => c.type === cap);
}

function allocationRole(task: TaskInfo): string {
  const r = task.resources?.[0];
  return r?.allocation_info?.role ?? r?.role ?? '*';
}

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

export async function createAgent(options: AgentOptions, sink: AgentSink): Promise<DevAgentHandle> {
  const host = options.host ?? '127.0.0.1';
  const logger = (options.logger ?? silentLogger).child({ component: 'devcluster-agent', agentId: options.id });
  await mkdir(options.workDir, { recursive: true });
  const resources = agentResources(options.resources, options.workDir);
  const attributes = typeof options.attributes === 'string' ? parseAttributesFlag(options.attributes) : (options.attributes ?? []);
  const files = new FilesRegistry();
  const agent = new Agent(options, sink, logger, resources, attributes, files);
  const server = await startAgentHttpServer({
    host,
    port: options.port ?? 0,
    files,
    state: () => agent.state(),
    logger,
  });
  agent.attachServer(server, host);
  return agent;
}

class Agent implements DevAgentHandle {
  private readonly frameworks = new Map<string, FrameworkRecord>();
  /** Frameworks removed and then seen again under the same id (kept for /state). */
  private readonly pastFrameworks: FrameworkRecord[] = [];
  private server: AgentHttpServer | undefined;
  private view: AgentInfoView | undefined;
  private stopped = false;
  private readonly startTime = Date.now() / 1000;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly graceMs: number;
  private readonly switchUser: boolean;

  constructor(
    private readonly options: AgentOptions,
    private readonly sink: AgentSink,
    private readonly logger: Logger,
    private readonly resources: Resource[],
    private readonly attributes: Attribute[],
    private readonly files: FilesRegistry,
  ) {
    this.retryMs = options.statusUpdateRetryMs ?? 10_000;
    this.maxRetryMs = options.statusUpdateMaxRetryMs ?? 600_000;
    this.graceMs = options.defaultKillGraceMs ?? 3000;
    this.switchUser = options.switchUser ?? process.getuid?.() === 0;
  }

  attachServer(server: AgentHttpServer, host: string): void {
    this.server = server;
    const hostname = this.options.hostname ?? host;
    this.view = {
      id: this.options.id,
      hostname,
      host,
      port: server.port,
      url: `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`,
      resources: this.resources,
      attributes: this.attributes,
    };
  }

  get info(): AgentInfoView {
    if (!this.view) throw new Error(`Agent ${this.options.id} has no HTTP server yet`);
    return this.view;
  }

  private get endpoint(): string {
    return `${NETWORK_IP(this.info.host)}:${this.info.port}`;
  }

  // ---------------------------------------------------------------- updates

  private send(update: Parameters<AgentSink['statusUpdate']>[0]): void {
    try {
      this.sink.statusUpdate(update);
    } catch (err) {
      // The stream retries; a failing sink must not break the task's bookkeeping.
      this.logger.warn('status update sink threw', { err, taskId: update.status.task_id.value, frameworkId: update.frameworkId });
    }
  }

  private executorStatus(rec: TaskRecord, state: TaskState, message?: string, reason?: TaskStatusReason): TaskStatus {
    const ip = NETWORK_IP(this.info.host);
    return {
      task_id: { value: rec.taskId },
      state,
      ...(message !== undefined ? { message } : {}),
      source: 'SOURCE_EXECUTOR',
      ...(reason !== undefined ? { reason } : {}),
      agent_id: { value: this.options.id },
      executor_id: { value: rec.taskId },
      timestamp: Date.now() / 1000,
      uuid: newStatusUuid(),
      container_status: {
        container_id: { value: rec.containerId },
        network_infos: [{ ip_addresses: [{ protocol: isIP(ip) === 6 ? 'IPv6' : 'IPv4', ip_address: ip }] }],
        ...(rec.pid !== undefined ? { executor_pid: rec.pid } : {}),
      },
    } as TaskStatus;
  }

  private agentStatus(rec: TaskRecord, state: TaskState, reason: TaskStatusReason, message: string): TaskStatus {
    return {
      task_id: { value: rec.taskId },
      state,
      message,
      source: 'SOURCE_AGENT',
      reason,
      agent_id: { value: this.options.id },
      executor_id: { value: rec.taskId },
      timestamp: Date.now() / 1000,
      uuid: newStatusUuid(),
    } as TaskStatus;
  }

  private update(rec: TaskRecord, status: TaskStatus): void {
    if (rec.silenced) return;
    rec.stream.enqueue(status);
  }

  /** Ends a task that never got a process (launch failures, kill during launch). */
  private failLaunch(rec: TaskRecord, state: TaskState, reason: TaskStatusReason, message: string): void {
    if (rec.phase !== 'launching') return;
    rec.phase = 'done';
    this.logger.info('task ended before it started', { frameworkId: rec.frameworkId, taskId: rec.taskId, state, reason, message: message });
    this.update(rec, this.agentStatus(rec, state, reason, message));
    rec.markExited();
  }

  // ---------------------------------------------------------------- launch

  launchTask(framework: FrameworkInfo & { id: { value: string } }, task: TaskInfo): void {
    if (this.stopped) {
      this.logger.warn('launch on a stopped agent ignored', { taskId: task.task_id.value });
      return;
    }
    const frameworkId = framework.id.value;
    const taskId = task.task_id.value;
    let fw = this.frameworks.get(frameworkId);
    if (!fw || fw.removed) {
      if (fw) this.pastFrameworks.push(fw);
      fw = { info: framework, tasks: new Map(), removed: false };
      this.frameworks.set(frameworkId, fw);
    } else {
      fw.info = framework;
    }
    const existing = fw.tasks.get(taskId);
    if (existing && existing.phase !== 'done') {
      this.logger.warn('launch of a task that is already running ignored', { frameworkId, taskId });
      return;
    }
    const containerId = randomUUID();
    let markExited!: () => void;
    const exited = new Promise<void>((r) => (markExited = r));
    const rec: TaskRecord = {
      frameworkId,
      taskId,
      task,
      framework,
      containerId,
      sandbox: executorRunPath(this.options.workDir, this.options.id, frameworkId, taskId, containerId),
      phase: 'launching',
      stream: new StatusUpdateStream({
        frameworkId,
        taskId,
        retryMs: this.retryMs,
        maxRetryMs: this.maxRetryMs,
        send: (u) => this.send(u),
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
    fw.tasks.set(taskId, rec);
    this.launch(rec).catch((err: unknown) => {
      this.logger.error('task launch failed', { err, frameworkId, taskId });
      this.failLaunch(rec, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', `Failed to launch container: ${(err as Error).message}`);
    });
  }

  private async launch(rec: TaskRecord): Promise<void> {
    const { task, framework } = rec;
    const command = task.command;
    if (command === undefined) {
      // Custom executors would have to speak the executor API to this agent.
      return this.failLaunch(rec, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', 'Failed to launch container: the devcluster agent runs command tasks only (TaskInfo.executor is not supported)');
    }

    // The sandbox belongs to the task's user (slave/paths.cpp createSandboxDirectory).
    let user: PosixUser | undefined;
    const userName = command.user ?? framework.user;
    if (this.switchUser && userName) {
      user = userByName(userName);
      let problem: string | undefined;
      if (!user) problem = `No such user '${userName}'`;
      else if (process.getuid?.() !== 0 && user.uid !== process.getuid?.()) problem = 'Operation not permitted';
      if (problem !== undefined) {
        const state: TaskState = hasCapability(framework, 'PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST';
        return this.failLaunch(rec, state, 'REASON_EXECUTOR_TERMINATED', `Failed to create executor directory '${rec.sandbox}': Failed to chown directory to '${userName}': ${problem}`);
      }
    }
    const owner = user && user.uid !== process.getuid?.() ? { uid: user.uid, gid: user.gid } : undefined;

    await mkdir(rec.sandbox, { recursive: true });
    await chmod(rec.sandbox, 0o750);
    if (owner) await chown(rec.sandbox, owner.uid, owner.gid);
    const latest = executorLatestRunPath(this.options.workDir, this.options.id, rec.frameworkId, rec.taskId);
    await rm(latest, { force: true });
    await symlink(rec.sandbox, latest);
    await this.files.attach(rec.sandbox, rec.sandbox);
    await this.files.attach(rec.sandbox, latest);
    await this.files.attach(rec.sandbox, executorVirtualPath(rec.frameworkId, rec.taskId));

    const container = task.container;
    if (container?.type === 'DOCKER') {
      // No containerizer here can launch it: the Mesos containerizer answers
      // NOT_SUPPORTED, and the agent's wait() on the unknown container ends
      // the executor (slave.cpp executorLaunched / executorTerminated).
      return this.failLaunch(rec, 'TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'Abnormal executor termination: unknown container');
    }
    const image = container?.mesos?.image;
    if (image !== undefined) {
      // No image provisioner (no --image_providers): provisioning fails.
      return this.failLaunch(rec, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', `Failed to launch container: Unsupported container image type: ${String(image.type ?? 'UNKNOWN')}`);
    }

    const stdoutPath = join(rec.sandbox, 'stdout');
    const stderrPath = join(rec.sandbox, 'stderr');
    const [out, err] = await Promise.all([open(stdoutPath, 'a'), open(stderrPath, 'a')]);
    try {
      if (owner) await Promise.all([out.chown(owner.uid, owner.gid), err.chown(owner.uid, owner.gid)]);
      rec.log = new ExecutorLog(stderrPath);

      const uris = command.uris ?? [];
      if (uris.length > 0) {
        try {
          await fetchUris(uris, { sandbox: rec.sandbox, log: rec.log, owner, frameworksHome: this.options.frameworksHome, signal: rec.abort.signal });
        } catch (e) {
          if (rec.phase !== 'launching') return;
          this.logger.info('fetching URIs failed', { err: e, frameworkId: rec.frameworkId, taskId: rec.taskId });
          return this.failLaunch(rec, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', `Failed to launch container: Failed to fetch all URIs for container '${rec.containerId}': exited with status 1`);
        }
      }
      // Killed (or the agent stopped) while fetching.
      if (rec.phase !== 'launching') return;
      await this.startProcess(rec, command, owner, out.fd, err.fd);
    } finally {
      await Promise.all([out.close(), err.close()]);
    }
  }

  private async startProcess(rec: TaskRecord, command: NonNullable<TaskInfo['command']>, owner: { uid: number; gid: number } | undefined, outFd: number, errFd: number): Promise<void> {
    const log = rec.log as ExecutorLog;
    log.write('exec.cpp:164', 'Version: 1.12.0');
    log.write('exec.cpp:237', `Executor registered on agent ${this.options.id}`);
    log.write('executor.cpp:190', 'Received SUBSCRIBED event');
    log.write('executor.cpp:194', `Subscribed executor on ${this.info.hostname}`);
    log.write('executor.cpp:190', 'Received LAUNCH event');
    const maxMs = rec.task.max_completion_time ? durationToMs(rec.task.max_completion_time) : 0;
    if (maxMs > 0) log.write('executor.cpp:711', `Task ${rec.taskId} has a max completion time of ${formatDuration(maxMs)}`);
    log.write('executor.cpp:722', `Starting task ${rec.taskId}`);

    const env = taskEnvironment({
      frameworkId: rec.frameworkId,
      executorId: rec.taskId,
      agentId: this.options.id,
      sandbox: rec.sandbox,
      agentEndpoint: this.endpoint,
      checkpoint: rec.framework.checkpoint === true,
      allocationRole: allocationRole(rec.task),
      command,
      executorEnvironment: this.options.executorEnvironment,
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
        this.logger.warn('task process error', { err: e, taskId: rec.taskId });
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
      this.update(rec, this.executorStatus(rec, 'TASK_STARTING'));
      this.update(rec, this.executorStatus(rec, 'TASK_RUNNING'));
      log.raw(`Failed to execute '${file}': ${errnoText(reason)}\n`);
      this.finish(rec, 1, null);
      return;
    }
    rec.child = child;
    rec.pid = child.pid;
    registerGroup(child.pid);
    rec.phase = 'running';
    this.update(rec, this.executorStatus(rec, 'TASK_STARTING'));
    log.write('executor.cpp:740', `Forked command at ${child.pid}`);
    this.update(rec, this.executorStatus(rec, 'TASK_RUNNING'));
    this.logger.info('task started', { frameworkId: rec.frameworkId, taskId: rec.taskId, pid: child.pid, sandbox: rec.sandbox });

    if (maxMs > 0) {
      rec.completionTimer = setTimeout(() => {
        rec.completionTimer = undefined;
        if (rec.phase !== 'running' || rec.killing) return;
        log.write('executor.cpp:1113', `Killing task ${rec.taskId} which exceeded its maximum completion time of ${formatDuration(maxMs)}`);
        rec.killedByCompletionTimer = true;
        this.signalKill(rec, 0);
      }, maxMs);
      rec.completionTimer.unref();
    }
    child.once('exit', (code, signal) => this.finish(rec, code, signal));
  }

  private finish(rec: TaskRecord, code: number | null, signal: NodeJS.Signals | null): void {
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
    this.logger.info('task ended', { frameworkId: rec.frameworkId, taskId: rec.taskId, state, message });
    this.update(rec, this.executorStatus(rec, state, message, reason));
    rec.markExited();
  }

  // ---------------------------------------------------------------- kill

  private findTask(frameworkId: string, taskId: string): TaskRecord | undefined {
    return this.frameworks.get(frameworkId)?.tasks.get(taskId);
  }

  killTask(frameworkId: string, taskId: string, _killPolicy?: KillPolicy): void {
    // The command executor behind the old executor driver gets no kill policy
    // with a KILL (mesos-transcripts/05): only TaskInfo.kill_policy counts.
    const rec = this.findTask(frameworkId, taskId);
    if (!rec || rec.phase === 'done') {
      this.logger.info('kill of a task that is not running ignored', { frameworkId, taskId });
      return;
    }
    if (rec.phase === 'launching') {
      rec.abort.abort();
      this.failLaunch(rec, 'TASK_KILLED', 'REASON_TASK_KILLED_DURING_LAUNCH', 'Killed before delivery to the executor');
      return;
    }
    if (rec.killing) return;
    const graceMs = rec.task.kill_policy?.grace_period ? durationToMs(rec.task.kill_policy.grace_period) : this.graceMs;
    rec.log?.write('executor.cpp:190', 'Received KILL event');
    rec.log?.write('executor.cpp:835', `Received kill for task ${taskId} with grace period of ${formatDuration(graceMs)}`);
    if (hasCapability(rec.framework, 'TASK_KILLING_STATE')) this.update(rec, this.executorStatus(rec, 'TASK_KILLING'));
    this.signalKill(rec, graceMs);
  }

  /** SIGTERM to the task's group now, SIGKILL after `graceMs` unless it has exited. */
  private signalKill(rec: TaskRecord, graceMs: number): void {
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

  // ---------------------------------------------------------------- acks, frameworks, stop

  acknowledge(frameworkId: string, taskId: string, uuidBase64: string): void {
    const rec = this.findTask(frameworkId, taskId);
    if (!rec) {
      this.logger.debug('acknowledgement for an unknown task ignored', { frameworkId, taskId });
      return;
    }
    const result = rec.stream.acknowledge(uuidBase64);
    if (result === 'ignored') this.logger.debug('acknowledgement ignored (not the update in flight)', { frameworkId, taskId, uuid: uuidBase64 });
    else if (rec.phase === 'done' && rec.stream.drained) this.prune();
  }

  /** Keeps what Mesos keeps: 150 completed executors per framework, 50 completed frameworks. */
  private prune(): void {
    for (const fw of this.frameworks.values()) {
      const completed = [...fw.tasks.values()].filter((r) => r.phase === 'done' && (r.stream.drained || fw.removed));
      for (const rec of completed.slice(0, Math.max(0, completed.length - MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK))) this.forget(fw, rec);
    }
    // Only frameworks whose processes are all gone: stop() must still be able to wait for the others.
    const removed = [...this.pastFrameworks, ...[...this.frameworks.values()].filter((f) => f.removed)].filter((f) =>
      [...f.tasks.values()].every((r) => r.phase === 'done'),
    );
    for (const fw of removed.slice(0, Math.max(0, removed.length - MAX_COMPLETED_FRAMEWORKS))) {
      for (const rec of fw.tasks.values()) this.forget(fw, rec);
      const i = this.pastFrameworks.indexOf(fw);
      if (i !== -1) this.pastFrameworks.splice(i, 1);
      else this.frameworks.delete(fw.info.id.value);
    }
  }

  private forget(fw: FrameworkRecord, rec: TaskRecord): void {
    fw.tasks.delete(rec.taskId);
    // The sandbox stays on disk (Mesos garbage-collects it much later); only its /files names go.
    this.files.detach(rec.sandbox);
    const latest = executorLatestRunPath(this.options.workDir, this.options.id, rec.frameworkId, rec.taskId);
    const current = this.frameworks.get(rec.frameworkId)?.tasks.get(rec.taskId);
    if (current === undefined) {
      this.files.detach(latest);
      this.files.detach(executorVirtualPath(rec.frameworkId, rec.taskId));
    }
  }

  shutdownFramework(frameworkId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (!fw || fw.removed) return;
    fw.removed = true;
    for (const rec of fw.tasks.values()) this.silence(rec, false);
    this.prune();
  }

  /** Stops every update of the task and ends its process (gracefully unless `now`). */
  private silence(rec: TaskRecord, now: boolean): void {
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
      const graceMs = rec.task.kill_policy?.grace_period ? durationToMs(rec.task.kill_policy.grace_period) : this.graceMs;
      this.signalKill(rec, graceMs);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const waits: Array<Promise<void>> = [];
    for (const fw of [...this.pastFrameworks, ...this.frameworks.values()]) {
      for (const rec of fw.tasks.values()) {
        if (rec.killTimer) clearTimeout(rec.killTimer);
        this.silence(rec, true);
        waits.push(rec.exited);
      }
    }
    // Exits are awaited, but a process stuck in uninterruptible sleep must not hang stop().
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, 5000).unref())]);
    await this.server?.close();
  }

  // ---------------------------------------------------------------- views

  tasks(): AgentTaskView[] {
    const out: AgentTaskView[] = [];
    for (const fw of [...this.pastFrameworks, ...this.frameworks.values()]) {
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

  state(): Record<string, unknown> {
    return buildAgentState({
      id: this.options.id,
      hostname: this.info.hostname,
      endpoint: this.endpoint,
      port: this.info.port,
      startTime: this.startTime,
      masterHostname: this.options.masterHostname ?? this.info.hostname,
      workDir: this.options.workDir,
      resourcesFlag: typeof this.options.resources === 'string' ? this.options.resources : undefined,
      switchUser: this.switchUser,
      resources: this.resources,
      attributes: this.attributes,
      frameworks: [...this.pastFrameworks, ...this.frameworks.values()].map((fw) => ({
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
      })),
    });
  }
}
