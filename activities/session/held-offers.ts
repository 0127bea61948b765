// The offers the session holds and the leases on them: offers are matched
// against the waiting jobs in rounds (the pure matchRound), a lease ties a
// part of an offer to one job until the job's launch comes back, and the
// offer goes out in one ACCEPT with the LAUNCH of every lease that came back
// (when: flush-policy.ts). What nobody can use is declined with a refuse
// filter, or kept a moment while jobs are on their way. Every lease state
// change goes through leaseTransition (lease-state.ts); callers see leases
// only through launch() and holds().
import type { Logger } from '../../common/logger.js';
import { MesosHttpError, type SchedulerClient } from '../../mesos/client/index.js';
import type { Offer, TaskInfo } from '../../mesos/schemas/index.js';
import type { OfferLease } from '../contract.js';
import type { OfferRevival } from './offer-revival.js';
import { matchRound, type HeldOffer, type Lease, type SettleResult, type Waiter } from './offer-book.js';
import { leaseOccupiesHost, leaseTransition, type LeaseEvent } from './lease-state.js';
import { flushAt, idleOffer, type Arrivals, type FlushPolicy } from './flush-policy.js';
import { matchDemands } from '../../mesos/matching.js';
import type { Offer as MatchOffer } from '../../mesos/resource-types.js';

export interface HeldOffersDeps {
  client: Pick<SchedulerClient, 'accept' | 'decline'>;
  /** The jobs waiting for an offer, in the order they are served. */
  waiters: Map<string, Waiter>;
  /** When jobs last started waiting. */
  arrivals(): Arrivals;
  /** For each UNIQUE group, the hosts the session's live tasks occupy. */
  liveHosts(): Map<string, Set<string>>;
  /** The task of a lease goes out in an ACCEPT now (the session records it as live). */
  launching(l: Lease): void;
  /** The master refused the ACCEPT: the task does not exist. */
  notLaunched(taskId: string): void;
  revival: OfferRevival;
  /** False while unsubscribed or closed: no matching then. */
  canMatch(): boolean;
  stats: {
    offers: number;
    accepts: number;
    launches: number;
    declines: number;
    declinesWhileFitting: number;
    matchMs: number;
    matchRounds: number;
    /** The most jobs one matching round weighed, and how long that round took. */
    peakWaiters: number;
    matchMsAtPeak: number;
  };
  log: Logger;
  policy: FlushPolicy;
  /** Refuse filter for declined offers when no job waits or is on its way. */
  declineRefuseSeconds: number;
}

/** What became of a launch handed to launch(). */
export type LeaseLaunch =
  | { kind: 'launched' }
  /** The lease was never part of an ACCEPT the master took: place the task again. */
  | { kind: 'place-again'; message: string }
  /** Not a lease of this process, or its ACCEPT failed ambiguously: ask the master. */
  | { kind: 'unknown' }
  /** The ACCEPT failed without an answer; the launch may be retried (and will ask the master). */
  | { kind: 'failed'; message: string };

/** How long an expired lease is remembered for a late launch to be placed again. */
const EXPIRED_KEPT_MS = 10 * 60_000;

export class HeldOffers {
  private readonly offers = new Map<string, HeldOffer>();
  /** Leases this session issued, until launched or forgotten. */
  private readonly issued = new Map<string, Lease>();
  private matchScheduled = false;

  constructor(private readonly deps: HeldOffersDeps) {}

  /** Whether the session still holds this offer (diagnostics and tests). */
  holds(offerId: string): boolean {
    return this.offers.has(offerId);
  }

  receive(offers: readonly Offer[]): void {
    const now = Date.now();
    this.deps.stats.offers += offers.length;
    for (const offer of offers) {
      this.offers.set(offer.id.value, { offer, available: offer.resources ?? [], leases: new Map(), receivedAt: now, flushing: false });
    }
    this.scheduleMatch();
  }

  rescind(offerId: string): void {
    const h = this.offers.get(offerId);
    if (!h) return;
    this.offers.delete(offerId);
    clearTimeout(h.timer);
    this.offerGone(h, 'the offer was rescinded');
  }

  /** Offers die with the subscription; their leases cannot be launched any more. */
  dropAll(): void {
    for (const h of this.offers.values()) {
      clearTimeout(h.timer);
      this.offerGone(h, 'the subscription ended before the ACCEPT');
    }
    this.offers.clear();
  }

  private move(l: Lease, event: LeaseEvent): boolean {
    const next = leaseTransition(l.state, event);
    if (next === undefined) {
      this.deps.log.error('lease event in a state that does not allow it; ignored', { leaseId: l.lease.leaseId, taskId: l.taskId, state: l.state, event });
      return false;
    }
    l.state = next;
    return true;
  }

