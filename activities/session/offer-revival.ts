// When the session SUPPRESSes offers and when it REVIVEs them: the policy
// and its two timers, with the calls to the master handed in.
import type { Logger } from '../../common/logger.js';

export interface OfferRevivalDeps {
  /** Delay before SUPPRESS once nobody waits (avoids flapping between jobs). */
  suppressDelayMs: number;
  isSubscribed(): boolean;
  /** How many jobs wait for an offer. */
  waiting(): number;
  suppress(): Promise<void>;
  revive(): Promise<void>;
  stats: { revives: number; suppresses: number };
  log: Logger;
}

/** The least time between two REVIVEs: at most four a second. */
const REVIVE_GAP_MS = 250;

/** At most four REVIVEs a second, however many jobs arrive (the first one soon). */
export function reviveDelay(lastReviveAt: number, now: number): number {
  return Math.max(20, lastReviveAt + REVIVE_GAP_MS - now);
}

/** How long the tasks ending together get to end before the REVIVE that offers their resources again (each end pushes it back this far)... */
export const FREED_QUIET_MS = 40;
/** ...but no further than this after the first of them. */
export const FREED_MAX_MS = 150;

/**
 * When the REVIVE after some of our tasks ended goes out (epoch ms): once
 * the burst of ends went quiet (a wave of short tasks ends within tens of
 * milliseconds: one offer should carry all their room), bounded, and paced
 * like every REVIVE.
 */
export function freedReviveAt(firstFreedAt: number, lastFreedAt: number, lastReviveAt: number): number {
  return Math.max(Math.min(lastFreedAt + FREED_QUIET_MS, firstFreedAt + FREED_MAX_MS), lastReviveAt + REVIVE_GAP_MS);
}

export class OfferRevival {
  private suppressed = false;
  private reviveNeeded = true;
  private lastReviveAt = 0;
  private reviveTimer: NodeJS.Timeout | undefined;
  private suppressTimer: NodeJS.Timeout | undefined;
  private freedTimer: NodeJS.Timeout | undefined;
  private firstFreedAt = 0;

  constructor(private readonly deps: OfferRevivalDeps) {}

  onSubscribed(): void {
    // A (re-)SUBSCRIBE without suppressed roles unsuppresses; decline
    // filters may survive a failover, so the next new job revives.
    this.suppressed = false;
    this.reviveNeeded = true;
  }

  /** Decline filters now hide some agents: the next new job must clear them. */
  filtersMayHideOffers(): void {
    this.reviveNeeded = true;
  }

  stop(): void {
    clearTimeout(this.reviveTimer);
    clearTimeout(this.suppressTimer);
    clearTimeout(this.freedTimer);
  }

  /**
   * One of our tasks ended: the master freed its resources, but offers them
   * again only at its next allocation (every second by default; Mesos does
   * not allocate on recovered resources), while a REVIVE makes it allocate
   * at once. So when jobs wait, the end of a wave of tasks is followed by a
   * REVIVE (after the wave went quiet, paced) and the waiting jobs get the
   * room without waiting for the allocation interval.
   */
  resourcesFreed(): void {
    const d = this.deps;
    if (!d.isSubscribed() || d.waiting() === 0) return;
    const now = Date.now();
    if (this.freedTimer === undefined) this.firstFreedAt = now;
    clearTimeout(this.freedTimer);
    this.freedTimer = setTimeout(() => {
      this.freedTimer = undefined;
      this.reviveNow();
    }, Math.max(0, freedReviveAt(this.firstFreedAt, now, this.lastReviveAt) - now));
    this.freedTimer.unref();
  }

  /**
   * SUPPRESS a while after the last waiter left; REVIVE when suppressed and
   * someone waits, when a new job arrives while decline filters may hide
   * offers it could use, or when a job arrives while none waited: the
   * master holds the free resources (what the last ACCEPT left over) until
   * its next allocation, up to an allocation interval away, and a REVIVE
   * makes it allocate now. While jobs already wait, resources come with
   * the ends of our tasks (resourcesFreed) or the master's allocations, so
   * a backlog does not REVIVE per arriving job. Declines alone never
   * trigger a REVIVE: an offer no waiter fits would otherwise come straight
   * back, be declined, revived... The REVIVE goes out only if the job still
   * waits when its (paced) timer fires: a held offer that fits it wins.
   */
  evaluate(newDemand = false): void {
    const d = this.deps;
    if (!d.isSubscribed()) return;
    if (d.waiting() > 0) {
      clearTimeout(this.suppressTimer);
      this.suppressTimer = undefined;
      if (this.suppressed || (newDemand && (this.reviveNeeded || d.waiting() === 1))) this.scheduleRevive();
      return;
    }
    if (this.suppressed || this.suppressTimer) return;
    this.suppressTimer = setTimeout(() => {
      this.suppressTimer = undefined;
      if (d.waiting() > 0 || !d.isSubscribed() || this.suppressed) return;
      this.suppressed = true;
      d.stats.suppresses++;
      d.suppress().catch((err: unknown) => {
        this.suppressed = false;
        d.log.warn('SUPPRESS failed', { err });
      });
    }, d.suppressDelayMs);
    this.suppressTimer.unref();
  }

  private scheduleRevive(): void {
    if (this.reviveTimer) return;
    this.reviveTimer = setTimeout(() => {
      this.reviveTimer = undefined;
      this.reviveNow();
    }, reviveDelay(this.lastReviveAt, Date.now()));
    this.reviveTimer.unref();
  }

  private reviveNow(): void {
    const d = this.deps;
    if (!d.isSubscribed() || d.waiting() === 0) return;
    // Two timers end here (a new job's, the ends of our tasks'), each armed
    // with the pace as it was then: the pace holds whichever fires second.
    if (Date.now() < this.lastReviveAt + REVIVE_GAP_MS) return this.scheduleRevive();
    this.suppressed = false;
    this.reviveNeeded = false;
    this.lastReviveAt = Date.now();
    d.stats.revives++;
    d.revive().catch((err: unknown) => {
      this.reviveNeeded = true;
      d.log.warn('REVIVE failed', { err });
    });
  }
}
