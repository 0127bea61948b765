// The Mesos v1 scheduler API client: one SUBSCRIBE stream plus one method
// per call. It holds what a subscription establishes (framework id, stream
// id, leader) because every call must carry it and go to that leader.
import type { Agent } from 'undici';
import type { SchedulerClientConfig, SchedulerClientOptions } from './config.js';
import { compileConfig } from './config.js';
import type {
  CallInput,
  CallRequest,
  Filters,
  FrameworkInfo,
  KillPolicy,
  MasterInfo,
  OfferConstraints,
  Operation,
  OperationStatus,
  SubscribedEvent,
  TaskStatus,
} from '../schemas/index.js';
import type { CallWithoutFrameworkId } from './codec.js';
import { encodeCall } from './codec.js';
import { createDispatcher, headerValue, postToLeader, readText } from './http.js';
import type { MesosResponse } from './http.js';
import { InvalidCallError, MastersUnreachableError, MesosUnexpectedStatusError, NotSubscribedError, SubscriptionActiveError, httpErrorFor } from './errors.js';
import { Subscription } from './subscription.js';
import type { LeaderDetector, LeaderStatus } from '../leader/detector.js';
import { createZkLeaderDetector } from '../leader/zk-detector.js';

/** An id given either as its Mesos message (`{value}`) or as the bare string. */
export type IdLike = string | { value: string };

export interface CallOptions {
  signal?: AbortSignal;
}

export interface SubscribeOptions {
  signal?: AbortSignal;
  suppressedRoles?: string[];
  offerConstraints?: OfferConstraints;
}

export interface UpdateFrameworkOptions extends CallOptions {
  suppressedRoles?: string[];
  offerConstraints?: OfferConstraints;
}

export interface ReconcileTask {
  task_id: IdLike;
  agent_id?: IdLike | undefined;
}

export interface ReconcileOperation {
  operation_id: IdLike;
  agent_id?: IdLike | undefined;
  resource_provider_id?: IdLike | undefined;
}

function toId(id: IdLike): { value: string } {
  return typeof id === 'string' ? { value: id } : id;
}

// Call types whose success answer is 200, not 202.
const SYNC_CALLS = new Set(['UPDATE_FRAMEWORK']);

export class SchedulerClient {
  readonly config: SchedulerClientConfig;
  private readonly callDispatcher: Agent;
  private state: {
    frameworkId?: string | undefined;
    streamId?: string | undefined;
    leaderUrl?: string | undefined;
    heartbeatIntervalSeconds?: number | undefined;
    masterInfo?: MasterInfo | undefined;
  } = {};
  private active: Subscription | undefined;
  private tearingDown = false;
  /** Finds the leader of a zk:// master; undefined with master URLs. */
  private readonly detector: LeaderDetector | undefined;
  private readonly ownsDetector: boolean;
  private readonly stopFollowing: (() => void) | undefined;

  constructor(options: SchedulerClientOptions) {
    this.config = compileConfig(options);
    this.callDispatcher = createDispatcher(this.config, false);
    const zk = this.config.zk;
    this.ownsDetector = this.config.leaderDetector === undefined && zk !== undefined;
    this.detector =
      this.config.leaderDetector ??
      (zk !== undefined ? createZkLeaderDetector({ spec: zk, logger: this.config.logger, sessionTimeoutMs: this.config.zkSessionTimeoutMs }) : undefined);
    this.stopFollowing = this.detector?.onChange((s) => this.onLeaderChange(s));
  }

  /**
   * A new leader in ZooKeeper: the stream to the old one is closed, so the
   * owner's loop subscribes again (same framework id) — to the new leader, as
   * Mesos's scheduler library does on a detected change. Losing the leader
   * (none known) leaves the stream alone: the master may well still lead.
   */
  private onLeaderChange(status: LeaderStatus): void {
    const current = this.state.leaderUrl;
    if (status.leader === undefined || !this.active?.live || current === undefined || status.leader === current) return;
    this.config.logger.warn('the leading Mesos master changed; closing the stream to the old one to subscribe to the new one', {
      from: current,
      to: status.leader,
      frameworkId: this.state.frameworkId,
      source: status.source,
    });
    this.active.close();
  }

