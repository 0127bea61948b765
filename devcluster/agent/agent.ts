// A devcluster agent: runs each command task as a real local process in its
// own sandbox and process group, behaving like a Mesos 1.12 agent with the
// Mesos containerizer, the POSIX launcher and the (driver-based) command
// executor: the same status sequences, texts and sources, the same
// reliable per-task status-update stream, the same /files endpoints.
// This file holds the options and the glue; each job lives in its own module.
import { mkdir } from 'node:fs/promises';
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import type { Attribute, KillPolicy, Resource, TaskInfo } from '../../mesos/schemas/index.js';
import type { AgentInfoView, AgentSink, AgentStatusUpdate, AgentTaskView, DevAgent } from './contract.js';

export type { AgentTaskView } from './contract.js';
export { commandExecutorName } from './executor-name.js';
import { FilesRegistry } from './files-api.js';
import { startAgentHttpServer, type AgentHttpServer } from './agent-http.js';
import { buildAgentState } from './agent-state.js';
import { stateFrameworks, taskViews } from './agent-views.js';
import { FrameworkRegistry, type FrameworkInfoWithId } from './framework-registry.js';
import { agentResources } from './resources-flag.js';
import { parseAttributesFlag } from './resources-flag.js';
import type { TaskHost } from './task-host.js';
import { killTask, silence } from './task-kill.js';
import { startLaunch } from './task-launch.js';
import { newTaskRecord } from './task-record.js';
import { detachSandbox } from './task-sandbox.js';
import { networkIp } from './task-status.js';

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
  private readonly frameworks = new FrameworkRegistry();
  private server: AgentHttpServer | undefined;
  private view: AgentInfoView | undefined;
  private stopped = false;
  private readonly startTime = Date.now() / 1000;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly switchUser: boolean;
  private readonly host: TaskHost;

  constructor(
    private readonly options: AgentOptions,
    private readonly sink: AgentSink,
    private readonly logger: Logger,
    private readonly resources: Resource[],
    private readonly attributes: Attribute[],
    files: FilesRegistry,
  ) {
    this.retryMs = options.statusUpdateRetryMs ?? 10_000;
    this.maxRetryMs = options.statusUpdateMaxRetryMs ?? 600_000;
    this.switchUser = options.switchUser ?? process.getuid?.() === 0;
    this.host = {
      agentId: options.id,
      workDir: options.workDir,
      logger,
      files,
      switchUser: this.switchUser,
      defaultGraceMs: options.defaultKillGraceMs ?? 3000,
      frameworksHome: options.frameworksHome,
      executorEnvironment: options.executorEnvironment,
      host: () => this.info.host,
      hostname: () => this.info.hostname,
      endpoint: () => this.endpoint,
    };
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
    return `${networkIp(this.info.host)}:${this.info.port}`;
  }

  private send(update: AgentStatusUpdate): void {
    try {
      this.sink.statusUpdate(update);
    } catch (err) {
      // The stream retries; a failing sink must not break the task's bookkeeping.
      this.logger.warn('status update sink threw', { err, taskId: update.status.task_id.value, frameworkId: update.frameworkId });
    }
  }

  launchTask(framework: FrameworkInfoWithId, task: TaskInfo): void {
    if (this.stopped) {
      this.logger.warn('launch on a stopped agent ignored', { taskId: task.task_id.value });
      return;
    }
    const frameworkId = framework.id.value;
    const taskId = task.task_id.value;
    const fw = this.frameworks.admit(framework);
    const existing = fw.tasks.get(taskId);
    if (existing && existing.phase !== 'done') {
      this.logger.warn('launch of a task that is already running ignored', { frameworkId, taskId });
      return;
    }
    const rec = newTaskRecord({
      workDir: this.options.workDir,
      agentId: this.options.id,
      framework,
      task,
      retryMs: this.retryMs,
      maxRetryMs: this.maxRetryMs,
      send: (u) => this.send(u),
    });
    fw.tasks.set(taskId, rec);
    startLaunch(this.host, rec);
  }

  killTask(frameworkId: string, taskId: string, _killPolicy?: KillPolicy): void {
    // The command executor behind the old executor driver gets no kill policy
    // with a KILL (mesos-transcripts/05): only TaskInfo.kill_policy counts.
    const rec = this.frameworks.findTask(frameworkId, taskId);
    if (!rec || rec.phase === 'done') {
      this.logger.info('kill of a task that is not running ignored', { frameworkId, taskId });
      return;
    }
    killTask(this.host, rec);
  }

  acknowledge(frameworkId: string, taskId: string, uuidBase64: string): void {
    const rec = this.frameworks.findTask(frameworkId, taskId);
    if (!rec) {
      this.logger.debug('acknowledgement for an unknown task ignored', { frameworkId, taskId });
      return;
    }
    const result = rec.stream.acknowledge(uuidBase64);
    if (result === 'ignored') this.logger.debug('acknowledgement ignored (not the update in flight)', { frameworkId, taskId, uuid: uuidBase64 });
    else if (rec.phase === 'done' && rec.stream.drained) this.prune();
  }

  private prune(): void {
    this.frameworks.prune((fw, rec) => {
      fw.tasks.delete(rec.taskId);
      detachSandbox(this.host, rec, this.frameworks.findTask(rec.frameworkId, rec.taskId) !== undefined);
    });
  }

  shutdownFramework(frameworkId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (!fw || fw.removed) return;
    fw.removed = true;
    for (const rec of fw.tasks.values()) silence(this.host, rec, false);
    this.prune();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const waits: Array<Promise<void>> = [];
    for (const fw of this.frameworks.all()) {
      for (const rec of fw.tasks.values()) {
        if (rec.killTimer) clearTimeout(rec.killTimer);
        silence(this.host, rec, true);
        waits.push(rec.exited);
      }
    }
    // Exits are awaited, but a process stuck in uninterruptible sleep must not hang stop().
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, 5000).unref())]);
    await this.server?.close();
  }

  tasks(): AgentTaskView[] {
    return taskViews(this.frameworks.all());
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
      frameworks: stateFrameworks(this.frameworks.all()),
    });
  }
}
