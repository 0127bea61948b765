// What the master's parts (allocator, ACCEPT, reconciliation, endpoints)
// share: the in-memory state and a few operations on it.
import type { Logger } from '../../common/logger.js';
import type { TaskState, TaskStatus } from '../../mesos/schemas/index.js';
import type { IdGenerator } from './ids.js';
import type { AgentEntry, FrameworkEntry, OfferEntry, RemovedAgent } from './model.js';

export interface MasterSettings {
  host: string;
  hostname: string;
  ip: string;
  port: number;
  heartbeatIntervalMs: number;
  allocationIntervalMs: number;
  defaultRefuseSeconds: number;
  offerTimeoutMs: number | undefined;
  version: string;
}

export interface MasterContext {
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly settings: MasterSettings;
  readonly frameworks: Map<string, FrameworkEntry>;
  readonly completedFrameworks: FrameworkEntry[];
  readonly removedFrameworkIds: Set<string>;
  readonly agents: Map<string, AgentEntry>;
  readonly removedAgents: Map<string, RemovedAgent>;
  readonly offers: Map<string, OfferEntry>;
  /** Epoch milliseconds (injectable for tests). */
  now(): number;
  /** Sends an event on the framework's stream when it is connected; dropped otherwise (as Mesos does). */
  send(fw: FrameworkEntry, event: object): void;
}

const NOT_PARTITION_AWARE: ReadonlySet<TaskState> = new Set(['TASK_DROPPED', 'TASK_UNREACHABLE', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);

/** Frameworks without PARTITION_AWARE see TASK_LOST instead of the partition-aware states. */
export function stateFor(fw: FrameworkEntry, state: TaskState): TaskState {
  return !fw.capabilities.has('PARTITION_AWARE') && NOT_PARTITION_AWARE.has(state) ? 'TASK_LOST' : state;
}

export interface MasterStatusFields {
  taskId: string;
  state: TaskState;
  message: string;
  reason: string;
  agentId?: string;
  timestampMs: number;
}

/** A master-generated TaskStatus: SOURCE_MASTER, a reason, no uuid (must not be acknowledged). Field order as Mesos prints it. */
export function masterStatus(f: MasterStatusFields): TaskStatus {
  const s: TaskStatus = { task_id: { value: f.taskId }, state: f.state, message: f.message, source: 'SOURCE_MASTER', reason: f.reason };
  if (f.agentId !== undefined) s.agent_id = { value: f.agentId };
  s.timestamp = f.timestampMs / 1000;
  return s;
}

export function updateEvent(status: TaskStatus): object {
  return { type: 'UPDATE', update: { status } };
}
