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
// kept (exact, or a stale upper bound), so a demand larger than every offer
// is rejected in O(1) without a scan. Demands of the same role and
// constraints form a group that remembers the sizes that found no offer: a
// later demand at least as large in every dimension is rejected without a
// scan too (remainders only shrink during a match). Resource objects are
// created only for a demand that is placed.
//
// Reasons for the demands that fit nowhere are computed after the loop, in
// one pass (match-reasons.ts), against the offers' final remainders. That is
// truthful: remainders only shrink and UNIQUE hosts only fill up during a
// match, so whatever stopped a demand at its turn still holds at the end;
// the figures ("available") are what the next demand of that size would face.
// The trade-off: a reason names the state after the whole match, not the
// state at the demand's turn (which would cost a scan per unmatched demand).

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
  /** Per dimension, the offer holding the maximum. */
  argMax: Int32Array;
  /** The `changes` count the maxima are exact for (-1: never computed). */
  at: number;
}

/** Demands of one role with the same constraints: they succeed or fail on the same offers. */
interface DemandGroup {
  /** Distinct per group within one match. */
  id: number;
  roles: RoleIndex;
  /**
   * Need vectors that found no offer, minimal ones only. Remainders only shrink
   * and UNIQUE hosts only fill up, so a later demand of this group needing at
   * least as much in every dimension cannot fit either: it is rejected without
   * a scan. This is what keeps a long queue of small demands that no longer
   * fit anywhere cheap.
   */
  failed: Float64Array[];
}

const MAX_FAILED_VECTORS = 32;

function exceeds(need: Float64Array, max: Float64Array): boolean {
  return need[0]! > max[0]! || need[1]! > max[1]! || need[2]! > max[2]! || need[3]! > max[3]! || need[4]! > max[4]!;
}

function dominatesFailure(need: Float64Array, failed: readonly Float64Array[]): boolean {
  for (const f of failed) {
    if (need[0]! >= f[0]! && need[1]! >= f[1]! && need[2]! >= f[2]! && need[3]! >= f[3]! && need[4]! >= f[4]!) return true;
  }
  return false;
}

function recordFailure(g: DemandGroup, need: Float64Array): void {
  const kept = g.failed.filter((f) => !(f[0]! >= need[0]! && f[1]! >= need[1]! && f[2]! >= need[2]! && f[3]! >= need[3]! && f[4]! >= need[4]!));
  if (kept.length >= MAX_FAILED_VECTORS) return;
  kept.push(Float64Array.from(need));
  g.failed = kept;
}

function constraintSignature(cs: readonly PlacementConstraint[] | undefined, cache: Map<readonly PlacementConstraint[], string>): string {
  if (cs === undefined || cs.length === 0) return '';
  let sig = cache.get(cs);
  if (sig === undefined) {
    sig = cs.length === 1 ? constraintKey(cs[0] as PlacementConstraint) : cs.map(constraintKey).join('\u0002');
    cache.set(cs, sig);
  }
  return sig;
}

