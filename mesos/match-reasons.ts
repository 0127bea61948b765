// Why demands fit no offer, aggregated over the offers, computed once after
// the matching loop against the offers' final remainders (see matching.ts for
// why that is truthful). Every reason is counted independently: an offer
// short of both cpus and mem counts under both, so each offer that a demand
// could not use appears under at least one reason. An offer whose resources
// the demand's role may not use counts only under `role`.
//
// Cost: per demand role the offers' remainders are sorted once per dimension,
// so an unmatched demand's insufficient-resource reasons are binary searches;
// constraint failures are counted once per distinct constraint and role.
// Explaining 10,000 unmatched demands is thus a few milliseconds, not a
// 10,000 × offers scan.

import type { PlacementConstraint } from './constraints.js';
import { constraintDetail, constraintKey, offerSatisfies } from './constraints.js';
import { DIMENSIONS, PORTS, type Dimension, type OfferState } from './offer-pool.js';
import type { Demand } from './demand.js';

export type NoFitReason =
  | { kind: 'insufficient'; resource: Dimension; wanted: number; available: number /* the most any offer lacking it had */ }
  | { kind: 'constraint'; constraint: PlacementConstraint; detail: string }
  | { kind: 'role'; wanted: string; offered: string[] };

export interface Unmatched {
  demandId: string;
  /** Most frequent first; `offers` = how many offers failed for that reason. */
  reasons: Array<{ reason: NoFitReason; offers: number }>;
}

interface RoleSummary {
  /** Offers whose resources the role may use. */
  eligible: number[];
  /** Per dimension, the eligible offers' remainders in ascending order. */
  sorted: Float64Array[];
  roleFailures: number;
  offeredToOthers: string[];
  /** Per dimension, the insufficient reason (null: none) for each wanted amount seen. */
  insufficient: Array<Map<number, Unmatched['reasons'][number] | null>>;
}

interface MemoEntry {
  group: number;
  need: Float64Array;
  reasons: Unmatched['reasons'];
}

function needsHash(group: number, need: Float64Array): number {
  let h = group | 0;
  for (let d = 0; d < 5; d++) h = (Math.imul(h, 0x01000193) ^ ((need[d] as number) | 0)) | 0;
  return h;
}

function findEntry(bucket: readonly MemoEntry[], group: number, need: Float64Array): Unmatched['reasons'] | undefined {
  for (const e of bucket) {
    const n = e.need;
    if (e.group === group && n[0] === need[0] && n[1] === need[1] && n[2] === need[2] && n[3] === need[3] && n[4] === need[4]) return e.reasons;
  }
  return undefined;
}

/** How many values in the ascending array are below x. */
function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type ReasonCount = Unmatched['reasons'][number];

/**
 * `unmatched[k]` indexes `demands`; `groups[k]` is a number equal for demands
 * of the same role and constraints; `needs[5k..5k+4]` is that demand's
 * demandNeeds. Demands equal in group and size share one (read-only) reasons
 * array, and reason objects are shared too, so a long queue of similar jobs
 * is explained with few allocations.
 */
export function explainUnmatched(
  demands: readonly Demand[],
  unmatched: readonly number[],
  groups: readonly number[],
  needs: Float64Array,
  states: readonly OfferState[],
  hostTaken: (group: string, host: string) => boolean,
): Unmatched[] {
  const memo = new Map<number, MemoEntry[]>();
  const summaries = new Map<string | undefined, RoleSummary>();
  const groupReasons = new Map<number, ReasonCount[]>();
  const need = new Float64Array(5);

  const summary = (role: string | undefined): RoleSummary => {
    let s = summaries.get(role);
    if (s !== undefined) return s;
    const eligible: number[] = [];
    const offered = new Set<string>();
    const columns = DIMENSIONS.map(() => [] as number[]);
    states.forEach((st, i) => {
      const v = st.view(role);
      if (v === null) {
        for (const r of st.offeredRoles()) offered.add(r);
        return;
      }
      st.refresh(v);
      eligible.push(i);
      for (let d = 0; d < 5; d++) columns[d]?.push(v.totals[d] as number);
    });
    s = {
      eligible,
      sorted: columns.map((c) => Float64Array.from(c).sort()),
      roleFailures: states.length - eligible.length,
      offeredToOthers: [...offered].sort(),
      insufficient: DIMENSIONS.map(() => new Map<number, ReasonCount | null>()),
    };
    summaries.set(role, s);
    return s;
  };

  // Role and constraint reasons depend on the group only.
  const fixedReasons = (group: number, demand: Demand, s: RoleSummary): ReasonCount[] => {
    let rs = groupReasons.get(group);
    if (rs !== undefined) return rs;
    rs = [];
    if (demand.role !== undefined && s.roleFailures > 0) {
      rs.push({ reason: { kind: 'role', wanted: demand.role, offered: s.offeredToOthers }, offers: s.roleFailures });
    }
    const seen = new Set<string>();
    for (const c of demand.constraints ?? []) {
      const ck = constraintKey(c);
      if (seen.has(ck)) continue;
      seen.add(ck);
      let failed = 0;
      for (const i of s.eligible) if (!offerSatisfies(c, (states[i] as OfferState).offer, hostTaken)) failed++;
      if (failed > 0) rs.push({ reason: { kind: 'constraint', constraint: c, detail: constraintDetail(c) }, offers: failed });
    }
    groupReasons.set(group, rs);
    return rs;
  };

  const insufficient = (s: RoleSummary, d: number, wanted: number): ReasonCount | null => {
    const cache = s.insufficient[d] as Map<number, ReasonCount | null>;
    let r = cache.get(wanted);
    if (r !== undefined) return r;
    const col = s.sorted[d] as Float64Array;
    const k = countBelow(col, wanted);
    if (k === 0) r = null;
    else {
      const best = col[k - 1] as number;
      r = {
        reason: {
          kind: 'insufficient',
          resource: DIMENSIONS[d] as Dimension,
          wanted: d === PORTS ? wanted : wanted / 1000,
          available: d === PORTS ? best : best / 1000,
        },
        offers: k,
      };
    }
    cache.set(wanted, r);
    return r;
  };

  const out: Unmatched[] = new Array<Unmatched>(unmatched.length);
  for (let k = 0; k < unmatched.length; k++) {
    const demand = demands[unmatched[k] as number] as Demand;
    for (let d = 0; d < 5; d++) need[d] = needs[5 * k + d] as number;
    const group = groups[k] as number;
    const hash = needsHash(group, need);
    let bucket = memo.get(hash);
    if (bucket === undefined) memo.set(hash, (bucket = []));
    const known = findEntry(bucket, group, need);
    if (known !== undefined) {
      out[k] = { demandId: demand.id, reasons: known };
      continue;
    }
    const s = summary(demand.role);
    const reasons = fixedReasons(group, demand, s).slice();
    for (let d = 0; d < 5; d++) {
      const wanted = need[d] as number;
      if (wanted <= 0) continue;
      const r = insufficient(s, d, wanted);
      if (r !== null) reasons.push(r);
    }
    if (reasons.length > 1) reasons.sort((a, b) => b.offers - a.offers);
    bucket.push({ group, need: Float64Array.from(need), reasons });
    out[k] = { demandId: demand.id, reasons };
  }
  return out;
}