  private offerGone(h: HeldOffer, why: string): void {
    for (const l of h.leases.values()) {
      const was = l.state;
      this.move(l, 'offer-gone');
      if (was === 'launching') l.settle?.({ ok: false, message: why, retryable: false, replace: true });
      if (l.state === 'expired') this.forgetLater(l);
    }
  }

  private forgetLater(l: Lease): void {
    setTimeout(() => {
      if (this.issued.get(l.lease.leaseId) === l) this.issued.delete(l.lease.leaseId);
    }, EXPIRED_KEPT_MS).unref();
  }

  /**
   * The launch of a lease: waits for the ACCEPT of its offer (with the
   * other launches of the offer) and says what became of it.
   */
  async launch(lease: OfferLease, taskId: string, taskInfo: () => TaskInfo): Promise<LeaseLaunch> {
    const l = this.issued.get(lease.leaseId);
    if (!l || l.taskId !== taskId) return { kind: 'unknown' };
    if (l.state === 'expired') {
      this.issued.delete(lease.leaseId);
      return { kind: 'place-again', message: 'the offer went out without the lease' };
    }
    const h = this.offers.get(lease.offerId);
    if (l.state !== 'leased' || !h) return { kind: 'unknown' };
    l.taskInfo = taskInfo();
    const settled = new Promise<SettleResult>((resolve) => (l.settle = resolve));
    this.move(l, 'launch');
    h.lastLaunchAt = Date.now();
    this.reconsider(h);
    const r = await settled;
    if (r.ok) return { kind: 'launched' };
    if (r.replace) {
      this.issued.delete(lease.leaseId);
      return { kind: 'place-again', message: r.message };
    }
    return r.retryable ? { kind: 'failed', message: r.message } : { kind: 'place-again', message: r.message };
  }

  scheduleMatch(): void {
    if (this.matchScheduled) return;
    this.matchScheduled = true;
    // Batch the offers and waiters that arrive in the same turn into one round.
    setImmediate(() => {
      this.matchScheduled = false;
      this.matchNow();
    });
  }

  /** For each UNIQUE group, the hosts live tasks and outstanding leases occupy. */
  private hostsInUse(): Map<string, Set<string>> {
    const m = this.deps.liveHosts();
    for (const h of this.offers.values()) {
      for (const l of h.leases.values()) {
        if (!leaseOccupiesHost(l.state)) continue;
        for (const g of l.uniqueGroups) {
          let s = m.get(g);
          if (!s) m.set(g, (s = new Set()));
          s.add(h.offer.hostname);
        }
      }
    }
    return m;
  }

  private matchNow(): void {
    const d = this.deps;
    if (!d.canMatch()) return;
    const now = Date.now();
    const t0 = performance.now();
    const weighed = d.waiters.size;
    const { leased, unusable } = matchRound(this.offers, d.waiters, this.hostsInUse(), now);
    if (weighed > 0 && this.offers.size > 0) {
      const ms = performance.now() - t0;
      d.stats.matchMs += ms;
      d.stats.matchRounds++;
      if (weighed >= d.stats.peakWaiters) {
        d.stats.peakWaiters = weighed;
        d.stats.matchMsAtPeak = ms;
      }
    }
    for (const h of leased) {
      for (const [id, l] of h.leases) if (l.state === 'leased' && !this.issued.has(id)) this.issued.set(id, l);
      this.reconsider(h);
    }
    const decline: HeldOffer[] = [];
    let refuse = d.declineRefuseSeconds;
    for (const h of unusable) {
      const v = idleOffer(h.receivedAt, d.waiters.size > 0, d.arrivals(), d.policy, d.declineRefuseSeconds, now);
      if (v.action === 'hold') this.lookAgainAt(h, v.until, () => this.scheduleMatch());
      else {
        decline.push(h);
        refuse = Math.min(refuse, v.refuseSeconds);
      }
    }
    if (decline.length > 0) {
      for (const h of decline) {
        clearTimeout(h.timer);
        this.offers.delete(h.offer.id.value);
      }
      this.declineOffers(decline, refuse);
    }
    d.revival.evaluate();
  }

  private lookAgainAt(h: HeldOffer, at: number, fn: () => void): void {
    if (h.timer && h.timerAt === at) return;
    clearTimeout(h.timer);
    h.timerAt = at;
    h.timer = setTimeout(() => {
      h.timer = undefined;
      h.timerAt = undefined;
      fn();
    }, Math.max(0, at - Date.now()));
    h.timer.unref();
  }

