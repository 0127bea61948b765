// The framework session: the one live subscription of a framework, in the
// process that holds it. It re-subscribes (same framework id) after any
// disconnect, holds offers and matches waiting jobs against them, packs the
// launches that share an offer into one ACCEPT, declines the rest with a
// refuse filter, SUPPRESSes when nobody waits and REVIVEs when someone does,
// routes every status update to its job workflow and acknowledges it only
// after Temporal accepted the signal, and reconciles after every subscribe
// and periodically.
import { setMaxListeners } from 'node:events';
import { hostname as osHostname } from 'node:os';
import type { Logger } from '../../common/logger.js';
import { SchedulerClient } from '../../mesos/client/index.js';
import { isKnownEvent, type Event, type FrameworkInfo, type TaskStatus } from '../../mesos/schemas/index.js';
import type { JobSpec } from '../../workflows/job-spec.js';
import type { MatchReasonSummary } from '../../workflows/progress.js';
import type { AwaitOfferResult, KillRequest, LaunchRequest, LaunchResult, OfferLease, ReconcileRequest, TaskUpdateSignal } from '../contract.js';
import { buildTaskInfo } from './task-info.js';
import { buildFrameworkInfo } from './framework-info.js';
import { OfferRevival } from './offer-revival.js';
import { keepSubscribed } from './subscription-loop.js';
import { HeldOffers } from './held-offers.js';
import { KnownTasks } from './known-tasks.js';
import type { SessionSettings } from './session-settings.js';
import { Samples, StatusRouter, type SignalOutcome } from './status-router.js';
import { SubscribedGate } from './subscribed-gate.js';
import { masterDoesNotKnow, TaskProbes } from './task-probes.js';
import { demandFromSpec, uniqueGroups } from './demand.js';
import { summarize, type Waiter } from './offer-book.js';
import { WaitingJobs } from './waiting-jobs.js';

export type { SignalOutcome } from './status-router.js';

export interface FrameworkSessionOptions {
  frameworkName: string;
  frameworkId: string | undefined;
  /** Compiled once by the worker (session-settings.ts). */
  settings: SessionSettings;
  logger: Logger;
  /** Delivers an update to the job workflow; resolves once Temporal accepted it. */
  signalJob(workflowId: string, update: TaskUpdateSignal): Promise<SignalOutcome>;
  /** Called (and awaited in the background) whenever Mesos assigned or confirmed the framework id. */
  onFrameworkId(frameworkId: string): Promise<void>;
}

export class SessionClosedError extends Error {
  constructor(frameworkName: string) {
    super(`the session of framework ${frameworkName} is not running here any more`);
    this.name = 'SessionClosedError';
  }
}

/** How long the answer to a launch is kept for a retry of the same launch. */
const LAUNCH_ANSWER_KEPT_MS = 10 * 60_000;

export class FrameworkSession {
  readonly client: SchedulerClient;
  private readonly opts: FrameworkSessionOptions;
  private readonly log: Logger;
  private frameworkIdValue: string | undefined;
  private readonly waiting = new WaitingJobs();
  private readonly tasks = new KnownTasks();
  /** Launch answers by lease id, for a launch retried within LAUNCH_ANSWER_KEPT_MS (forgotten by the minute sweep). */
  private readonly launchedLeases = new Map<string, { result: LaunchResult; at: number }>();
  private readonly probes = new TaskProbes();
  private readonly gate: SubscribedGate;
  private isSubscribed = false;
  /** Why the last SUBSCRIBE failed (shown to waiting jobs); undefined once subscribed. */
  private subscribeProblem: string | undefined;
  private readonly revival: OfferRevival;
  private readonly held: HeldOffers;
  private readonly router: StatusRouter;
  private closed = false;
  private readonly abort = new AbortController();
  /** Counters for logs and tests. */
  readonly stats = {
    subscribes: 0,
    offers: 0,
    accepts: 0,
    launches: 0,
    declines: 0,
    /** Declines of an offer some waiting job would have fitted (the policy says: none). */
    declinesWhileFitting: 0,
    /** Time spent matching waiting jobs against offers, and in how many rounds. */
    matchMs: 0,
    matchRounds: 0,
    peakWaiters: 0,
    matchMsAtPeak: 0,
    revives: 0,
    suppresses: 0,
    updates: 0,
    acks: 0,
    /** Heartbeats the job attempts (placeAndLaunch) recorded: Temporal Cloud bills them. */
    heartbeats: 0,
  };
  /** Milliseconds from each update's arrival to its acknowledgement (benchmarks). */
  readonly ackLatency = new Samples();

