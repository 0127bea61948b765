// The master: frameworks and their subscriptions, agents, offers and tasks,
// glued to the allocator, ACCEPT and reconciliation. All state is in memory,
// like a real Mesos master's (whose registry holds only agents). A master
// failover (faults.failover) builds a new Master, with a new master id, from
// what the agents would report when re-registering (recoverFrom):
//   survives: the agents (same ids, processes, sandboxes, unacknowledged
//     status updates, which they keep retrying); every non-completed task with
//     its TaskInfo, state and statuses; the FrameworkInfo of each framework
//     that has such tasks, as a "recovered" framework that may re-SUBSCRIBE
//     with its id (a framework without tasks is unknown and is accepted as new
//     under its id, as Mesos does).
//   lost: every subscription (streams end), offers, decline filters,
//     suppressed roles, failover timers, completed frameworks and tasks, the
//     list of removed framework ids, stream ids, counters.
import type { ServerResponse } from 'node:http';
import type { Logger } from '../../common/logger.js';
import { isTerminalTaskState, type Call, type CallOf, type FrameworkInfo } from '../../mesos/schemas/index.js';
import type { AgentStatusUpdate, DevAgent } from '../agent/contract.js';
import { handleAccept } from './accept.js';
import { Allocator, allocateOn, releaseOn } from './allocator.js';
import { ResourceBag } from '../../mesos/resources.js';
import { masterStatus, stateFor, updateEvent, type MasterContext, type MasterSettings } from './context.js';
import { EventStream } from './event-stream.js';
import { JSON_MEDIA_TYPE, type MediaType } from './http-util.js';
import { capabilitiesOf, newFrameworkEntry, rolesOf, validateFrameworkInfo, validateRole } from './frameworks.js';
import { IdGenerator } from './ids.js';
import type { AgentEntry, AgentRemovalMode, FrameworkEntry, OfferEntry, RemovedAgent, TaskEntry } from './model.js';
import { explicitAnswer, handleReconcile } from './reconcile.js';
import { accountingForm } from './resource-format.js';

const MAX_COMPLETED_FRAMEWORKS = 50;
const MAX_COMPLETED_TASKS_PER_FRAMEWORK = 1000;

export interface CallResult {
  status: number;
  /** text/plain body for errors. */
  text?: string;
}

export interface MasterOptions {
  settings: MasterSettings;
  logger: Logger;
  now?: () => number;
  masterId?: string;
}

/** What a new leading master learns from the agents that re-register with it. */
export interface RecoveredState {
  agents: Array<{ agent: DevAgent; registeredTimeMs: number }>;
  tasks: Array<{ framework: FrameworkInfo & { id: { value: string } }; task: TaskEntry }>;
}

type FrameworkInfoWithId = FrameworkInfo & { id: { value: string } };

export class Master implements MasterContext {
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly settings: MasterSettings;
  readonly frameworks = new Map<string, FrameworkEntry>();
  readonly completedFrameworks: FrameworkEntry[] = [];
  readonly removedFrameworkIds = new Set<string>();
  readonly agents = new Map<string, AgentEntry>();
  readonly removedAgents = new Map<string, RemovedAgent>();
  readonly offers = new Map<string, OfferEntry>();
  readonly allocator: Allocator;
  readonly startTimeMs: number;
  readonly electedTimeMs: number;
  private readonly clock: () => number;
  private stopped = false;

  constructor(options: MasterOptions) {
    this.settings = options.settings;
    this.clock = options.now ?? Date.now;
    this.ids = new IdGenerator(options.masterId);
    this.logger = options.logger.child({ masterId: this.ids.masterId });
    this.allocator = new Allocator(this);
    this.startTimeMs = this.clock();
    this.electedTimeMs = this.startTimeMs;
  }

  now(): number {
    return this.clock();
  }

  start(): void {
    this.allocator.start();
  }

  get masterId(): string {
    return this.ids.masterId;
  }

  masterInfo(): Record<string, unknown> {
    return buildMasterInfo(this.settings, this.masterId);
  }

  send(fw: FrameworkEntry, event: object): void {
    if (fw.connected && fw.stream !== undefined) fw.stream.send(event);
  }

  // ---------------------------------------------------------------- agents

