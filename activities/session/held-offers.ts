// The offers the session holds and what happens to them: matched against
// the waiting jobs in rounds, leased out, and flushed into one ACCEPT with
// the LAUNCH of every lease that came back (once all came back, or after
// the batch window or the lease timeout); what nobody can use is declined
// with a refuse filter. The matching itself is the pure matchRound.
import type { Logger } from '../../common/logger.js';
import { MesosHttpError, type SchedulerClient } from '../../mesos/client/index.js';
import type { Offer, TaskInfo } from '../../mesos/schemas/index.js';
import type { KnownTask } from './known-tasks.js';
import { hostsInUse } from './known-tasks.js';
import type { OfferRevival } from './offer-revival.js';
import { matchRound, readyToFlush, type HeldOffer, type Lease, type SettleResult, type Waiter } from './offer-book.js';

export interface HeldOffersDeps {
  client: Pick<SchedulerClient, 'accept' | 'decline'>;
  /** The jobs waiting for an offer, in the order they are served. */
  waiters: Map<string, Waiter>;
  /** The session's tasks: a flush records the ones it launches. */
  tasks: Map<string, KnownTask>;
  revival: OfferRevival;
  /** False while unsubscribed or closed: no matching then. */
  canMatch(): boolean;
  stats: { offers: number; accepts: number; launches: number; declines: number };
  log: Logger;
  /** Refuse filter for declined offers when no job waits. */
  declineRefuseSeconds: number;
  /** How long an offer is held for the launches of the jobs leased on it. */
  leaseTimeoutMs: number;
  /** Once the first launch of an offer came in, how long to wait for the others before the ACCEPT. */
  batchWindowMs: number;
}

export class HeldOffers {
  readonly offers = new Map<string, HeldOffer>();
  /** Leases this session issued and that were not launched yet. */
  readonly issued = new Map<string, Lease>();
  private matchScheduled = false;

  constructor(private readonly deps: HeldOffersDeps) {}

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
    this.expireOffer(h, 'the offer was rescinded');
  }

  /** Offers die with the subscription; their leases cannot be launched any more. */
  dropAll(): void {
    for (const h of this.offers.values()) this.expireOffer(h, 'the subscription ended before the ACCEPT');
    this.offers.clear();
  }

  private expireOffer(h: HeldOffer, why: string): void {
    for (const l of h.leases.values()) {
      if (l.state === 'leased') l.state = 'expired';
      if (l.state === 'launching' && !h.flushing) {
        l.state = 'expired';
        l.settle?.({ ok: false, message: why, retryable: false, replace: true });
      }
    }
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

  private matchNow(): void {
    const d = this.deps;
    if (!d.canMatch()) return;
    const now = Date.now();
    const { leased, unusable } = matchRound(this.offers, d.waiters, hostsInUse(d.tasks, this.offers), now);
    for (const h of leased) {
      this.armLeaseTimer(h);
      for (const [id, l] of h.leases) if (l.state === 'leased' && !this.issued.has(id)) this.issued.set(id, l);
    }
    if (unusable.length > 0) {
      const someoneWaits = d.waiters.size > 0;
      for (const h of unusable) this.offers.delete(h.offer.id.value);
      this.declineOffers(
        unusable.map((h) => h.offer.id.value),
        // While jobs wait for something else, a long filter would hide this
        // agent from the next job that fits it; REVIVE clears filters anyway.
        someoneWaits ? 1 : d.declineRefuseSeconds,
      );
      // Filters now hide these agents: the next new job must clear them.
      d.revival.filtersMayHideOffers();
    }
    d.revival.evaluate();
  }

  private declineOffers(ids: string[], refuseSeconds: number): void {
    this.deps.stats.declines += ids.length;
    this.deps.client.decline(ids, { refuse_seconds: refuseSeconds }).catch((err: unknown) => this.deps.log.warn('DECLINE failed', { err, offers: ids.length }));
  }

  private armLeaseTimer(h: HeldOffer): void {
    if (h.firstLeaseAt === undefined || h.leaseTimer) return;
    h.leaseTimer = setTimeout(() => this.flush(h), this.deps.leaseTimeoutMs);
    h.leaseTimer.unref();
  }

  /**
   * The launch of a lease came in: it waits for the ACCEPT of its offer,
   * which goes out at once when no other lease of the offer is still out,
   * else after the batch window. Resolves once the ACCEPT went out (or did not).
   */
  submit(h: HeldOffer, l: Lease, taskInfo: TaskInfo): Promise<SettleResult> {
    l.taskInfo = taskInfo;
    l.state = 'launching';
    const settled = new Promise<SettleResult>((resolve) => (l.settle = resolve));
    if (readyToFlush(h)) setImmediate(() => this.flush(h));
    else if (!h.windowTimer) {
      h.windowTimer = setTimeout(() => this.flush(h), this.deps.batchWindowMs);
      h.windowTimer.unref();
    }
    return settled;
  }

  /** ACCEPT one offer with the LAUNCH of every lease that came back; what is left is declined by the same call. */
  private flush(h: HeldOffer): void {
    const d = this.deps;
    if (h.flushing || !this.offers.has(h.offer.id.value)) return;
    h.flushing = true;
    clearTimeout(h.leaseTimer);
    clearTimeout(h.windowTimer);
    this.offers.delete(h.offer.id.value);
    const launching = [...h.leases.values()].filter((l) => l.state === 'launching' && l.taskInfo);
    for (const [id, l] of h.leases) {
      if (l.state !== 'leased') continue;
      l.state = 'expired';
      // Kept for a late launch to place it again; forgotten if none comes.
      setTimeout(() => this.issued.delete(id), 10 * 60_000).unref();
    }
    const refuse = d.waiters.size > 0 ? 0 : d.declineRefuseSeconds;
    if (launching.length === 0) {
      this.declineOffers([h.offer.id.value], refuse);
      if (refuse > 0) d.revival.filtersMayHideOffers();
      this.scheduleMatch();
      return;
    }
    const operations = launching.map((l) => ({ type: 'LAUNCH' as const, launch: { task_infos: l.taskInfo ? [l.taskInfo] : [] } }));
    for (const l of launching) {
      this.issued.delete(l.lease.leaseId);
      d.tasks.set(l.taskId, { agentId: l.lease.agentId, hostname: l.lease.hostname, state: 'TASK_STAGING', uniqueGroups: l.uniqueGroups });
    }
    d.stats.accepts++;
    d.stats.launches += launching.length;
    d.client.accept([h.offer.id.value], operations, { refuse_seconds: refuse }).then(
      () => {
        for (const l of launching) l.settle?.({ ok: true });
      },
      (err: unknown) => {
        // A 4xx means the master did not take the call: nothing launched.
        // Anything else (connection lost mid-call) is ambiguous: the launch
        // activity retries, and the retry asks the master.
        const definite = err instanceof MesosHttpError && err.status >= 400 && err.status < 500;
        d.log.warn('ACCEPT failed', { err, offerId: h.offer.id.value, tasks: launching.length, definite });
        for (const l of launching) {
          if (definite) d.tasks.delete(l.taskId);
          l.state = definite ? 'expired' : 'uncertain';
          l.settle?.({ ok: false, message: `ACCEPT failed: ${(err as Error).message}`, retryable: !definite, replace: definite });
        }
      },
    );
    if (refuse > 0) d.revival.filtersMayHideOffers();
    this.scheduleMatch();
  }
}