  /** The detector following the leader of a zk:// master (undefined with master URLs). */
  get leaderDetector(): LeaderDetector | undefined {
    return this.detector;
  }

  /** How the leader is found when masters is zk:// (undefined with master URLs). */
  leaderStatus(): LeaderStatus | undefined {
    return this.detector?.status();
  }

  /** The framework id from the last SUBSCRIBED event. */
  get frameworkId(): string | undefined {
    return this.state.frameworkId;
  }
  /** The Mesos-Stream-Id of the open subscription (undefined when none is open). */
  get streamId(): string | undefined {
    return this.state.streamId;
  }
  /** Base URL of the master that answered the last SUBSCRIBE (after redirects). */
  get leaderUrl(): string | undefined {
    return this.state.leaderUrl;
  }
  get heartbeatIntervalSeconds(): number | undefined {
    return this.state.heartbeatIntervalSeconds;
  }
  get masterInfo(): MasterInfo | undefined {
    return this.state.masterInfo;
  }
  /** True while a subscription stream is open. */
  get subscribed(): boolean {
    return this.state.streamId !== undefined;
  }

  /**
   * Opens the event stream. The request is sent when iteration starts. With
   * `frameworkInfo.id` set this resubscribes (failover) and sets the call's
   * top-level framework_id too, as Mesos requires.
   */
  subscribe(frameworkInfo: FrameworkInfo, options: SubscribeOptions = {}): Subscription {
    if (this.active?.live) throw new SubscriptionActiveError();
    // One that was never iterated holds nothing: it is simply replaced.
    this.active?.close();
    const id = frameworkInfo.id?.value;
    const call: CallInput = {
      type: 'SUBSCRIBE',
      ...(id ? { framework_id: { value: id } } : {}),
      subscribe: {
        framework_info: frameworkInfo,
        ...(options.suppressedRoles?.length ? { suppressed_roles: options.suppressedRoles } : {}),
        ...(options.offerConstraints ? { offer_constraints: options.offerConstraints } : {}),
      },
    };
    const masters = [...new Set([...(this.state.leaderUrl ? [this.state.leaderUrl] : []), ...this.config.masters])];
    const detector = this.detector;
    const sub: Subscription = new Subscription({
      config: this.config,
      masters,
      // With ZooKeeper, the leader it names now, not the one of the last stream.
      resolveMasters: detector ? async (signal) => [await detector.leader({ timeoutMs: this.config.leaderWaitMs, signal })] : undefined,
      body: encodeCall(call),
      frameworkId: id,
      signal: options.signal,
      hooks: {
        opened: ({ streamId, leaderUrl }) => {
          this.tearingDown = false;
          this.state = { ...this.state, streamId, leaderUrl, heartbeatIntervalSeconds: undefined };
        },
        subscribed: (event: SubscribedEvent) => {
          const s = event.subscribed;
          this.state = {
            ...this.state,
            frameworkId: s.framework_id.value,
            heartbeatIntervalSeconds: s.heartbeat_interval_seconds === undefined ? undefined : Number(s.heartbeat_interval_seconds),
            masterInfo: s.master_info,
          };
        },
        closed: () => {
          if (this.active === sub) {
            this.state = { ...this.state, streamId: undefined };
            this.active = undefined;
          }
        },
        expectingEnd: () => this.tearingDown,
        rejectedOffers: (ids) => {
          this.decline(ids, { refuse_seconds: this.config.malformedOfferRefuseSeconds }).catch((err: unknown) =>
            this.config.logger.warn('DECLINE of malformed offers failed', { err, offers: ids }),
          );
        },
      },
    });
    this.active = sub;
    return sub;
  }