  addAgent(agent: DevAgent, registeredTimeMs = this.now()): AgentEntry {
    const entry: AgentEntry = {
      id: agent.info.id,
      agent,
      info: agent.info,
      total: accountingForm(agent.info.resources),
      allocated: new ResourceBag(),
      version: 0,
      registeredTimeMs,
    };
    this.agents.set(entry.id, entry);
    this.allocator.allocateSoon();
    return entry;
  }

  /**
   * The agent leaves (fault injection): its offers are rescinded, its tasks end
   * as Mesos reports them (TASK_UNREACHABLE or TASK_GONE_BY_OPERATOR, TASK_LOST
   * without PARTITION_AWARE, from SOURCE_MASTER) and every framework gets FAILURE.
   */
  removeAgent(agentId: string, mode: AgentRemovalMode): boolean {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return false;
    for (const offer of [...this.offers.values()]) if (offer.agentId === agentId) this.allocator.rescind(offer);
    this.agents.delete(agentId);
    const now = this.now();
    this.removedAgents.set(agentId, { id: agentId, mode, timeMs: now });
    for (const fw of this.frameworks.values()) {
      for (const task of [...fw.tasks.values()]) {
        if (task.agentId !== agentId) continue;
        const state = mode === 'unreachable' ? 'TASK_UNREACHABLE' : 'TASK_GONE_BY_OPERATOR';
        const status = masterStatus({
          taskId: task.taskId,
          state: stateFor(fw, state),
          message: mode === 'unreachable' ? `Agent ${agent.info.hostname} is unreachable` : `Agent ${agent.info.hostname} has been marked gone`,
          reason: mode === 'unreachable' ? 'REASON_AGENT_REMOVED' : 'REASON_AGENT_REMOVED_BY_OPERATOR',
          agentId,
          timestampMs: now,
        });
        if (mode === 'unreachable') status.unreachable_time = { nanoseconds: BigInt(now) * 1_000_000n };
        task.state = status.state;
        task.statuses.push(status);
        task.released = true;
        fw.tasks.delete(task.taskId);
        if (mode === 'unreachable') {
          task.unreachableTimeMs = now;
          fw.unreachableTasks.set(task.taskId, task);
        } else {
          this.complete(fw, task);
        }
        this.send(fw, updateEvent(status));
      }
      this.send(fw, { type: 'FAILURE', failure: { agent_id: { value: agentId } } });
    }
    return true;
  }

  /** A status update from an agent (first send or retry). */
  onStatusUpdate(update: AgentStatusUpdate): void {
    if (this.stopped) return;
    const fw = this.frameworks.get(update.frameworkId);
    const status = update.status;
    const task = fw?.tasks.get(status.task_id.value);
    if (fw === undefined || task === undefined) {
      this.logger.debug('status update for an unknown framework or task; dropped', { frameworkId: update.frameworkId, taskId: status.task_id.value });
      return;
    }
    task.state = update.latestState;
    if (status.uuid === undefined || !task.statuses.some((s) => s.uuid === status.uuid)) task.statuses.push(status);
    task.latestStatus = status;
    if (isTerminalTaskState(update.latestState)) this.release(task);
    if (!fw.connected) return;
    task.statusUpdateState = status.state;
    if (status.uuid !== undefined) task.statusUpdateUuid = status.uuid;
    this.send(fw, updateEvent(status));
  }

  private release(task: TaskEntry): void {
    if (task.released) return;
    task.released = true;
    const agent = this.agents.get(task.agentId);
    if (agent !== undefined && !releaseOn(agent, task.resources)) {
      this.logger.error('task resources were not allocated on their agent', { taskId: task.taskId, frameworkId: task.frameworkId, agentId: agent.id });
    }
  }

  private complete(fw: FrameworkEntry, task: TaskEntry): void {
    this.release(task);
    fw.tasks.delete(task.taskId);
    fw.completedTasks.push(task);
    if (fw.completedTasks.length > MAX_COMPLETED_TASKS_PER_FRAMEWORK) fw.completedTasks.shift();
  }

  private launch(fw: FrameworkEntry, task: TaskEntry): void {
    const agent = this.agents.get(task.agentId);
    if (agent === undefined) return;
    try {
      // Mesos injects the offer's allocation_info into the task's resources before the agent sees them.
      const resources = (task.info.resources ?? []).map((r) => ({ ...r, allocation_info: { role: task.role } }));
      agent.agent.launchTask(fw.info, { ...task.info, resources });
    } catch (err) {
      this.logger.error('agent failed to take a task', { err, frameworkId: fw.id, taskId: task.taskId, agentId: task.agentId });
    }
  }

