// Matching an ordered list of demands (waiting jobs) against the offers on
// hand, as a pure function. First come, first served: demands are taken in
// order and each lands on the first offer (in the given order) that still has
// room for it and satisfies its role and placement constraints; an offer keeps
// a running remainder, so it takes as many demands as fit. Ports are the
// lowest free ones of the offer's ranges, distinct across the demands placed
// on one offer. Roles: see offer-pool.ts. Constraints: see constraints.ts.
//
// Speed: offers become OfferStates (integer thousandths, cached per-role
// totals); for every demand role the maxima of the offers' remainders are
// kept as an upper bound, so a demand larger than every offer is rejected in
// O(1) without a scan, and the maxima are recomputed only when a demand
// passes the stale bound. Resource objects are created only for a demand
// that is placed.
//
// Reasons for the demands that fit nowhere are computed after the loop, in
// one pass (match-reasons.ts), against the offers' final remainders. That is
// truthful: remainders only shrink and UNIQUE hosts only fill up during a
// match, so whatever stopped a demand at its turn still holds at the end;
// the figures ("available") are what the next demand of that size would face.

import type { Offer, Resource } from './resource-types.js';
import { constraintKey, offerSatisfies, uniqueGroup, type PlacementConstraint } from './constraints.js';
import { OfferState, type RoleView } from './offer-pool.js';
import { explainUnmatched, type Unmatched } from './match-reasons.js';
import { demandNeeds, type Demand } from './demand.js';

export type { PlacementConstraint } from './constraints.js';
export type { NoFitReason, Unmatched } from './match-reasons.js';
export type { Demand, ResourceDemand } from './demand.js';
export { demandNeeds } from './demand.js';

export interface MatchOptions {
  /** Hostnames already used per UNIQUE group (by running tasks, or by leases outside this match). */
  hostsInUse?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Compute reasons for the unmatched demands (default true). Without, `reasons` is empty. */
  explain?: boolean;
}

export interface Placement {
  demandId: string;
  /** Concrete resources for TaskInfo.resources: scalars and the chosen ports, in the offer's role/reservation/allocation shape. */
  resources: Resource[];
}

export interface OfferMatch {
  offer: Offer;
  placements: Placement[];
  /** What is left of the offer after the placements. */
  remaining: Resource[];
}

export interface MatchResult {
  /** One per offer, in offer order, possibly with zero placements. */
  matches: OfferMatch[];
  /** Demands that fit nowhere, in demand order. */
  unmatched: Unmatched[];
}

/** Per demand role: each offer's view, and an upper bound of the remainders' maxima. */
interface RoleIndex {
  views: Array<RoleView | null>;
  max: Float64Array;
  /** The `changes` count the maxima were computed at. */
  at: number;
}

function exceeds(need: Float64Array, max: Float64Array): boolean {
  return need[0]! > max[0]! || need[1]! > max[1]! || need[2]! > max[2]! || need[3]! > max[3]! || need[4]! > max[4]!;
}

export function matchDemands(demands: readonly Demand[], offers: readonly Offer[], options: MatchOptions = {}): MatchResult {
  const states = offers.map((o) => new OfferState(o));
  const n = states.length;
  const usedHere = new Map<string, Set<string>>();
  const inUse = options.hostsInUse;
  const hostTaken = (group: string, host: string): boolean => (usedHere.get(group)?.has(host) ?? false) || (inUse?.get(group)?.has(host) ?? false);
  // Results of EQUALS/LIKE/UNLIKE per offer do not change during a match: 0 unknown, 1 pass, 2 fail.
  const staticResults = new Map<string, Int8Array>();
  const roles = new Map<string | undefined, RoleIndex>();
  let changes = 0;
  const need = new Float64Array(5);
  const unmatched: number[] = [];

  const roleIndex = (role: string | undefined): RoleIndex => {
    let ri = roles.get(role);
    if (ri === undefined) {
      ri = { views: states.map((s) => s.view(role)), max: new Float64Array(5), at: -1 };
      roles.set(role, ri);
    }
    return ri;
  };
  const recomputeMax = (ri: RoleIndex): void => {
    ri.max.fill(0);
    for (let i = 0; i < n; i++) {
      const v = ri.views[i];
      if (v == null) continue;
      (states[i] as OfferState).refresh(v);
      for (let d = 0; d < 5; d++) if (v.totals[d]! > ri.max[d]!) ri.max[d] = v.totals[d]!;
    }
    ri.at = changes;
  };
  const satisfies = (cs: readonly PlacementConstraint[], i: number): boolean => {
    const st = states[i] as OfferState;
    for (const c of cs) {
      if (c.operator === 'UNIQUE') {
        if (hostTaken(uniqueGroup(c), st.hostname)) return false;
        continue;
      }
      const key = constraintKey(c);
      let res = staticResults.get(key);
      if (res === undefined) {
        res = new Int8Array(n);
        staticResults.set(key, res);
      }
      let r = res[i]!;
      if (r === 0) {
        r = offerSatisfies(c, st.offer, hostTaken) ? 1 : 2;
        res[i] = r;
      }
      if (r === 2) return false;
    }
    return true;
  };

  for (let di = 0; di < demands.length; di++) {
    const demand = demands[di] as Demand;
    demandNeeds(demand.resources, need);
    const ri = roleIndex(demand.role);
    // Stale maxima only overestimate (remainders shrink), so "exceeds" is conclusive either way; recompute only to confirm a fit.
    if (ri.at < 0) recomputeMax(ri);
    if (exceeds(need, ri.max)) {
      unmatched.push(di);
      continue;
    }
    if (ri.at !== changes) {
      recomputeMax(ri);
      if (exceeds(need, ri.max)) {
        unmatched.push(di);
        continue;
      }
    }
    const cs = demand.constraints;
    let placed = false;
    for (let i = 0; i < n; i++) {
      const v = ri.views[i];
      if (v == null) continue;
      const st = states[i] as OfferState;
      st.refresh(v);
      const t = v.totals;
      if (need[0]! > t[0]! || need[1]! > t[1]! || need[2]! > t[2]! || need[3]! > t[3]! || need[4]! > t[4]!) continue;
      if (cs !== undefined && cs.length > 0 && !satisfies(cs, i)) continue;
      st.placements.push({ demandId: demand.id, resources: st.take(v, need) });
      changes++;
      if (cs !== undefined) {
        for (const c of cs) {
          if (c.operator !== 'UNIQUE') continue;
          const g = uniqueGroup(c);
          let set = usedHere.get(g);
          if (set === undefined) usedHere.set(g, (set = new Set()));
          set.add(st.hostname);
        }
      }
      placed = true;
      break;
    }
    if (!placed) unmatched.push(di);
  }

  const matches: OfferMatch[] = states.map((s) => ({
    offer: s.offer,
    placements: s.placements,
    remaining: s.placements.length === 0 ? (s.offer.resources ?? []).slice() : s.remaining(),
  }));
  const explain = options.explain ?? true;
  return {
    matches,
    unmatched: explain
      ? explainUnmatched(demands, unmatched, states, hostTaken)
      : unmatched.map((di) => ({ demandId: (demands[di] as Demand).id, reasons: [] })),
  };
}