export function matchDemands(demands: readonly Demand[], offers: readonly Offer[], options: MatchOptions = {}): MatchResult {
  const states = offers.map((o) => new OfferState(o));
  const n = states.length;
  const usedHere = new Map<string, Set<string>>();
  const inUse = options.hostsInUse;
  const hostTaken = (group: string, host: string): boolean => (usedHere.get(group)?.has(host) ?? false) || (inUse?.get(group)?.has(host) ?? false);
  // Results of EQUALS/LIKE/UNLIKE per offer do not change during a match: 0 unknown, 1 pass, 2 fail.
  const staticByKey = new Map<string, Int8Array>();
  const staticByObject = new Map<PlacementConstraint, Int8Array>();
  const roles = new Map<string | undefined, RoleIndex>();
  const groups = new Map<string | undefined, Map<string, DemandGroup>>();
  let groupCount = 0;
  // Per call, not across calls: a caller may reuse and change a constraints array between cycles.
  const signatures = new Map<readonly PlacementConstraint[], string>();
  let changes = 0;
  const need = new Float64Array(5);
  const unmatched: number[] = [];
  const unmatchedGroups: number[] = [];
  let unmatchedNeeds = new Float64Array(5 * 64);

  const roleIndex = (role: string | undefined): RoleIndex => {
    let ri = roles.get(role);
    if (ri === undefined) {
      ri = { views: states.map((s) => s.view(role)), max: new Float64Array(5), argMax: new Int32Array(5), at: -1 };
      roles.set(role, ri);
    }
    return ri;
  };
  // Two levels, so that no key string is built per demand.
  const groupOf = (demand: Demand): DemandGroup => {
    let byRole = groups.get(demand.role);
    if (byRole === undefined) groups.set(demand.role, (byRole = new Map()));
    const sig = constraintSignature(demand.constraints, signatures);
    let g = byRole.get(sig);
    if (g === undefined) {
      g = { id: groupCount++, roles: roleIndex(demand.role), failed: [] };
      byRole.set(sig, g);
    }
    return g;
  };
  const recomputeMax = (ri: RoleIndex): void => {
    ri.max.fill(0);
    ri.argMax.fill(-1);
    for (let i = 0; i < n; i++) {
      const v = ri.views[i];
      if (v == null) continue;
      (states[i] as OfferState).refresh(v);
      for (let d = 0; d < 5; d++) {
        if (v.totals[d]! > ri.max[d]!) {
          ri.max[d] = v.totals[d]!;
          ri.argMax[d] = i;
        }
      }
    }
    ri.at = changes;
  };
  const staticResults = (c: PlacementConstraint): Int8Array => {
    let res = staticByObject.get(c);
    if (res === undefined) {
      const key = constraintKey(c);
      res = staticByKey.get(key);
      if (res === undefined) {
        res = new Int8Array(n);
        staticByKey.set(key, res);
      }
      staticByObject.set(c, res);
    }
    return res;
  };
  const satisfies = (cs: readonly PlacementConstraint[], i: number): boolean => {
    const st = states[i] as OfferState;
    for (const c of cs) {
      if (c.operator === 'UNIQUE') {
        if (hostTaken(uniqueGroup(c), st.hostname)) return false;
        continue;
      }
      const res = staticResults(c);
      let r = res[i]!;
      if (r === 0) {
        r = offerSatisfies(c, st.offer, hostTaken) ? 1 : 2;
        res[i] = r;
      }
      if (r === 2) return false;
    }
    return true;
  };
  const reject = (di: number, g: DemandGroup): void => {
    const k = unmatched.length;
    if (5 * k + 5 > unmatchedNeeds.length) {
      const grown = new Float64Array(unmatchedNeeds.length * 2);
      grown.set(unmatchedNeeds);
      unmatchedNeeds = grown;
    }
    unmatchedNeeds.set(need, 5 * k);
    unmatched.push(di);
    unmatchedGroups.push(g.id);
  };

  for (let di = 0; di < demands.length; di++) {
    const demand = demands[di] as Demand;
    demandNeeds(demand.resources, need);
    const g = groupOf(demand);
    const ri = g.roles;
    // Stale maxima only overestimate (remainders shrink), so "exceeds" is conclusive either way; recompute only to confirm a fit.
    if (ri.at < 0) recomputeMax(ri);
    if (exceeds(need, ri.max) || dominatesFailure(need, g.failed)) {
      reject(di, g);
      continue;
    }
    if (ri.at !== changes) {
      recomputeMax(ri);
      if (exceeds(need, ri.max)) {
        reject(di, g);
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
      // Only offer i shrank: maxima that were exact and not held by it stay exact.
      for (const other of roles.values()) {
        if (other.at === changes && other.argMax.indexOf(i) < 0) other.at = changes + 1;
      }
      changes++;
      if (cs !== undefined) {
        for (const c of cs) {
          if (c.operator !== 'UNIQUE') continue;
          const group = uniqueGroup(c);
          let set = usedHere.get(group);
          if (set === undefined) usedHere.set(group, (set = new Set()));
          set.add(st.hostname);
        }
      }
      placed = true;
      break;
    }
    if (!placed) {
      recordFailure(g, need);
      reject(di, g);
    }
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
      ? explainUnmatched(demands, unmatched, unmatchedGroups, unmatchedNeeds, states, hostTaken)
      : unmatched.map((di) => ({ demandId: (demands[di] as Demand).id, reasons: [] })),
  };
}