  // ------------------------------------------------------------ frameworks

  /** SUBSCRIBE after the HTTP checks: answers 200 and streams (SUBSCRIBED or one ERROR). */
  subscribe(call: CallOf<'SUBSCRIBE'>, res: ServerResponse, mediaType: MediaType = JSON_MEDIA_TYPE): void {
    const sub = call.subscribe;
    const info = sub.framework_info;
    const suppressed = sub.suppressed_roles ?? [];
    let fw: FrameworkEntry | undefined;
    const stream = new EventStream(res, {
      mediaType,
      heartbeatIntervalMs: this.settings.heartbeatIntervalMs,
      logger: this.logger,
      onClientClose: () => {
        if (fw !== undefined && fw.stream === stream) this.disconnect(fw);
      },
    });
    stream.open();
    const refuse = (message: string) => stream.end({ type: 'ERROR', error: { message } });

    const invalid = validateFrameworkInfo(info, suppressed);
    if (invalid !== undefined) return refuse(invalid);
    const requestedId = info.id?.value ?? '';
    const now = this.now();
    if (requestedId !== '') {
      if (this.removedFrameworkIds.has(requestedId)) return refuse('Framework has been removed');
      const known = this.frameworks.get(requestedId);
      if (known !== undefined) {
        if ((known.info.principal ?? '') !== (info.principal ?? '') && !known.recovered) return refuse("Changing framework's principal is not allowed.");
        fw = known;
        const wasActive = known.active && known.connected;
        if (known.stream !== undefined && known.stream.isOpen) known.stream.end({ type: 'ERROR', error: { message: 'Framework failed over' } });
        // Outstanding offers are discarded without RESCIND; their resources come back at the next allocation.
        for (const id of [...known.offers]) {
          const offer = this.offers.get(id);
          if (offer !== undefined) this.allocator.removeOffer(offer);
        }
        if (known.failoverTimer !== undefined) clearTimeout(known.failoverTimer);
        known.failoverTimer = undefined;
        this.applyInfo(known, info, suppressed, true);
        known.reregisteredTimeMs = now;
        known.unregisteredTimeMs = undefined;
        known.recovered = false;
        this.attach(known, stream, !wasActive);
        return;
      }
    }
    const id = requestedId !== '' ? requestedId : this.ids.frameworkId();
    const entry = newFrameworkEntry({ ...info, id: { value: id } }, { nowMs: now, suppressedRoles: suppressed });
    fw = entry;
    this.frameworks.set(id, entry);
    this.logger.info('framework subscribed', { frameworkId: id, name: info.name });
    this.attach(entry, stream, true);
  }

