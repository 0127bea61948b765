// The jobs waiting for an offer, in the order they are served, and the
// statistics of jobs between two polls of awaitOffer.
import type { Waiter } from './offer-book.js';
import type { Arrivals } from './flush-policy.js';

const FORGET_AFTER_MS = 10 * 60_000;

export class WaitingJobs {
  /** In the order matchRound serves them. */
  readonly waiters = new Map<string, Waiter>();
  /** Statistics of jobs between two polls of awaitOffer (forgotten after 10 min without a poll). */
  private readonly pastWaits = new Map<string, { waiter: Waiter; at: number }>();
  /** When the last two jobs started waiting (a job polling again does not count). */
  readonly arrivals: Arrivals = { lastAt: 0, previousAt: 0 };

  /** The job's previous wait, if any: its statistics carry over to the new one. */
  takePrevious(taskId: string): Waiter | undefined {
    const previous = this.waiters.get(taskId) ?? this.pastWaits.get(taskId)?.waiter;
    this.pastWaits.delete(taskId);
    return previous;
  }

  /** `first`: ahead of everyone (a task placed again after its lease was lost); `fresh`: a job that did not wait before. */
  add(w: Waiter, first: boolean, fresh = false, now = Date.now()): void {
    if (fresh) {
      this.arrivals.previousAt = this.arrivals.lastAt;
      this.arrivals.lastAt = now;
    }
    if (first) {
      const rest = [...this.waiters].filter(([k]) => k !== w.taskId);
      this.waiters.clear();
      this.waiters.set(w.taskId, w);
      for (const [k, v] of rest) this.waiters.set(k, v);
    } else {
      this.waiters.set(w.taskId, w);
    }
  }

  /** The wait ended; a job that will poll again keeps its statistics until then. */
  remove(w: Waiter, pollsAgain: boolean, now: number): void {
    if (this.waiters.get(w.taskId) === w) this.waiters.delete(w.taskId);
    if (pollsAgain) this.pastWaits.set(w.taskId, { waiter: w, at: now });
  }

  forgetIdle(now: number): void {
    const old = now - FORGET_AFTER_MS;
    for (const [k, v] of this.pastWaits) if (v.at < old) this.pastWaits.delete(k);
  }
}
