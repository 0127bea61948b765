// The contract between the devcluster's master and its agents, which run in
// the same process. The master owns frameworks, offers, resource accounting
// and the event streams; an agent owns task processes, sandboxes and the
// per-task status-update streams (retried until acknowledged, one update in
// flight per task, as Mesos's task status update manager does).
import type { FrameworkInfo, KillPolicy, Resource, Attribute, TaskInfo, TaskState, TaskStatus } from '../../mesos/schemas/index.js';

/** An update the agent wants delivered to the framework. Re-sent (same uuid) until acknowledged. */
export interface AgentStatusUpdate {
  frameworkId: string;
  status: TaskStatus;
  /** The newest state the agent knows for the task (Mesos's latest_state), which may be ahead of `status.state`. */
  latestState: TaskState;
  /** true when this is a re-send of an update already sent once. */
  retry: boolean;
}

/** What the master provides to each agent. */
export interface AgentSink {
  /** Called for the first send and for each retry of a status update. */
  statusUpdate(update: AgentStatusUpdate): void;
}

export interface AgentInfoView {
  id: string;
  hostname: string;
  /** host:port of the agent's HTTP server (/files/*, /state). */
  host: string;
  port: number;
  /** base URL, e.g. http://127.0.0.1:39123 */
  url: string;
  resources: Resource[];
  attributes: Attribute[];
}

/** What the master can ask of an agent. */
export interface DevAgent {
  readonly info: AgentInfoView;
  /** Starts the task: STARTING, RUNNING, then a terminal update, each through the sink. */
  launchTask(framework: FrameworkInfo & { id: { value: string } }, task: TaskInfo): void;
  /** Kills a task (SIGTERM, then SIGKILL after the grace period); KILLED follows through the sink. */
  killTask(frameworkId: string, taskId: string, killPolicy?: KillPolicy): void;
  /** Releases the next queued update of the task when the uuid matches the one in flight; otherwise ignored. */
  acknowledge(frameworkId: string, taskId: string, uuidBase64: string): void;
  /** Framework removed: kill its tasks, send nothing more for them, drop pending updates. */
  shutdownFramework(frameworkId: string): void;
  /** Stops the HTTP server and kills every task process. */
  stop(): Promise<void>;
  /**
   * Every task the agent has been given, active and completed (the real agent
   * implements it; in-process fakes may leave it out).
   */
  tasks?(): AgentTaskView[];
  /** The agent's v0 `/state` document (same as GET /state on its HTTP server). */
  state?(): Record<string, unknown>;
}

/** One task as the agent knows it. */
export interface AgentTaskView {
  frameworkId: string;
  taskId: string;
  name: string;
  /** The newest state of the task (the last update the agent generated). */
  state: TaskState;
  /** The state of the update in flight (sent, not yet acknowledged), if any. */
  pendingState: TaskState | undefined;
  resources: Resource[];
  containerId: string;
  /** Real sandbox directory: <workDir>/slaves/<agent>/frameworks/<fw>/executors/<task>/runs/<container>. */
  sandbox: string;
  /** /frameworks/<fid>/executors/<tid>/runs/latest, readable through /files. */
  virtualSandbox: string;
  /** Task process id while it runs. */
  pid: number | undefined;
  /** False once the process is gone and every update is acknowledged (or the framework was removed). */
  active: boolean;
}
