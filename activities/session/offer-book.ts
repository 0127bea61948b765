// The offers a session holds, the jobs waiting for one, and the leases that
// tie a part of an offer to one job until its launch comes in. Matching is
// the pure matchDemands; this file runs one matching round over the held
// offers (when they go out is flush-policy.ts, a lease's states are
// lease-state.ts) and keeps per-waiter statistics of why nothing fitted —
// summaries, never one record per offer.
import type { Offer as MatchOffer } from '../../mesos/resource-types.js';
import { matchDemands, type Demand, type NoFitReason } from '../../mesos/matching.js';
import type { Offer, Resource, TaskInfo } from '../../mesos/schemas/index.js';
import type { MatchReasonSummary } from '../../workflows/progress.js';
import type { OfferLease } from '../contract.js';
import type { LeaseState } from './lease-state.js';

export type { LeaseState } from './lease-state.js';

export interface Waiter {
  taskId: string;
  demand: Demand;
  uniqueGroups: string[];
  since: number;
  resolve(lease: OfferLease): void;
  /** The session closed: the wait fails (the activity is retried where the session lives next). */
  abandon(err: Error): void;
  seenOffers: Set<string>;
  offersSeen: number;
  reasons: Map<string, number>;
}

export type SettleResult = { ok: true } | { ok: false; message: string; retryable: boolean; replace?: boolean };

export interface Lease {
  lease: OfferLease;
  taskId: string;
  uniqueGroups: string[];
  state: LeaseState;
  taskInfo?: TaskInfo;
  /** Settles the launchTask call once the ACCEPT went out (or did not). */
  settle?: (r: SettleResult) => void;
}

export interface HeldOffer {
  offer: Offer;
  /** What is still free for new leases. */
  available: Resource[];
  leases: Map<string, Lease>;
  receivedAt: number;
  firstLeaseAt?: number;
  lastLaunchAt?: number;
  /** A matching round left a waiter unplaced while this offer took leases: it is full for them. */
  turnedAway?: boolean;
  flushing: boolean;
  /** When the offer is looked at again (flush, or decline of an idle offer). */
  timer?: NodeJS.Timeout;
  timerAt?: number;
}

export function reasonText(r: NoFitReason): string {
  switch (r.kind) {
    case 'insufficient':
      return `not enough ${r.resource}`;
    case 'constraint':
      return `constraint: ${r.detail}`;
    case 'role':
      return `role ${r.wanted} not offered`;
  }
}

export function summarize(w: Waiter, now: number): MatchReasonSummary {
  const reasons = [...w.reasons.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([reason, offers]) => ({ reason, offers }));
  return { offersSeen: w.offersSeen, reasons, at: new Date(now).toISOString() };
}

/**
 * Offer ids a waiter remembers having counted. An offer that left the
 * session (accepted, declined, rescinded) is never weighed again, so past
 * this many the ids of offers no longer held are forgotten: the memory of a
 * job waiting for hours stays bounded by the offers held at once (a 10,000
 * job backlog otherwise kept thousands of ids per job).
 */
export const SEEN_OFFERS_KEPT = 64;

/** Counts the open offers a waiter had not weighed yet, remembering them (pruned to the offers still held). */
export function countFreshOffers(w: Pick<Waiter, 'seenOffers'>, open: readonly HeldOffer[], held: ReadonlyMap<string, unknown>): number {
  let fresh = 0;
  for (const h of open) {
    const id = h.offer.id.value;
    if (w.seenOffers.has(id)) continue;
    w.seenOffers.add(id);
    fresh++;
  }
  if (w.seenOffers.size > SEEN_OFFERS_KEPT) for (const id of w.seenOffers) if (!held.has(id)) w.seenOffers.delete(id);
  return fresh;
}

export interface MatchRoundResult {
  /** Offers that got leases in this round. */
  leased: HeldOffer[];
  /** Offers no waiter could use (and that hold no lease): decline them. */
  unusable: HeldOffer[];
}

let leaseSeq = 0;

/**
 * One matching round: waiters in arrival order against the free part of
 * every held offer that is not being flushed. Resolves the awaitOffer of
 * every placed waiter.
 */
export function matchRound(
  offers: Map<string, HeldOffer>,
  waiters: Map<string, Waiter>,
  hostsInUse: Map<string, Set<string>>,
  now: number,
): MatchRoundResult {
  const open = [...offers.values()].filter((h) => !h.flushing);
  if (open.length === 0) return { leased: [], unusable: [] };
  if (waiters.size === 0) return { leased: [], unusable: open.filter((h) => h.leases.size === 0) };
  const list = [...waiters.values()];
  const matchOffers = open.map((h) => ({ ...h.offer, resources: h.available }) as unknown as MatchOffer);
  const result = matchDemands(
    list.map((w) => w.demand),
    matchOffers,
    { hostsInUse },
  );
  const leased: HeldOffer[] = [];
  result.matches.forEach((m, i) => {
    const h = open[i];
    if (!h || m.placements.length === 0) return;
    h.available = m.remaining as unknown as Resource[];
    h.firstLeaseAt ??= now;
    leased.push(h);
    for (const p of m.placements) {
      const w = waiters.get(p.demandId);
      if (!w) continue;
      waiters.delete(p.demandId);
      const lease: OfferLease = {
        leaseId: `${h.offer.id.value}/${++leaseSeq}`,
        offerId: h.offer.id.value,
        agentId: h.offer.agent_id.value,
        hostname: h.offer.hostname,
        resources: p.resources as unknown[],
      };
      h.leases.set(lease.leaseId, { lease, taskId: w.taskId, uniqueGroups: w.uniqueGroups, state: 'leased' });
      for (const g of w.uniqueGroups) {
        let s = hostsInUse.get(g);
        if (!s) hostsInUse.set(g, (s = new Set()));
        s.add(h.offer.hostname);
      }
      w.resolve(lease);
    }
  });
  if (result.unmatched.length > 0) for (const h of open) if (h.leases.size > 0) h.turnedAway = true;
  for (const u of result.unmatched) {
    const w = waiters.get(u.demandId);
    if (!w) continue;
    const fresh = countFreshOffers(w, open, offers);
    if (fresh === 0) continue;
    w.offersSeen += fresh;
    for (const r of u.reasons) {
      const key = reasonText(r.reason);
      w.reasons.set(key, (w.reasons.get(key) ?? 0) + Math.min(r.offers, fresh));
    }
  }
  const unusable = open.filter((h) => h.leases.size === 0);
  return { leased, unusable };
}

/** True once no lease of the offer is still out with its job. */
export function readyToFlush(h: HeldOffer): boolean {
  for (const l of h.leases.values()) if (l.state === 'leased') return false;
  return true;
}