  constructor(opts: FrameworkSessionOptions) {
    this.opts = opts;
    this.log = opts.logger.child({ framework: opts.frameworkName });
    this.frameworkIdValue = opts.frameworkId;
    const settings = opts.settings;
    this.client = new SchedulerClient({ ...settings.client, logger: this.log });
    // Every task being placed again waits on this signal.
    setMaxListeners(0, this.abort.signal);
    this.revival = new OfferRevival({
      suppressDelayMs: settings.suppressDelayMs,
      isSubscribed: () => this.isSubscribed,
      waiting: () => this.waiting.waiters.size,
      suppress: () => this.client.suppress(),
      revive: () => this.client.revive(),
      stats: this.stats,
      log: this.log,
    });
    this.held = new HeldOffers({
      client: this.client,
      waiters: this.waiting.waiters,
      arrivals: () => this.waiting.arrivals,
      liveHosts: () => this.tasks.hostsInUse(),
      launching: (l) => this.tasks.launching(l.taskId, { agentId: l.lease.agentId, hostname: l.lease.hostname, uniqueGroups: l.uniqueGroups }),
      notLaunched: (taskId) => this.tasks.notLaunched(taskId),
      revival: this.revival,
      canMatch: () => this.isSubscribed && !this.closed,
      stats: this.stats,
      log: this.log,
      policy: settings.offers,
      declineRefuseSeconds: settings.declineRefuseSeconds,
    });
    this.router = new StatusRouter({
      signalJob: (workflowId, update) => opts.signalJob(workflowId, update),
      acknowledge: (status) => this.client.acknowledge(status),
      isSubscribed: () => this.isSubscribed,
      forget: (taskId) => this.tasks.ended(taskId),
      stats: this.stats,
      ackLatency: this.ackLatency,
      log: this.log,
    });
    this.gate = new SubscribedGate(opts.frameworkName);
  }

  get frameworkId(): string | undefined {
    return this.frameworkIdValue;
  }

  // ---- the subscription loop -------------------------------------------

  /** Runs until `signal` aborts or close(); re-subscribes after every disconnect. */
  async run(signal: AbortSignal): Promise<void> {
    const onAbort = () => this.abort.abort();
    signal.addEventListener('abort', onAbort);
    const reconcileTimer = setInterval(() => {
      if (this.isSubscribed) this.client.reconcile([]).catch((err: unknown) => this.log.warn('periodic reconciliation failed', { err }));
    }, this.opts.settings.reconcileIntervalMs);
    const sweepTimer = setInterval(() => {
      const now = Date.now();
      this.waiting.forgetIdle(now);
      for (const [id, l] of this.launchedLeases) if (l.at < now - LAUNCH_ANSWER_KEPT_MS) this.launchedLeases.delete(id);
    }, 60_000);
    sweepTimer.unref();
    try {
      await keepSubscribed({
        client: this.client,
        principal: this.opts.settings.client.principal,
        signal: this.abort.signal,
        log: this.log,
        frameworkInfo: () => this.frameworkInfo(),
        frameworkId: () => this.frameworkIdValue,
        forgetFrameworkId: () => (this.frameworkIdValue = undefined),
        onEvent: (event) => this.handleEvent(event),
        onDisconnected: () => this.onDisconnected(),
        onSubscribeProblem: (problem) => (this.subscribeProblem = problem),
      });
    } finally {
      clearInterval(reconcileTimer);
      clearInterval(sweepTimer);
      signal.removeEventListener('abort', onAbort);
      this.onDisconnected();
    }
  }