  /** Decides (again) when the offer's ACCEPT goes out. */
  private reconsider(h: HeldOffer): void {
    if (h.flushing || h.firstLeaseAt === undefined) return;
    let leasesOut = 0;
    let launching = 0;
    for (const l of h.leases.values()) {
      if (l.state === 'leased') leasesOut++;
      else if (l.state === 'launching') launching++;
    }
    const now = Date.now();
    const at = flushAt({ firstLeaseAt: h.firstLeaseAt, lastLaunchAt: h.lastLaunchAt, leasesOut, launching, turnedAway: h.turnedAway === true }, this.deps.arrivals(), this.deps.policy, now);
    this.lookAgainAt(h, Math.max(at, now), () => this.flushIfDue(h));
  }

  private flushIfDue(h: HeldOffer): void {
    if (h.flushing || !this.offers.has(h.offer.id.value)) return;
    let leasesOut = 0;
    let launching = 0;
    for (const l of h.leases.values()) {
      if (l.state === 'leased') leasesOut++;
      else if (l.state === 'launching') launching++;
    }
    const now = Date.now();
    const at = flushAt({ firstLeaseAt: h.firstLeaseAt ?? now, lastLaunchAt: h.lastLaunchAt, leasesOut, launching, turnedAway: h.turnedAway === true }, this.deps.arrivals(), this.deps.policy, now);
    if (at > now) return this.lookAgainAt(h, at, () => this.flushIfDue(h));
    this.flush(h);
  }

  private declineOffers(hs: HeldOffer[], refuseSeconds: number): void {
    const d = this.deps;
    const ids = hs.map((h) => h.offer.id.value);
    d.stats.declines += ids.length;
    if (d.waiters.size > 0) d.stats.declinesWhileFitting += hs.filter((h) => this.someWaiterFits(h)).length;
    d.client.decline(ids, { refuse_seconds: refuseSeconds }).catch((err: unknown) => d.log.warn('DECLINE failed', { err, offers: ids.length }));
    // Filters now hide these agents: the next new job must clear them.
    if (refuseSeconds > 0) d.revival.filtersMayHideOffers();
  }

  /** Whether a waiting job would fit the whole offer (the declines that should not happen). */
  private someWaiterFits(h: HeldOffer): boolean {
    const demands = [...this.deps.waiters.values()].map((w) => w.demand);
    const r = matchDemands(demands, [{ ...h.offer, resources: h.offer.resources ?? [] } as unknown as MatchOffer], { hostsInUse: this.hostsInUse() });
    return (r.matches[0]?.placements.length ?? 0) > 0;
  }

  /** ACCEPT one offer with the LAUNCH of every lease that came back; what is left returns to the master with it. */
  private flush(h: HeldOffer): void {
    const d = this.deps;
    clearTimeout(h.timer);
    const launching = [...h.leases.values()].filter((l) => l.state === 'launching' && l.taskInfo);
    for (const l of h.leases.values()) {
      if (l.state === 'leased') {
        this.move(l, 'flush');
        // Kept for a late launch to place it again; forgotten if none comes.
        this.forgetLater(l);
      }
    }
    if (launching.length === 0) {
      // Every lease expired: the whole offer is free again for whoever waits.
      h.leases.clear();
      h.available = h.offer.resources ?? [];
      delete h.firstLeaseAt;
      delete h.lastLaunchAt;
      delete h.turnedAway;
      this.scheduleMatch();
      return;
    }
    h.flushing = true;
    this.offers.delete(h.offer.id.value);
    for (const l of launching) {
      this.move(l, 'flush');
      this.issued.delete(l.lease.leaseId);
      d.launching(l);
    }
    const refuse = d.waiters.size > 0 || Date.now() - d.arrivals().lastAt < 10 * d.policy.gatherMaxMs ? 0 : d.declineRefuseSeconds;
    const operations = launching.map((l) => ({ type: 'LAUNCH' as const, launch: { task_infos: l.taskInfo ? [l.taskInfo] : [] } }));
    d.stats.accepts++;
    d.stats.launches += launching.length;
    d.client.accept([h.offer.id.value], operations, { refuse_seconds: refuse }).then(
      () => {
        for (const l of launching) {
          this.move(l, 'accepted');
          l.settle?.({ ok: true });
        }
      },
      (err: unknown) => {
        // A 4xx means the master did not take the call: nothing launched.
        // Anything else (connection lost mid-call) is ambiguous: the launch
        // retries, and the retry asks the master.
        const definite = err instanceof MesosHttpError && err.status >= 400 && err.status < 500;
        d.log.warn('ACCEPT failed', { err, offerId: h.offer.id.value, tasks: launching.length, definite });
        for (const l of launching) {
          this.move(l, definite ? 'rejected' : 'ambiguous');
          if (definite) d.notLaunched(l.taskId);
          l.settle?.({ ok: false, message: `ACCEPT failed: ${(err as Error).message}`, retryable: !definite, replace: definite });
        }
      },
    );
    if (refuse > 0) d.revival.filtersMayHideOffers();
    this.scheduleMatch();
  }
}
