// placeAndLaunch: the one activity of a job attempt (issue 11). It waits for
// a part of an offer, launches the task, and stays open until the task's
// first update past TASK_STARTING, so that a successful attempt wakes its
// workflow once for the launch instead of once per step.
//
// It completes asynchronously (the Temporal client's activity.complete) and
// heartbeats through the client, both awaited: that is how the status router
// knows when Temporal recorded an update the activity took in, and only then
// acknowledges it to Mesos. Updates taken in while the task starts are
// recorded in the heartbeat details (a retried attempt resumes from them);
// the first update past TASK_STARTING is recorded in the completion.
import { AsyncResource } from 'node:async_hooks';
import { ApplicationFailure, CompleteAsyncError, Context } from '@temporalio/activity';
import { ActivityCancelledError, ActivityNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from '../../common/logger.js';
import { parseJobSpec, type JobSpec } from '../../workflows/job-spec.js';
import { parseTaskId } from '../../workflows/task-id.js';
import { isUnknownTaskAnswer } from '../../workflows/task-states.js';
import type {
  LaunchResult,
  OfferLease,
  PlaceAndLaunchActivities,
  PlaceAndLaunchHeartbeat,
  PlaceAndLaunchRequest,
  PlaceAndLaunchResult,
  RouteOutcome,
  RouteUpdate,
  TaskUpdateSignal,
} from '../contract.js';
import type { FrameworkSession } from './framework-session.js';
import type { MatchReasonSummary } from '../../workflows/progress.js';

/** What placeAndLaunch uses of the session (FrameworkSession has it; tests may fake it). */
export type PlacingSession = Pick<FrameworkSession, 'awaitOffer' | 'waitingSummary' | 'launch' | 'frameworkId'>;

export interface PlaceAndLaunchDeps {
  client: Client;
  log: Logger;
  /** Counts for tests and benchmarks. */
  stats?: { heartbeats: number };
}

/** Updates that do not end the activity: the task is still on its way. */
const STARTING_STATES = new Set(['TASK_STAGING', 'TASK_STARTING']);

/**
 * When to heartbeat while waiting: on a change of the waiting summary, at
 * first within `firstMs` and then backing off (doubling) up to the liveness
 * period, so a user sees why a job waits within seconds without a heartbeat
 * per offer cycle for the hours a job may wait.
 */
export function nextBeatGapMs(previousGapMs: number | undefined, firstMs: number, livenessMs: number): number {
  return previousGapMs === undefined ? firstMs : Math.min(previousGapMs * 2, livenessMs);
}

function samePicture(a: MatchReasonSummary | undefined, b: MatchReasonSummary | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.offersSeen === b.offersSeen && JSON.stringify(a.reasons) === JSON.stringify(b.reasons);
}

class OpenAttempt {
  readonly details: PlaceAndLaunchHeartbeat;
  readonly abort = new AbortController();
  private launched: Extract<PlaceAndLaunchResult, { kind: 'launched' }> | undefined;
  private finished = false;
  private beatChain: Promise<void> = Promise.resolve();
  private endWait: (() => void) | undefined;
  private readonly launchSettled: Promise<void>;
  private settleLaunch!: () => void;

  constructor(
    readonly req: PlaceAndLaunchRequest,
    readonly spec: JobSpec,
    private readonly token: Uint8Array,
    private readonly heartbeatMs: number,
    prior: PlaceAndLaunchHeartbeat | undefined,
    private readonly deps: PlaceAndLaunchDeps,
    private readonly session: PlacingSession,
    private readonly release: () => void,
  ) {
    this.details = { updates: [...(prior?.updates ?? [])], ...(prior?.lease ? { lease: prior.lease } : {}) };
    this.launchSettled = new Promise((r) => (this.settleLaunch = r));
  }

  /** One heartbeat at a time, in order; resolves once Temporal recorded it. */
  beat(): Promise<void> {
    const run = this.beatChain.then(async () => {
      if (this.finished) return;
      try {
        await this.deps.client.activity.heartbeat(this.token, this.details);
        if (this.deps.stats) this.deps.stats.heartbeats++;
      } catch (err) {
        if (err instanceof ActivityCancelledError || err instanceof ActivityNotFoundError) this.abort.abort(err);
        throw err;
      }
    });
    this.beatChain = run.catch(() => undefined);
    return run;
  }

  async run(): Promise<void> {
    const liveness = setInterval(() => void this.beat().catch(() => undefined), this.heartbeatMs);
    try {
      const result = await this.placeAndLaunch();
      await this.complete(result);
    } catch (err) {
      await this.failWith(err);
    } finally {
      clearInterval(liveness);
      this.settleLaunch();
      this.release();
    }
  }

  private base(): Pick<PlaceAndLaunchResult, 'spec' | 'frameworkId' | 'updates'> {
    const fid = this.session.frameworkId;
    return { spec: this.spec, updates: this.details.updates, ...(fid ? { frameworkId: fid } : {}) };
  }

  private async placeAndLaunch(): Promise<PlaceAndLaunchResult> {
    const { req } = this;
    let lease = this.details.lease;
    if (lease === undefined) {
      const placed = await this.waitForOffer();
      if (placed.kind === 'waiting') return { kind: 'no-offer', waiting: placed.waiting, ...this.base() };
      lease = placed.lease;
      // The lease is recorded before the launch: should this process die
      // now, the retried attempt asks the master about the task instead of
      // launching it a second time.
      this.details.lease = lease;
      delete this.details.waiting;
      await this.beat();
    }
    let launched: LaunchResult;
    try {
      launched = await this.session.launch({ jobId: req.jobId, attempt: req.attempt, taskId: req.taskId, spec: this.spec, lease });
    } finally {
      this.settleLaunch();
    }
    // Whatever the master said about a task it never had is no task update.
    this.details.updates = this.details.updates.filter((u) => !isUnknownTaskAnswer(u));
    if (launched.kind === 'offer-lost') {
      if (!this.details.updates.some((u) => u.taskId === req.taskId)) return { kind: 'offer-lost', message: launched.message, ...this.base() };
    }
    const where = launched.kind === 'offer-lost' ? { agentId: lease.agentId, hostname: lease.hostname } : launched;
    this.launched = { kind: 'launched', agentId: where.agentId, hostname: where.hostname, alreadyLaunched: launched.kind !== 'launched', ...this.base() };
    if (this.details.updates.some((u) => !STARTING_STATES.has(u.state))) return this.launched;
    // Wait for the task's first update past TASK_STARTING (routeUpdate ends this wait).
    await new Promise<void>((resolve) => {
      const done = () => {
        this.endWait = undefined;
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.req.firstUpdateMs);
      this.abort.signal.addEventListener('abort', done, { once: true });
      this.endWait = done;
    });
    return { ...this.launched, ...this.base() };
  }

  private async waitForOffer(): Promise<{ kind: 'leased'; lease: OfferLease } | { kind: 'waiting'; waiting: MatchReasonSummary | undefined }> {
    const { req } = this;
    // Tell the workflow why the job waits as soon as the first offer was weighed for it
    // (or the session reports why no offer can come).
    let shown: MatchReasonSummary | undefined;
    let gap: number | undefined;
    let lastBeat = 0;
    const watch = setInterval(() => {
      const now = Date.now();
      // The gap first: with thousands of jobs waiting, most ticks end here without building a summary.
      const nextGap = nextBeatGapMs(gap, 0, this.heartbeatMs);
      if (now - lastBeat < nextGap) return;
      const summary = this.session.waitingSummary(req.taskId);
      // Nothing to say until an offer was weighed, unless the session itself has a reason (it cannot subscribe).
      if (summary === undefined || (summary.offersSeen === 0 && summary.reasons.length === 0) || samePicture(summary, shown)) return;
      gap = nextBeatGapMs(gap, 1000, this.heartbeatMs);
      lastBeat = now;
      shown = summary;
      this.details.waiting = summary;
      void this.beat().catch(() => undefined);
    }, 250);
    try {
      const pollMs = Math.max(1, req.offerDeadline - Date.now());
      const r = await this.session.awaitOffer({ jobId: req.jobId, taskId: req.taskId, spec: this.spec, pollMs }, this.abort.signal);
      return r.kind === 'leased' ? r : { kind: 'waiting', waiting: r.waiting };
    } finally {
      clearInterval(watch);
    }
  }

  /** An update of this attempt's task arrived while the activity is open. */
  async route(update: TaskUpdateSignal): Promise<RouteOutcome> {
    if (this.finished) return 'not-mine';
    // The master's answer to the launch's own question (no uuid: nothing to acknowledge).
    if (isUnknownTaskAnswer(update) && update.uuid === undefined && this.launched === undefined) {
      this.details.updates.push(update);
      return 'recorded';
    }
    if (STARTING_STATES.has(update.state)) {
      this.details.updates.push(update);
      try {
        await this.beat();
        return 'recorded';
      } catch {
        this.details.updates = this.details.updates.filter((u) => u !== update);
        return 'not-mine';
      }
    }
    // Past STARTING: recorded by the completion, if the activity still waits
    // for it; otherwise (offer lost, timed out, cancelled) a signal records it.
    await this.launchSettled;
    const end = this.endWait;
    if (end === undefined || this.finished) return 'not-mine';
    this.endWait = undefined;
    this.details.updates.push(update);
    const recorded = this.completion();
    end();
    return (await recorded) ? 'recorded' : 'not-mine';
  }

  private completionWaiters: Array<(ok: boolean) => void> = [];
  private completionOutcome: boolean | undefined;

  /** Resolves true once the completion carrying every update so far was recorded. */
  private completion(): Promise<boolean> {
    if (this.completionOutcome !== undefined) return Promise.resolve(this.completionOutcome);
    return new Promise((r) => this.completionWaiters.push(r));
  }

  private async complete(result: PlaceAndLaunchResult): Promise<void> {
    this.finished = true;
    let ok = false;
    try {
      await this.beatChain;
      await this.deps.client.activity.complete(this.token, result);
      ok = true;
    } catch (err) {
      this.deps.log.warn('could not complete placeAndLaunch (the workflow retries or was cancelled)', { err, taskId: this.req.taskId, kind: result.kind });
    }
    this.completionOutcome = ok;
    for (const w of this.completionWaiters.splice(0)) w(ok);
  }

  private async failWith(err: unknown): Promise<void> {
    this.finished = true;
    this.completionOutcome = false;
    for (const w of this.completionWaiters.splice(0)) w(false);
    try {
      if (this.abort.signal.aborted && this.abort.signal.reason instanceof ActivityCancelledError) {
        await this.deps.client.activity.reportCancellation(this.token);
      } else if (!(this.abort.signal.reason instanceof ActivityNotFoundError)) {
        await this.deps.client.activity.fail(this.token, err instanceof Error ? err : new Error(String(err)));
      }
    } catch (e) {
      this.deps.log.warn('could not report the end of placeAndLaunch; its heartbeat timeout will', { err: e, taskId: this.req.taskId });
    }
  }
}

/**
 * The placeAndLaunch activity and the router hook the session's signalJob
 * calls first (see activities/contract.ts).
 */
export function createPlaceAndLaunch(session: PlacingSession, deps: PlaceAndLaunchDeps): { activities: PlaceAndLaunchActivities; routeUpdate: RouteUpdate } {
  const open = new Map<string, OpenAttempt>();
  // An attempt outlives its activity call (it completes asynchronously), and
  // every timer and promise it makes would carry the activity's async context:
  // the SDK's Activity object, its logger and its input, kept for as long as
  // the job waits and for as long as any timer made on its behalf runs. So
  // attempts run in the context this function was called in (the session's).
  const begin = AsyncResource.bind((req: PlaceAndLaunchRequest, spec: JobSpec, token: Uint8Array, heartbeatMs: number, prior: PlaceAndLaunchHeartbeat | undefined) => {
    const stale = open.get(req.taskId);
    if (stale) stale.abort.abort(new Error('superseded by a retried attempt'));
    const attempt: OpenAttempt = new OpenAttempt(req, spec, token, heartbeatMs, prior, deps, session, () => {
      if (open.get(req.taskId) === attempt) open.delete(req.taskId);
    });
    open.set(req.taskId, attempt);
    void attempt.run();
  });
  return {
    activities: {
      async placeAndLaunch(req: PlaceAndLaunchRequest): Promise<PlaceAndLaunchResult> {
        const ctx = Context.current();
        const parsed = parseJobSpec(req.spec);
        if (!parsed.ok) {
          const message = `invalid job spec: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
          throw ApplicationFailure.create({ type: 'InvalidJobSpec', nonRetryable: true, message, details: [parsed.issues] });
        }
        // Liveness at half the heartbeat timeout: every waiting job beats this
        // often (a backlog of 5,700 jobs at a third of it cost the dev server
        // 850 heartbeats a second), and half still leaves a beat seconds to land.
        const heartbeatMs = Math.max(200, Math.floor((ctx.info.heartbeatTimeoutMs ?? 20_000) / 2));
        begin(req, parsed.spec, ctx.info.taskToken, heartbeatMs, ctx.info.heartbeatDetails as PlaceAndLaunchHeartbeat | undefined);
        throw new CompleteAsyncError();
      },
    },
    async routeUpdate(workflowId: string, update: TaskUpdateSignal): Promise<RouteOutcome> {
      const a = open.get(update.taskId);
      if (!a || parseTaskId(update.taskId)?.workflowId !== workflowId) return 'not-mine';
      return a.route(update);
    },
  };
}