  /** Stops the loop and fails everything waiting on this session (their activities retry elsewhere). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.revival.stop();
    this.onDisconnected();
    // Jobs waiting here wait elsewhere: their activities fail and are retried on the next holder.
    const gone = new SessionClosedError(this.opts.frameworkName);
    for (const w of [...this.waiting.waiters.values()]) w.abandon(gone);
    await this.client.close().catch(() => undefined);
  }

  private frameworkInfo(): FrameworkInfo {
    const s = this.opts.settings;
    return buildFrameworkInfo(
      { frameworkName: this.opts.frameworkName, user: s.user, roles: s.roles, failoverTimeoutSeconds: s.failoverTimeoutSeconds, partitionAware: s.partitionAware, principal: s.client.principal },
      this.frameworkIdValue,
      osHostname(),
    );
  }

  private onDisconnected(): void {
    this.isSubscribed = false;
    this.held.dropAll();
    this.probes.abandonAll();
  }

  private whenSubscribed(timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.reject(new SessionClosedError(this.opts.frameworkName));
    if (this.isSubscribed) return Promise.resolve();
    return this.gate.wait(timeoutMs);
  }

  /** Events come typed and schema-checked from the client: nothing is parsed twice here. */
  private handleEvent(event: Event): void {
    if (!isKnownEvent(event)) {
      this.log.debug('event of a type this version does not know, ignored', { type: event.type });
      return;
    }
    switch (event.type) {
      case 'SUBSCRIBED':
        return this.onSubscribed();
      case 'OFFERS':
        return this.held.receive(event.offers.offers ?? []);
      case 'RESCIND':
        return this.held.rescind(event.rescind.offer_id.value);
      case 'UPDATE':
        return this.onUpdate(event.update.status);
      case 'HEARTBEAT':
        return;
      case 'ERROR':
        this.log.error('the master sent an ERROR event', { error: event.error });
        return;
      default:
        this.log.debug('event ignored', { type: event.type });
    }
  }

  private onSubscribed(): void {
    const id = this.client.frameworkId;
    this.stats.subscribes++;
    this.isSubscribed = true;
    this.revival.onSubscribed();
    this.log.info('subscribed', { frameworkId: id, leader: this.client.leaderUrl, resubscribe: this.stats.subscribes > 1 });
    if (id && id !== this.frameworkIdValue) this.frameworkIdValue = id;
    if (id) this.opts.onFrameworkId(id).catch((err: unknown) => this.log.error('could not store the framework id', { err, frameworkId: id }));
    this.gate.open();
    // Every task we believe live is reconciled explicitly; the implicit
    // call reports those a previous holder of the session launched.
    const live = this.tasks.liveRefs();
    const calls: Array<Promise<void>> = [this.client.reconcile([])];
    if (live.length > 0) calls.push(this.client.reconcile(live));
    Promise.all(calls).catch((err: unknown) => this.log.warn('reconciliation after subscribe failed', { err }));
    this.revival.evaluate();
  }

  // ---- status updates ----------------------------------------------------

  private onUpdate(status: TaskStatus): void {
    this.stats.updates++;
    const { hostname, freed } = this.tasks.updated(status);
    this.probes.answer(status);
    this.router.deliver(status, hostname);
    if (freed) this.revival.resourcesFreed();
  }

  // ---- the job-facing operations (session activities) -------------------

