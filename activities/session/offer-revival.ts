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

/** At most four REVIVEs a second, however many jobs arrive (the first one soon). */
export function reviveDelay(lastReviveAt: number, now: number): number {
  return Math.max(20, lastReviveAt + 250 - now);
}

export class OfferRevival {
  private suppressed = false;
  private reviveNeeded = true;
  private lastReviveAt = 0;
  private reviveTimer: NodeJS.Timeout | undefined;
  private suppressTimer: NodeJS.Timeout | undefined;

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
  }

  /**
   * SUPPRESS a while after the last waiter left; REVIVE when suppressed and
   * someone waits, or when a new job arrives while decline filters may hide
   * offers it could use. Declines alone never trigger a REVIVE: an offer no
   * waiter fits would otherwise come straight back, be declined, revived...
   */
  evaluate(newDemand = false): void {
    const d = this.deps;
    if (!d.isSubscribed()) return;
    if (d.waiting() > 0) {
      clearTimeout(this.suppressTimer);
      this.suppressTimer = undefined;
      if (this.suppressed || (this.reviveNeeded && newDemand)) this.scheduleRevive();
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
    const d = this.deps;
    this.reviveTimer = setTimeout(() => {
      this.reviveTimer = undefined;
      if (!d.isSubscribed() || d.waiting() === 0) return;
      this.suppressed = false;
      this.reviveNeeded = false;
      this.lastReviveAt = Date.now();
      d.stats.revives++;
      d.revive().catch((err: unknown) => {
        this.reviveNeeded = true;
        d.log.warn('REVIVE failed', { err });
      });
    }, reviveDelay(this.lastReviveAt, Date.now()));
    this.reviveTimer.unref();
  }
}
