// Placement constraints on an offer's hostname and agent attributes.
//
// Attribute values are compared as strings:
//   TEXT    → text.value
//   SCALAR  → the number with at most 3 decimals, no trailing zeros ("2", "2.5")
//   RANGES  → Mesos's text form "[31000-32000, 33000-33005]"
//   SET     → Mesos's text form "{a, b}" (items in the agent's order)
// A field naming an attribute the agent does not have fails EQUALS and LIKE
// and satisfies UNLIKE. LIKE/UNLIKE take a JavaScript regular expression that
// must match the whole value (it is anchored as ^(?:value)$). A pattern that
// does not compile satisfies neither LIKE nor UNLIKE (validateConstraint lets
// an API reject it up front). UNIQUE keeps the demands sharing a `group` on
// distinct hostnames; demands without a group share the default group "".

import type { Attribute, Offer } from './resource-types.js';
import { coalesce, formatRanges } from './ranges.js';
import { toMilli } from './resource-identity.js';

export type PlacementConstraint =
  | { field: string; operator: 'EQUALS' | 'LIKE' | 'UNLIKE'; value: string }
  | { field: 'hostname'; operator: 'UNIQUE'; group?: string };

export const DEFAULT_UNIQUE_GROUP = '';

/** The string an attribute is compared as (see the header of this file). */
export function attributeText(attr: Attribute): string {
  switch (attr.type) {
    case 'TEXT':
      return attr.text?.value ?? '';
    case 'SCALAR':
      return String(toMilli(attr.scalar?.value ?? 0) / 1000);
    case 'RANGES':
      return formatRanges(coalesce((attr.ranges?.range ?? []).map((r) => [Number(r.begin), Number(r.end)] as [number, number])));
    case 'SET':
      return `{${(attr.set?.item ?? []).join(', ')}}`;
    default:
      return '';
  }
}

/** The value a constraint field has on an offer: its hostname, or the text of the agent attribute of that name. */
export function offerFieldValue(offer: Offer, field: string): string | undefined {
  if (field === 'hostname') return offer.hostname;
  for (const a of offer.attributes ?? []) if (a.name === field) return attributeText(a);
  return undefined;
}

const regexCache = new Map<string, RegExp | null>();

/** The anchored regex of a LIKE/UNLIKE value, or null when it does not compile. Cached: patterns repeat across demands. */
export function constraintRegex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      re = null;
    }
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** Why a constraint is malformed, or undefined when it is usable. */
export function validateConstraint(c: PlacementConstraint): string | undefined {
  if (c.operator === 'UNIQUE') return (c.field as string) === 'hostname' ? undefined : `UNIQUE applies to the hostname field only, not "${String(c.field)}"`;
  if (c.field.length === 0) return 'constraint field is empty';
  if ((c.operator === 'LIKE' || c.operator === 'UNLIKE') && constraintRegex(c.value) === null) return `"${c.value}" is not a valid regular expression`;
  if (c.operator !== 'EQUALS' && c.operator !== 'LIKE' && c.operator !== 'UNLIKE') return `unknown operator ${String((c as { operator: unknown }).operator)}`;
  return undefined;
}

/** Whether a field value (undefined: the agent lacks the attribute) satisfies an EQUALS/LIKE/UNLIKE constraint. */
export function valueSatisfies(c: Extract<PlacementConstraint, { value: string }>, value: string | undefined): boolean {
  if (c.operator === 'EQUALS') return value !== undefined && value === c.value;
  const re = constraintRegex(c.value);
  if (re === null) return false;
  if (c.operator === 'LIKE') return value !== undefined && re.test(value);
  return value === undefined || !re.test(value);
}

export function uniqueGroup(c: Extract<PlacementConstraint, { operator: 'UNIQUE' }>): string {
  return c.group ?? DEFAULT_UNIQUE_GROUP;
}

/** A key equal for equal constraints; used to cache results and to aggregate reasons. */
export function constraintKey(c: PlacementConstraint): string {
  return c.operator === 'UNIQUE' ? `UNIQUE\u0000${uniqueGroup(c)}` : `${c.operator}\u0000${c.field}\u0000${c.value}`;
}

/** Why offers fail a constraint, independent of the offer so reasons aggregate over offers. */
export function constraintDetail(c: PlacementConstraint): string {
  const what = c.field === 'hostname' ? 'hostname' : `attribute ${c.field}`;
  switch (c.operator) {
    case 'EQUALS':
      return `${what} is not "${c.value}"`;
    case 'LIKE':
      return constraintRegex(c.value) === null ? `invalid regular expression "${c.value}"` : `${what} does not match /${c.value}/`;
    case 'UNLIKE':
      return constraintRegex(c.value) === null ? `invalid regular expression "${c.value}"` : `${what} matches /${c.value}/`;
    case 'UNIQUE':
      return `host already runs a demand of UNIQUE group "${uniqueGroup(c)}"`;
  }
}

/** Checks one constraint against one offer; `hostTaken(group, hostname)` says whether UNIQUE's host is in use. */
export function offerSatisfies(c: PlacementConstraint, offer: Offer, hostTaken: (group: string, hostname: string) => boolean): boolean {
  if (c.operator === 'UNIQUE') return !hostTaken(uniqueGroup(c), offer.hostname);
  return valueSatisfies(c, offerFieldValue(offer, c.field));
}