  /** Registers a waiting job; resolves with a lease, or with why nothing fits after `pollMs`. */
  async awaitOffer(req: { jobId: string; taskId: string; spec: JobSpec; pollMs: number; first?: boolean }, signal: AbortSignal): Promise<AwaitOfferResult> {
    if (this.closed) throw new SessionClosedError(this.opts.frameworkName);
    // A job polls again every so often: its statistics carry over between polls.
    const previous = this.waiting.takePrevious(req.taskId);
    const since = previous?.since ?? Date.now();
    return new Promise<AwaitOfferResult>((resolve, reject) => {
      let done = false;
      const finish = (r: AwaitOfferResult | Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiting.remove(w, !(r instanceof Error) && r.kind === 'waiting', Date.now());
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      const w: Waiter = {
        taskId: req.taskId,
        demand: demandFromSpec(req.taskId, req.spec),
        uniqueGroups: uniqueGroups(req.spec),
        since,
        resolve: (lease: OfferLease) => finish({ kind: 'leased', lease }),
        abandon: (err: Error) => finish(err),
        seenOffers: previous?.seenOffers ?? new Set(),
        offersSeen: previous?.offersSeen ?? 0,
        reasons: previous?.reasons ?? new Map(),
      };
      const timer = setTimeout(() => finish({ kind: 'waiting', waiting: this.summarizeWait(w) }), req.pollMs);
      const onAbort = () => finish(new Error('awaitOffer cancelled'));
      signal.addEventListener('abort', onAbort);
      this.waiting.add(w, req.first === true, previous === undefined);
      this.revival.evaluate(previous === undefined);
      this.held.scheduleMatch();
    });
  }

  /** Whether the session still holds this offer (diagnostics and tests). */
  holdsOffer(offerId: string): boolean {
    return this.held.holds(offerId);
  }

  waitingSummary(taskId: string): MatchReasonSummary | undefined {
    const w = this.waiting.waiters.get(taskId);
    return w ? this.summarizeWait(w) : undefined;
  }

  /** The job's wait in words; while the session cannot subscribe, that comes first (no offer can arrive). */
  private summarizeWait(w: Waiter): MatchReasonSummary {
    const summary = summarize(w, Date.now());
    if (this.isSubscribed || this.subscribeProblem === undefined) return summary;
    return { ...summary, reasons: [{ reason: this.subscribeProblem, offers: 0 }, ...summary.reasons].slice(0, 5) };
  }

  /**
   * Launches the task of a lease (collected with the other leases of the same
   * offer into one ACCEPT). A lease this process does not know — the launch is
   * a retry after a crash, or came too late — is checked with the master
   * first, so an attempt never runs two tasks.
   */
  async launch(req: LaunchRequest): Promise<LaunchResult> {
    const originalLeaseId = req.lease.leaseId;
    const prior = this.launchedLeases.get(originalLeaseId);
    if (prior) return prior.result;
    let lease = req.lease;
    for (let placements = 0; placements < 5; placements++) {
      const current = lease;
      const r = await this.held.launch(current, req.taskId, () => buildTaskInfo(req.spec, current, { jobId: req.jobId, attempt: req.attempt, taskId: req.taskId }));
      if (r.kind === 'launched') {
        const res: LaunchResult = { kind: 'launched', agentId: current.agentId, hostname: current.hostname };
        // No timer per launch: a timer made here would hold the calling
        // activity's context (and with it the SDK's Activity) for its lifetime.
        this.launchedLeases.set(originalLeaseId, { result: res, at: Date.now() });
        return res;
      }
      if (r.kind === 'failed') throw new Error(r.message);
      if (r.kind === 'unknown') break;
      // The lease was never part of an ACCEPT the master took (its offer
      // went out without it, or went away): place the task again on
      // whatever fits now, ahead of the jobs still waiting.
      const again = await this.awaitOffer(
        { jobId: req.jobId, taskId: req.taskId, spec: req.spec, pollMs: this.opts.settings.offers.leaseTimeoutMs, first: true },
        this.abort.signal,
      );
      if (again.kind !== 'leased') return { kind: 'offer-lost', message: `${r.message}; no offer fitted the task again in time` };
      lease = again.lease;
    }
    // A lease this process did not issue (the session moved here from a
    // crashed worker) or whose ACCEPT failed ambiguously: did a task for
    // this attempt reach the master?
    const known = this.tasks.get(req.taskId);
    if (known) return { kind: 'already-launched', agentId: known.agentId ?? lease.agentId, hostname: known.hostname ?? lease.hostname, state: known.state };
    const status = await this.probe(req.taskId, lease.agentId);
    if (!status) throw new Error(`the master did not say whether task ${req.taskId} exists; will ask again`);
    if (masterDoesNotKnow(status)) return { kind: 'offer-lost', message: 'the lease is unknown here and the master does not know the task' };
    return { kind: 'already-launched', agentId: status.agent_id?.value ?? lease.agentId, hostname: lease.hostname, state: status.state };
  }

  /** Explicit reconciliation of one task, waiting for the answer. */
  private async probe(taskId: string, agentId: string | undefined): Promise<TaskStatus | undefined> {
    const timeoutMs = this.opts.settings.probeTimeoutMs;
    await this.whenSubscribed(timeoutMs);
    const answer = this.probes.wait(taskId, timeoutMs);
    await this.client.reconcile([{ task_id: taskId, agent_id: agentId }]);
    return answer;
  }

  async kill(req: KillRequest): Promise<void> {
    await this.whenSubscribed(this.opts.settings.subscribedWaitMs);
    const policy = req.gracePeriodMs !== undefined ? { grace_period: { nanoseconds: Math.round(req.gracePeriodMs * 1e6) } } : undefined;
    const agentId = req.agentId ?? this.tasks.get(req.taskId)?.agentId;
    await this.client.kill(req.taskId, agentId, policy);
  }

  async reconcile(req: ReconcileRequest): Promise<void> {
    await this.whenSubscribed(this.opts.settings.subscribedWaitMs);
    await this.client.reconcile([{ task_id: req.taskId, agent_id: req.agentId ?? this.tasks.get(req.taskId)?.agentId }]);
  }
}
