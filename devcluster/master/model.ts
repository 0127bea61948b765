// The master's in-memory records of frameworks, tasks, offers and agents.
import type { FrameworkInfo, Resource, TaskInfo, TaskState, TaskStatus } from '../../mesos/schemas/index.js';
import type { AgentInfoView, DevAgent } from '../agent/contract.js';
import type { ResourceBag } from '../../mesos/resources.js';
import type { EventStream } from './event-stream.js';

export interface TaskEntry {
  taskId: string;
  frameworkId: string;
  agentId: string;
  info: TaskInfo;
  /** The task's own resources, unreserved and without allocation_info (the master's accounting form). */
  resources: Resource[];
  /** The role the resources were allocated to. */
  role: string;
  /** The master's view: the newest state it learned (an update's latest_state). */
  state: TaskState;
  statuses: TaskStatus[];
  /** State and uuid of the last update forwarded to the framework (operator API status_update_*). */
  statusUpdateState?: TaskState;
  statusUpdateUuid?: string;
  latestStatus?: TaskStatus;
  /** Resources went back to the agent's pool (on the first terminal state seen). */
  released: boolean;
  unreachableTimeMs?: number;
}

export interface FrameworkEntry {
  id: string;
  info: FrameworkInfo & { id: { value: string } };
  capabilities: Set<string>;
  roles: string[];
  suppressedRoles: Set<string>;
  stream: EventStream | undefined;
  connected: boolean;
  active: boolean;
  /** Known only from the agents' reports after a master failover, not yet re-subscribed. */
  recovered: boolean;
  registeredTimeMs: number;
  reregisteredTimeMs: number;
  unregisteredTimeMs?: number;
  failoverTimer?: NodeJS.Timeout;
  tasks: Map<string, TaskEntry>;
  unreachableTasks: Map<string, TaskEntry>;
  completedTasks: TaskEntry[];
  offers: Set<string>;
}

export interface OfferEntry {
  id: string;
  frameworkId: string;
  agentId: string;
  role: string;
  /** Unreserved, without allocation_info (accounting form). */
  resources: Resource[];
  timer?: NodeJS.Timeout;
}

export interface AgentEntry {
  id: string;
  agent: DevAgent;
  info: AgentInfoView;
  /** Total resources, unreserved, accounting form. */
  total: Resource[];
  /** Resources held by outstanding offers and by tasks not yet terminal (mutable: updated in place, see allocator.ts). */
  allocated: ResourceBag;
  /** Bumped on every change of `allocated`; keys the cached free resources. */
  version: number;
  freeCache?: { version: number; free: Resource[] };
  registeredTimeMs: number;
  reregisteredTimeMs?: number;
}

/** Agents the master removed, remembered for reconciliation answers. */
export interface RemovedAgent {
  id: string;
  mode: AgentRemovalMode;
  timeMs: number;
}

/**
 * How an agent leaves (fault injection): 'unreachable' as when its health checks
 * fail (TASK_UNREACHABLE / TASK_LOST), 'gone' as when an operator marks it gone
 * (TASK_GONE_BY_OPERATOR / TASK_LOST).
 */
export type AgentRemovalMode = 'unreachable' | 'gone';

export function hasCapability(fw: FrameworkEntry, cap: string): boolean {
  return fw.capabilities.has(cap);
}
