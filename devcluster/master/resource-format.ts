// Resources in the forms the master needs: the accounting form (unreserved,
// no role, no allocation_info), the offer formats of spec §5 "Resource format
// rules", Mesos's text form for validation messages, and the v0 name→value
// maps of /master/state.
import type { Resource } from '../../mesos/schemas/index.js';
import { flatRangesOf, normalizeResources } from '../../mesos/resources.js';
import { formatRanges } from '../../mesos/ranges.js';
import type { Resource as ArithmeticResource } from '../../mesos/resource-types.js';

/** The schema Resource and the arithmetic's structural Resource differ only in optionality of nested fields. */
export const forArithmetic = (rs: readonly Resource[]): ArithmeticResource[] => rs as unknown as ArithmeticResource[];
export const fromArithmetic = (rs: readonly ArithmeticResource[]): Resource[] => rs as unknown as Resource[];

/**
 * Drops `role: "*"` and allocation_info and merges entries of the same
 * identity: what the master counts. Reserved resources keep their reservation.
 */
export function accountingForm(resources: readonly Resource[]): Resource[] {
  const stripped = resources.map((r) => {
    const { allocation_info: _a, role, ...rest } = r;
    return role === undefined || role === '*' ? rest : { ...rest, role };
  });
  try {
    return fromArithmetic(normalizeResources(forArithmetic(stripped)));
  } catch {
    // Invalid resources (negative, non-finite): kept as given; task validation reports them.
    return stripped;
  }
}

export interface FormatCapabilities {
  multiRole: boolean;
  refinement: boolean;
  /** Keep the given order (agent totals); offers list non-scalar resources first. */
  keepOrder?: boolean;
}

/**
 * Offered (or reported) resources for a framework: MULTI_ROLE → allocation_info;
 * without RESERVATION_REFINEMENT unreserved resources carry `role: "*"`.
 * Non-scalar resources come first, as Mesos 1.12 lists them in offers.
 */
export function offerForm(resources: readonly Resource[], role: string, caps: FormatCapabilities): Resource[] {
  const ordered = caps.keepOrder === true ? resources : [...resources.filter((r) => r.type !== 'SCALAR'), ...resources.filter((r) => r.type === 'SCALAR')];
  return ordered.map((r) => {
    const out: Resource = { name: r.name, type: r.type };
    if (r.scalar !== undefined) out.scalar = r.scalar;
    if (r.ranges !== undefined) out.ranges = r.ranges;
    if (r.set !== undefined) out.set = r.set;
    if (!caps.refinement) out.role = r.role ?? '*';
    if (caps.multiRole) out.allocation_info = { role };
    for (const [k, v] of Object.entries(r)) if (!(k in out) && k !== 'role' && k !== 'allocation_info') (out as Record<string, unknown>)[k] = v;
    return out;
  });
}

function valueText(r: Resource): string {
  switch (r.type) {
    case 'SCALAR':
      return String(r.scalar?.value ?? 0);
    case 'RANGES':
      return formatRanges(flatRangesOf(forArithmetic([r])[0] as ArithmeticResource));
    case 'SET':
      return `{${(r.set?.item ?? []).join(', ')}}`;
    default:
      return '';
  }
}

/** Mesos's `operator<<(Resources)`: `cpus(allocated: *):0.1; mem(allocated: *):32`. */
export function describeResources(resources: readonly Resource[], allocationRole: string | undefined): string {
  return resources
    .map((r) => {
      let s = r.name;
      if (allocationRole !== undefined) s += `(allocated: ${allocationRole})`;
      if (r.role !== undefined && r.role !== '*') s += `(reservations: [(STATIC,${r.role})])`;
      return `${s}:${valueText(r)}`;
    })
    .join('; ');
}

/** v0 state map: `{"disk":0.0,"mem":32.0,"gpus":0.0,"cpus":0.1,"ports":"[31000-32000]"}`. */
export function resourceMap(resources: readonly Resource[]): Record<string, number | string> {
  const out: Record<string, number | string> = { disk: 0, mem: 0, gpus: 0, cpus: 0 };
  for (const r of resources) {
    if (r.type === 'SCALAR') out[r.name] = Math.round(((typeof out[r.name] === 'number' ? (out[r.name] as number) : 0) + (r.scalar?.value ?? 0)) * 1000) / 1000;
    else out[r.name] = valueText(r);
  }
  return out;
}
