// The matcher's working form of one offer: the resources a task can take a
// part of (cpus, mem, disk, gpus scalars and ports ranges) become mutable
// "slots" holding the running remainder, in integer thousandths (ports: a
// count plus the free ranges). A RoleView lists the slots one demand role may
// use, reserved ones first, with cached totals refreshed only after the offer
// changed — so the hot loop of the matcher compares five numbers and creates
// no objects until a demand is actually placed.
//
// Role rule (Mesos `isAllocatableTo` plus the allocation role of the offer):
// a demand with role R may use a resource when the resource is allocated to R
// (allocation_info.role, or none for frameworks without MULTI_ROLE) and is
// unreserved, reserved for R, or reserved for an ancestor of R ("eng" for
// "eng/web"). A demand without a role may use every resource allocated to
// the offer's role (an offer has one allocation role), reserved or not.
// Revocable, shared, persistent-volume and MOUNT/BLOCK/RAW disk resources are
// never used: a job asks for plain resources and these cannot be split.

import type { Offer, Resource } from './resource-types.js';
import { allocationRole, isAllocatableTo, isUnitResource, reservationRole, toMilli } from './resource-identity.js';
import { lowestRanges, rangesCount, subtractRanges, type FlatRanges } from './ranges.js';
import { flatRangesOf } from './resources.js';

export const DIMENSIONS = ['cpus', 'mem', 'disk', 'gpus', 'ports'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const PORTS = 4;
const DIMENSION_INDEX: Record<string, number> = { cpus: 0, mem: 1, disk: 2, gpus: 3, ports: 4 };

export interface Slot {
  readonly template: Resource;
  readonly dim: number;
  readonly allocRole: string | undefined;
  readonly reserved: boolean;
  /** The remainder: thousandths for scalars, number of values for ports. */
  amount: number;
  readonly initial: number;
  /** Free ranges (ports only). */
  ranges: FlatRanges;
}

export class RoleView {
  /** Slots per dimension (index into DIMENSIONS), reserved ones first. */
  readonly slots: Slot[][] = [[], [], [], [], []];
  readonly totals = new Float64Array(5);
  version = -1;
}

export interface PlacedDemand {
  demandId: string;
  resources: Resource[];
}

export class OfferState {
  readonly offer: Offer;
  readonly hostname: string;
  /** Per entry of offer.resources: its slot, or undefined when the matcher never touches it. */
  private readonly slotOf: Array<Slot | undefined>;
  private readonly slots: Slot[];
  private readonly allocRole: string | undefined;
  private readonly views = new Map<string, RoleView | null>();
  readonly placements: PlacedDemand[] = [];
  /** Bumped whenever a placement consumes from this offer. */
  version = 0;

  constructor(offer: Offer) {
    this.offer = offer;
    this.hostname = offer.hostname;
    this.slotOf = (offer.resources ?? []).map((r) => makeSlot(r, offer));
    this.slots = this.slotOf.filter((s): s is Slot => s !== undefined);
    this.allocRole = offer.allocation_info?.role ?? this.slots.find((s) => s.allocRole !== undefined)?.allocRole;
  }

  /** The view of a demand role (undefined: any role), or null when nothing here may be used by that role. */
  view(role: string | undefined): RoleView | null {
    const key = role ?? '\u0000any';
    let v = this.views.get(key);
    if (v !== undefined) return v;
    const eligible =
      role === undefined
        ? this.slots.filter((s) => s.allocRole === undefined || s.allocRole === this.allocRole)
        : this.slots.filter((s) => (s.allocRole === undefined || s.allocRole === role) && isAllocatableTo(s.template, role));
    if (role !== undefined && eligible.length === 0 && this.slots.length > 0) v = null;
    else {
      v = new RoleView();
      for (const s of eligible) if (s.reserved) v.slots[s.dim]?.push(s);
      for (const s of eligible) if (!s.reserved) v.slots[s.dim]?.push(s);
    }
    this.views.set(key, v);
    return v;
  }

  /** Brings a view's totals up to date with this offer's remainder. */
  refresh(v: RoleView): void {
    if (v.version === this.version) return;
    for (let d = 0; d < 5; d++) {
      let sum = 0;
      for (const s of v.slots[d] as Slot[]) sum += s.amount;
      v.totals[d] = sum;
    }
    v.version = this.version;
  }

  /** Takes the amounts (thousandths; ports: a count) from the view's slots and returns the concrete resources taken. */
  take(v: RoleView, need: ArrayLike<number>): Resource[] {
    const out: Resource[] = [];
    for (let d = 0; d < 5; d++) {
      let left = need[d] as number;
      if (left <= 0) continue;
      for (const s of v.slots[d] as Slot[]) {
        if (left === 0) break;
        const t = s.amount < left ? s.amount : left;
        if (t === 0) continue;
        s.amount -= t;
        left -= t;
        if (d === PORTS) {
          const chosen = lowestRanges(s.ranges, t);
          s.ranges = subtractRanges(s.ranges, chosen);
          out.push({ ...s.template, ranges: { range: toRangeObjects(chosen) } });
        } else {
          out.push({ ...s.template, scalar: { value: t / 1000 } });
        }
      }
    }
    this.version++;
    return out;
  }

  /** The roles this offer's usable resources are for: the allocation role, else the reservation roles and "*". */
  offeredRoles(): string[] {
    if (this.allocRole !== undefined) return [this.allocRole];
    const roles = new Set<string>();
    for (const s of this.slots) roles.add(reservationRole(s.template) ?? '*');
    return [...roles].sort();
  }

  /** The offer's resources minus everything placed, in the offer's order and shape; emptied resources are dropped. */
  remaining(): Resource[] {
    const out: Resource[] = [];
    (this.offer.resources ?? []).forEach((r, i) => {
      const s = this.slotOf[i];
      if (s === undefined || s.amount === s.initial) out.push(r);
      else if (s.amount > 0) out.push(s.dim === PORTS ? { ...r, ranges: { range: toRangeObjects(s.ranges) } } : { ...r, scalar: { value: s.amount / 1000 } });
    });
    return out;
  }
}

function toRangeObjects(flat: FlatRanges): Array<{ begin: number; end: number }> {
  const out: Array<{ begin: number; end: number }> = [];
  for (let i = 0; i < flat.length; i += 2) out.push({ begin: flat[i] as number, end: flat[i + 1] as number });
  return out;
}

function makeSlot(r: Resource, offer: Offer): Slot | undefined {
  const dim = DIMENSION_INDEX[r.name];
  if (dim === undefined) return undefined;
  if (r.revocable != null || isUnitResource(r)) return undefined;
  const allocRole = allocationRole(r) ?? offer.allocation_info?.role ?? undefined;
  const reserved = reservationRole(r) !== undefined;
  try {
    if (dim === PORTS) {
      if (r.type !== 'RANGES') return undefined;
      const ranges = flatRangesOf(r);
      const n = rangesCount(ranges);
      return { template: r, dim, allocRole, reserved, amount: n, initial: n, ranges };
    }
    if (r.type !== 'SCALAR') return undefined;
    const v = r.scalar?.value;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
    const m = toMilli(v);
    return { template: r, dim, allocRole, reserved, amount: m, initial: m, ranges: [] };
  } catch {
    // A malformed resource in an offer is left alone rather than failing the whole match.
    return undefined;
  }
}