  /**
   * Sends one call to the leader with the subscription's Mesos-Stream-Id,
   * filling in framework_id. Resolves on 202 (200 for UPDATE_FRAMEWORK);
   * any other answer is a MesosHttpError subclass with the master's text.
   */
  async call(call: CallWithoutFrameworkId, options: CallOptions = {}): Promise<void> {
    const { streamId, leaderUrl, frameworkId } = this.state;
    if (streamId === undefined || leaderUrl === undefined) throw new NotSubscribedError(call.type);
    const fid = call.framework_id?.value ?? frameworkId;
    if (fid === undefined) throw new NotSubscribedError(call.type);
    const full = { ...call, framework_id: { value: fid } } as CallInput;
    let res: MesosResponse;
    try {
      // Only the leader holding our stream can take the call: no walk over the other masters.
      res = await postToLeader(this.config, [leaderUrl], {
        callType: call.type,
        body: encodeCall(full),
        streamId,
        dispatcher: this.callDispatcher,
        signal: options.signal,
      });
    } catch (err) {
      if (err instanceof MastersUnreachableError && err.errors.length === 1) throw err.errors[0];
      throw err;
    }
    const expected = SYNC_CALLS.has(call.type) ? 200 : 202;
    if (res.status === expected) {
      await res.body.dump().catch(() => undefined);
      return;
    }
    const text = await readText(res).catch(() => '');
    if (res.status >= 200 && res.status < 300) throw new MesosUnexpectedStatusError(res.status, text, call.type, res.url);
    throw httpErrorFor(res.status, text, call.type, res.url, headerValue(res.headers, 'www-authenticate'));
  }

  /** Removes the framework: Mesos kills its tasks and ends the stream (the iteration then ends without error). */
  async teardown(options: CallOptions = {}): Promise<void> {
    this.tearingDown = true;
    try {
      await this.call({ type: 'TEARDOWN' }, options);
    } catch (err) {
      this.tearingDown = false;
      throw err;
    }
  }

  accept(offerIds: IdLike[], operations: Operation[], filters?: Filters, options: CallOptions = {}): Promise<void> {
    return this.call({ type: 'ACCEPT', accept: { offer_ids: offerIds.map(toId), operations, ...(filters ? { filters } : {}) } }, options);
  }

  decline(offerIds: IdLike[], filters?: Filters, options: CallOptions = {}): Promise<void> {
    return this.call({ type: 'DECLINE', decline: { offer_ids: offerIds.map(toId), ...(filters ? { filters } : {}) } }, options);
  }

  /** No roles = all the framework's roles. */
  revive(roles?: string[], options: CallOptions = {}): Promise<void> {
    return this.call({ type: 'REVIVE', ...(roles?.length ? { revive: { roles } } : {}) }, options);
  }

  /** No roles = all the framework's roles. */
  suppress(roles?: string[], options: CallOptions = {}): Promise<void> {
    return this.call({ type: 'SUPPRESS', ...(roles?.length ? { suppress: { roles } } : {}) }, options);
  }

  kill(taskId: IdLike, agentId?: IdLike, killPolicy?: KillPolicy, options: CallOptions = {}): Promise<void> {
    return this.call(
      {
        type: 'KILL',
        kill: { task_id: toId(taskId), ...(agentId !== undefined ? { agent_id: toId(agentId) } : {}), ...(killPolicy ? { kill_policy: killPolicy } : {}) },
      },
      options,
    );
  }

  shutdown(executorId: IdLike, agentId: IdLike, options: CallOptions = {}): Promise<void> {
    return this.call({ type: 'SHUTDOWN', shutdown: { executor_id: toId(executorId), agent_id: toId(agentId) } }, options);
  }