  private attach(fw: FrameworkEntry, stream: EventStream, allocateNow: boolean): void {
    fw.stream = stream;
    fw.connected = true;
    fw.active = true;
    stream.send({
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: fw.id },
        heartbeat_interval_seconds: this.settings.heartbeatIntervalMs / 1000,
        master_info: this.masterInfo(),
      },
    });
    stream.startHeartbeats();
    if (allocateNow) this.allocator.allocateSoon();
  }

  /** Re-subscription keeps user and checkpoint (Mesos ignores changes to them); the rest is updated. */
  private applyInfo(fw: FrameworkEntry, info: FrameworkInfo, suppressed: readonly string[], keepUserAndCheckpoint: boolean): void {
    const next: FrameworkInfoWithId = { ...info, id: { value: fw.id } };
    if (keepUserAndCheckpoint) {
      next.user = fw.info.user;
      if (fw.info.checkpoint !== undefined) next.checkpoint = fw.info.checkpoint;
      else delete next.checkpoint;
    }
    const oldRoles = fw.roles;
    fw.info = next;
    fw.capabilities = capabilitiesOf(next);
    fw.roles = rolesOf(next);
    const leftSuppressed = [...fw.suppressedRoles].filter((r) => !suppressed.includes(r));
    fw.suppressedRoles = new Set(suppressed);
    this.allocator.clearFilters(fw, leftSuppressed);
    for (const id of [...fw.offers]) {
      const offer = this.offers.get(id);
      if (offer !== undefined && !fw.roles.includes(offer.role)) this.allocator.rescind(offer);
    }
    if (oldRoles.some((r) => !fw.roles.includes(r))) this.allocator.clearFilters(fw, oldRoles.filter((r) => !fw.roles.includes(r)));
  }

  /** The subscription's connection closed: offers go away, tasks keep running until failover_timeout. */
  disconnect(fw: FrameworkEntry): void {
    if (!fw.connected) return;
    fw.connected = false;
    fw.active = false;
    fw.stream = undefined;
    fw.unregisteredTimeMs = this.now();
    // The allocator drops a deactivated framework's decline filters (the recording shows an offer right after re-SUBSCRIBE).
    this.allocator.forget(fw.id);
    for (const id of [...fw.offers]) {
      const offer = this.offers.get(id);
      if (offer !== undefined) this.allocator.removeOffer(offer);
    }
    const timeoutMs = Math.max(0, (fw.info.failover_timeout ?? 0) * 1000);
    this.logger.info('framework disconnected', { frameworkId: fw.id, failoverTimeoutMs: timeoutMs });
    if (timeoutMs === 0) {
      this.removeFramework(fw);
      return;
    }
    fw.failoverTimer = setTimeout(() => {
      fw.failoverTimer = undefined;
      try {
        if (!fw.connected && this.frameworks.get(fw.id) === fw) this.removeFramework(fw);
      } catch (err) {
        this.logger.error('removing a framework after its failover timeout failed', { err, frameworkId: fw.id });
      }
    }, Math.min(timeoutMs, 2 ** 31 - 1));
    fw.failoverTimer.unref();
  }

  /** TEARDOWN / failover timeout: tasks killed (recorded in the master only), framework completed, stream ended. */
  removeFramework(fw: FrameworkEntry): void {
    if (this.frameworks.get(fw.id) !== fw) return;
    const now = this.now();
    for (const id of [...fw.offers]) {
      const offer = this.offers.get(id);
      if (offer !== undefined) this.allocator.removeOffer(offer);
    }
    if (fw.failoverTimer !== undefined) clearTimeout(fw.failoverTimer);
    for (const task of [...fw.tasks.values(), ...fw.unreachableTasks.values()]) {
      if (!isTerminalTaskState(task.state)) {
        const status = masterStatus({
          taskId: task.taskId,
          state: 'TASK_KILLED',
          message: `Framework ${fw.id} removed`,
          reason: 'REASON_FRAMEWORK_REMOVED',
          agentId: task.agentId,
          timestampMs: now,
        });
        task.state = 'TASK_KILLED';
        task.statuses.push(status);
      }
      this.complete(fw, task);
    }
    fw.unreachableTasks.clear();
    for (const agent of this.agents.values()) {
      try {
        agent.agent.shutdownFramework(fw.id);
      } catch (err) {
        this.logger.error('agent failed to shut a framework down', { err, frameworkId: fw.id, agentId: agent.id });
      }
    }
    this.allocator.forget(fw.id);
    fw.connected = false;
    fw.active = false;
    fw.unregisteredTimeMs = now;
    const stream = fw.stream;
    fw.stream = undefined;
    stream?.end();
    this.frameworks.delete(fw.id);
    this.removedFrameworkIds.add(fw.id);
    this.completedFrameworks.push(fw);
    if (this.completedFrameworks.length > MAX_COMPLETED_FRAMEWORKS) this.completedFrameworks.shift();
    this.logger.info('framework removed', { frameworkId: fw.id });
  }

  /** Every non-SUBSCRIBE call from a connected framework with the right stream id (spec §3 row 17). */
  handleCall(fw: FrameworkEntry, call: Call): CallResult {
    switch (call.type) {
      case 'TEARDOWN':
        this.removeFramework(fw);
        break;
      case 'ACCEPT':
        handleAccept({ ctx: this, allocator: this.allocator, launch: (f, t) => this.launch(f, t) }, fw, call.accept);
        break;
      case 'DECLINE':
        for (const o of call.decline.offer_ids ?? []) {
          const offer = this.offers.get(o.value);
          if (offer !== undefined && offer.frameworkId === fw.id) this.allocator.removeOffer(offer, call.decline.filters ?? {});
        }
        break;
      case 'REVIVE': {
        const roles = this.rolesArgument(fw, call.revive?.roles);
        if (roles === undefined) break;
        for (const r of roles) fw.suppressedRoles.delete(r);
        this.allocator.clearFilters(fw, roles);
        this.allocator.allocateSoon();
        break;
      }
      case 'SUPPRESS': {
        const roles = this.rolesArgument(fw, call.suppress?.roles);
        if (roles === undefined) break;
        for (const r of roles) fw.suppressedRoles.add(r);
        break;
      }
      case 'KILL':
        this.kill(fw, call.kill.task_id.value, call.kill.agent_id?.value, call.kill.kill_policy);
        break;
      case 'SHUTDOWN': {
        // Command executors only: the executor id is the task id.
        const agent = this.agents.get(call.shutdown.agent_id.value);
        const task = fw.tasks.get(call.shutdown.executor_id.value);
        if (agent !== undefined && task !== undefined && task.agentId === agent.id) agent.agent.killTask(fw.id, task.taskId);
        break;
      }
      case 'ACKNOWLEDGE':
        this.acknowledge(fw, call.acknowledge.agent_id.value, call.acknowledge.task_id.value, call.acknowledge.uuid);
        break;
      case 'RECONCILE':
        handleReconcile(this, fw, call.reconcile);
        break;
      case 'RECONCILE_OPERATIONS':
        for (const op of call.reconcile_operations.operations ?? []) {
          const status: Record<string, unknown> = { operation_id: op.operation_id, state: 'OPERATION_UNKNOWN' };
          if (op.agent_id !== undefined) status.agent_id = op.agent_id;
          this.send(fw, { type: 'UPDATE_OPERATION_STATUS', update_operation_status: { status } });
        }
        break;
      case 'UPDATE_FRAMEWORK':
        return this.updateFramework(fw, call.update_framework.framework_info, call.update_framework.suppressed_roles ?? []);
      case 'UNKNOWN':
        return { status: 501, text: '501 Not Implemented.' };
      case 'MESSAGE':
      case 'REQUEST':
      case 'ACCEPT_INVERSE_OFFERS':
      case 'DECLINE_INVERSE_OFFERS':
      case 'ACKNOWLEDGE_OPERATION_STATUS':
        // No executors to message, no maintenance, no operations with feedback in the devcluster.
        break;
      case 'SUBSCRIBE':
        return { status: 500, text: 'SUBSCRIBE reached handleCall' };
    }
    return { status: 202 };
  }

  /** Roles of REVIVE/SUPPRESS: empty = all; any invalid or unsubscribed role drops the whole call. */
  private rolesArgument(fw: FrameworkEntry, roles: string[] | undefined): string[] | undefined {
    if (roles === undefined || roles.length === 0) return [...fw.roles];
    for (const r of roles) {
      if (validateRole(r) !== undefined || !fw.roles.includes(r)) {
        this.logger.warn('REVIVE/SUPPRESS with a role the framework is not subscribed to; call dropped', { frameworkId: fw.id, role: r });
        return undefined;
      }
    }
    return roles;
  }

  private kill(fw: FrameworkEntry, taskId: string, agentId: string | undefined, killPolicy: CallOf<'KILL'>['kill']['kill_policy']): void {
    const task = fw.tasks.get(taskId);
    if (task === undefined) {
      this.send(fw, updateEvent(explicitAnswer(this, fw, taskId, agentId)));
      return;
    }
    if (agentId !== undefined && agentId !== task.agentId) return;
    const agent = this.agents.get(task.agentId);
    agent?.agent.killTask(fw.id, taskId, killPolicy);
  }

  private acknowledge(fw: FrameworkEntry, agentId: string, taskId: string, uuid: string): void {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return;
    const task = fw.tasks.get(taskId);
    if (task !== undefined && task.agentId === agentId && task.statusUpdateUuid === uuid && task.statusUpdateState !== undefined && isTerminalTaskState(task.statusUpdateState)) {
      this.complete(fw, task);
    }
    agent.agent.acknowledge(fw.id, taskId, uuid);
  }

  private updateFramework(fw: FrameworkEntry, info: FrameworkInfo, suppressed: string[]): CallResult {
    const invalid = validateFrameworkInfo({ ...info }, []);
    if (invalid !== undefined) return { status: 400, text: `Supplied FrameworkInfo is not valid: ${invalid}` };
    if (info.user !== fw.info.user) {
      return { status: 400, text: `FrameworkInfo update is not valid: Updating 'FrameworkInfo.user' is unsupported; attempted to update from '${fw.info.user}' to '${info.user}'` };
    }
    if ((info.checkpoint ?? false) !== (fw.info.checkpoint ?? false)) {
      return {
        status: 400,
        text: `FrameworkInfo update is not valid: Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from '${String(fw.info.checkpoint ?? false)}' to '${String(info.checkpoint ?? false)}'`,
      };
    }
    if ((info.principal ?? '') !== (fw.info.principal ?? '')) return { status: 400, text: "FrameworkInfo update is not valid: Changing framework's principal is not allowed." };
    const roles = new Set(rolesOf(info));
    const outside = suppressed.filter((r) => !roles.has(r));
    if (outside.length > 0) return { status: 400, text: `'UpdateFramework' call is not valid: Suppressed roles { ${outside.join(', ')} } are not contained in the set of roles` };
    this.applyInfo(fw, info, suppressed, false);
    this.allocator.allocateSoon();
    return { status: 200 };
  }

  /** A single offer rescinded (fault injection); false when there is no such offer. */
  rescindOffer(offerId: string): boolean {
    const offer = this.offers.get(offerId);
    if (offer === undefined) return false;
    this.allocator.rescind(offer);
    return true;
  }

  /** Builds this (new leading) master's state from what the agents report: agents, their tasks and those tasks' frameworks. */
  recoverFrom(state: RecoveredState): void {
    for (const { agent, registeredTimeMs } of state.agents) {
      const entry = this.addAgent(agent, registeredTimeMs);
      entry.reregisteredTimeMs = this.now();
    }
    for (const { framework, task } of state.tasks) {
      let fw = this.frameworks.get(framework.id.value);
      if (fw === undefined) {
        fw = newFrameworkEntry(framework, { nowMs: this.now(), recovered: true });
        this.frameworks.set(fw.id, fw);
      }
      const copy: TaskEntry = { ...task, statuses: [...task.statuses], released: false };
      fw.tasks.set(copy.taskId, copy);
      const agent = this.agents.get(copy.agentId);
      if (agent !== undefined && !isTerminalTaskState(copy.state)) allocateOn(agent, copy.resources);
      else copy.released = true;
    }
  }

  /** What agents would report to the next leading master. */
  snapshotForFailover(): RecoveredState {
    const tasks: RecoveredState['tasks'] = [];
    for (const fw of this.frameworks.values()) {
      for (const task of fw.tasks.values()) if (this.agents.has(task.agentId)) tasks.push({ framework: fw.info, task });
    }
    return { agents: [...this.agents.values()].map((a) => ({ agent: a.agent, registeredTimeMs: a.registeredTimeMs })), tasks };
  }

  /** Ends every stream (clients see EOF, as when a master process dies) and every timer. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.allocator.stop();
    for (const offer of this.offers.values()) if (offer.timer !== undefined) clearTimeout(offer.timer);
    for (const fw of this.frameworks.values()) {
      if (fw.failoverTimer !== undefined) clearTimeout(fw.failoverTimer);
      const stream = fw.stream;
      fw.stream = undefined;
      fw.connected = false;
      stream?.destroy();
    }
  }

  findFramework(id: string): FrameworkEntry | undefined {
    return this.frameworks.get(id);
  }
}

/** MasterInfo of a master with these settings (the leader's in SUBSCRIBED and GET_MASTER; every master's in ZooKeeper). */
export function buildMasterInfo(s: MasterSettings, id: string): Record<string, unknown> {
  const octets = s.ip.split('.').map(Number);
  const packed = octets.length === 4 && octets.every((o) => Number.isInteger(o) && o >= 0 && o < 256)
    ? ((octets[0] as number) + (octets[1] as number) * 256 + (octets[2] as number) * 65536 + (octets[3] as number) * 16777216)
    : 0;
  return {
    id,
    ip: packed,
    port: s.port,
    pid: `master@${s.ip}:${s.port}`,
    hostname: s.hostname,
    version: s.version,
    address: { hostname: s.hostname, ip: s.ip, port: s.port },
    capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
  };
}
