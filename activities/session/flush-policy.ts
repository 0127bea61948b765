// When a held offer goes out in its ACCEPT: the pure policy. An ACCEPT
// returns whatever it does not use to the master, which offers it again
// only at its next allocation (every second on a default Mesos master), so
// each ACCEPT should carry as many launches as the jobs that arrive
// together: while jobs keep arriving (a burst of submissions) the offer
// waits for a short quiet gap, bounded; a lone job, or an offer that already
// turned a waiting job away (it is full for them), goes out at once. The
// offer is never held for jobs that are not on their way (no hoarding).

export interface FlushPolicy {
  /** Bound on waiting for a lease's launch to come back. */
  leaseTimeoutMs: number;
  /** Once a launch came in, how long the leases still out may take before the ACCEPT goes without them (at least; half the lease round trip when that is longer). */
  batchWindowMs: number;
  /** While jobs keep arriving, the ACCEPT waits until none arrived for this long... */
  gatherQuietMs: number;
  /** ...but no longer than this after the offer's first lease. */
  gatherMaxMs: number;
}

export interface OfferProgress {
  firstLeaseAt: number;
  /** When the last launch of the offer came in. */
  lastLaunchAt: number | undefined;
  /** Leases still out with their jobs. */
  leasesOut: number;
  /** Launches waiting for the ACCEPT. */
  launching: number;
  /** A matching round left a waiting job unplaced while this offer was open: it has no room for more of them. */
  turnedAway: boolean;
}

export interface Arrivals {
  /** When the last job started waiting (0: never). */
  lastAt: number;
  /** When the one before it did (0: never). */
  previousAt: number;
}

/** The time (epoch ms) at which the offer's ACCEPT goes out; at or before `now` means now. */
export function flushAt(o: OfferProgress, arrivals: Arrivals, p: FlushPolicy, now: number): number {
  const hardStop = o.firstLeaseAt + p.leaseTimeoutMs;
  if (o.leasesOut > 0) {
    if (o.lastLaunchAt === undefined) return hardStop;
    // The launches of one offer come back about as slowly as the first did
    // (a loaded Temporal makes that seconds): allow the others half that
    // round trip again, at least the batch window, before going without them.
    const roundTrip = Math.max(0, o.lastLaunchAt - o.firstLeaseAt);
    return Math.min(hardStop, o.lastLaunchAt + Math.max(p.batchWindowMs, roundTrip / 2));
  }
  if (o.launching === 0) return now;
  if (o.turnedAway) return now;
  // A lone job launches at once: the one before it came longer than the
  // quiet gap earlier, so no burst is arriving (jobs submitted one after
  // another, each a few hundred ms apart, must not each wait for the gap).
  if (arrivals.lastAt - arrivals.previousAt > p.gatherQuietMs) return now;
  return Math.min(arrivals.lastAt + p.gatherQuietMs, o.firstLeaseAt + p.gatherMaxMs);
}

export type IdleOfferVerdict = { action: 'hold'; until: number } | { action: 'decline'; refuseSeconds: number };

/**
 * An offer no waiting job can use right now. Jobs are on their way when one
 * arrived within the gather window: the offer is kept that long after it
 * came, so that they need not wait for the next allocation; otherwise it is
 * declined, with a short filter while jobs wait for something else (a long
 * one would hide this agent from the next job that fits it), else the
 * configured one.
 */
export function idleOffer(receivedAt: number, someoneWaits: boolean, arrivals: Arrivals, p: FlushPolicy, declineRefuseSeconds: number, now: number): IdleOfferVerdict {
  if (!someoneWaits && now - arrivals.lastAt < p.gatherMaxMs && now < receivedAt + p.gatherMaxMs) return { action: 'hold', until: Math.min(receivedAt, arrivals.lastAt) + p.gatherMaxMs };
  const demandRecent = now - arrivals.lastAt < 10 * p.gatherMaxMs;
  return { action: 'decline', refuseSeconds: someoneWaits || demandRecent ? 1 : declineRefuseSeconds };
}