  /**
   * Acknowledges a status update. Updates without a uuid (generated by the
   * master: reconciliation answers, invalid offers, validation errors) must
   * not be acknowledged: for those nothing is sent and the result is false.
   */
  async acknowledge(status: TaskStatus, options: CallOptions = {}): Promise<boolean> {
    if (status.uuid === undefined || status.uuid === '') {
      this.config.logger.debug('not acknowledging a status update without uuid', {
        taskId: status.task_id.value,
        state: status.state,
        source: status.source,
        reason: status.reason,
      });
      return false;
    }
    if (status.agent_id === undefined) throw new InvalidCallError(`ACKNOWLEDGE: status of task ${status.task_id.value} has a uuid but no agent_id`, 'ACKNOWLEDGE');
    await this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } }, options);
    return true;
  }

  /** Acknowledges an UPDATE_OPERATION_STATUS; like acknowledge(), sends nothing (false) when the status has no uuid. */
  async acknowledgeOperationStatus(status: OperationStatus, options: CallOptions = {}): Promise<boolean> {
    const uuid = status.uuid?.value;
    if (uuid === undefined || uuid === '') {
      this.config.logger.debug('not acknowledging an operation status without uuid', { operationId: status.operation_id?.value, state: status.state });
      return false;
    }
    if (status.agent_id === undefined || status.operation_id === undefined) {
      throw new InvalidCallError('ACKNOWLEDGE_OPERATION_STATUS: the status needs agent_id and operation_id', 'ACKNOWLEDGE_OPERATION_STATUS');
    }
    await this.call(
      {
        type: 'ACKNOWLEDGE_OPERATION_STATUS',
        acknowledge_operation_status: {
          agent_id: status.agent_id,
          ...(status.resource_provider_id !== undefined ? { resource_provider_id: status.resource_provider_id } : {}),
          uuid,
          operation_id: status.operation_id,
        },
      },
      options,
    );
    return true;
  }

  /** Explicit reconciliation of the given tasks; an empty list asks for implicit reconciliation (all tasks). */
  reconcile(tasks: ReconcileTask[] = [], options: CallOptions = {}): Promise<void> {
    return this.call(
      {
        type: 'RECONCILE',
        reconcile: { tasks: tasks.map((t) => ({ task_id: toId(t.task_id), ...(t.agent_id !== undefined ? { agent_id: toId(t.agent_id) } : {}) })) },
      },
      options,
    );
  }

  /** Empty list = all operations known to the master. */
  reconcileOperations(operations: ReconcileOperation[] = [], options: CallOptions = {}): Promise<void> {
    return this.call(
      {
        type: 'RECONCILE_OPERATIONS',
        reconcile_operations: {
          operations: operations.map((o) => ({
            operation_id: toId(o.operation_id),
            ...(o.agent_id !== undefined ? { agent_id: toId(o.agent_id) } : {}),
            ...(o.resource_provider_id !== undefined ? { resource_provider_id: toId(o.resource_provider_id) } : {}),
          })),
        },
      },
      options,
    );
  }

  /** Sends `dataBase64` (standard base64) to an executor, best effort. */
  message(agentId: IdLike, executorId: IdLike, dataBase64: string, options: CallOptions = {}): Promise<void> {
    return this.call({ type: 'MESSAGE', message: { agent_id: toId(agentId), executor_id: toId(executorId), data: dataBase64 } }, options);
  }

  request(requests: NonNullable<CallRequest['requests']>, options: CallOptions = {}): Promise<void> {
    return this.call({ type: 'REQUEST', request: { requests } }, options);
  }

  acceptInverseOffers(inverseOfferIds: IdLike[], filters?: Filters, options: CallOptions = {}): Promise<void> {
    return this.call({ type: 'ACCEPT_INVERSE_OFFERS', accept_inverse_offers: { inverse_offer_ids: inverseOfferIds.map(toId), ...(filters ? { filters } : {}) } }, options);
  }

  declineInverseOffers(inverseOfferIds: IdLike[], filters?: Filters, options: CallOptions = {}): Promise<void> {
    return this.call({ type: 'DECLINE_INVERSE_OFFERS', decline_inverse_offers: { inverse_offer_ids: inverseOfferIds.map(toId), ...(filters ? { filters } : {}) } }, options);
  }

  /** UPDATE_FRAMEWORK (answered 200). framework_info.id defaults to the subscribed framework id. */
  updateFramework(frameworkInfo: FrameworkInfo, options: UpdateFrameworkOptions = {}): Promise<void> {
    const id = frameworkInfo.id?.value ?? this.state.frameworkId;
    if (id === undefined) return Promise.reject(new NotSubscribedError('UPDATE_FRAMEWORK'));
    return this.call(
      {
        type: 'UPDATE_FRAMEWORK',
        framework_id: { value: id },
        update_framework: {
          framework_info: { ...frameworkInfo, id: { value: id } },
          ...(options.suppressedRoles ? { suppressed_roles: options.suppressedRoles } : {}),
          ...(options.offerConstraints ? { offer_constraints: options.offerConstraints } : {}),
        },
      },
      options.signal ? { signal: options.signal } : {},
    );
  }

  /** Closes the open subscription (if any) and the call connections. */
  async close(): Promise<void> {
    this.active?.close();
    this.stopFollowing?.();
    if (this.ownsDetector) await this.detector?.close().catch(() => undefined);
    await this.callDispatcher.close().catch(() => undefined);
  }
}

