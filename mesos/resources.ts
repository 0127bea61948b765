// Mesos resource arithmetic (src/common/resources.cpp semantics) over the
// JSON Resource shape. Resources are grouped by identity (resource-identity.ts)
// so cpus reserved for "web" never mix with unreserved cpus; scalars are
// computed in integer thousandths (Mesos's 3-decimal fixed point) so that
// 0.1 + 0.2 is 0.3; ranges are coalesced inclusive integer ranges; sets are
// sets of strings. Shared resources, persistent volumes and MOUNT/BLOCK/RAW
// disks are indivisible units: equal units are counted, never summed or split.

import type { Resource } from './resource-types.js';
import {
  InvalidResourceError,
  describeResource,
  fromMilli,
  identityKey,
  isUnitResource,
  toMilli,
} from './resource-identity.js';
import { coalesce, containsRanges, formatRanges, rangesCount, subtractRanges, unionRanges, type FlatRanges } from './ranges.js';

/** Thrown by subtractResources when the subtrahend is not contained in the minuend. */
export class ResourceArithmeticError extends Error {
  /** The resource name (`cpus`, `ports`, ...). */
  readonly resourceName: string;
  /** The resource with its identity (`cpus(reserved for web)`). */
  readonly resource: string;
  constructor(operation: string, resource: Resource, detail: string) {
    const what = describeResource(resource);
    super(`Cannot ${operation} ${what}: ${detail}`);
    this.name = new.target.name;
    this.resourceName = resource.name;
    this.resource = what;
  }
}

interface Entry {
  template: Resource;
  unit: boolean;
  /** Unit resources: how many equal copies. */
  copies: number;
  milli: number;
  ranges: FlatRanges;
  items: Set<string> | undefined;
}

function parseRanges(r: Resource): FlatRanges {
  const pairs: Array<[number, number]> = [];
  for (const x of r.ranges?.range ?? []) {
    const b = Number(x.begin);
    const e = Number(x.end);
    if (!Number.isSafeInteger(b) || !Number.isSafeInteger(e)) throw new InvalidResourceError(describeResource(r), `range ${String(x.begin)}-${String(x.end)} is not integral`);
    if (b > e) throw new InvalidResourceError(describeResource(r), `range begin ${b} is after end ${e}`);
    pairs.push([b, e]);
  }
  return coalesce(pairs);
}

function parseMilli(r: Resource): number {
  const v = r.scalar?.value;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidResourceError(describeResource(r), 'a SCALAR resource needs a finite scalar.value');
  if (v < 0) throw new InvalidResourceError(describeResource(r), `negative value ${v}`);
  return toMilli(v);
}

function toEntry(r: Resource): Entry {
  const e: Entry = { template: r, unit: isUnitResource(r), copies: 1, milli: 0, ranges: [], items: undefined };
  switch (r.type) {
    case 'SCALAR':
      e.milli = parseMilli(r);
      break;
    case 'RANGES':
      e.ranges = parseRanges(r);
      break;
    case 'SET':
      e.items = new Set(r.set?.item ?? []);
      break;
    default:
      throw new InvalidResourceError(describeResource(r), `unknown type ${String((r as { type: unknown }).type)}`);
  }
  return e;
}

function isEmptyEntry(e: Entry): boolean {
  if (e.unit) return e.copies <= 0;
  if (e.template.type === 'SCALAR') return e.milli === 0;
  if (e.template.type === 'RANGES') return e.ranges.length === 0;
  return (e.items?.size ?? 0) === 0;
}

function valueKey(e: Entry): string {
  if (e.template.type === 'SCALAR') return String(e.milli);
  if (e.template.type === 'RANGES') return e.ranges.join(',');
  return [...(e.items ?? [])].sort().join('\u0000');
}

function keyOf(r: Resource, e: Entry): string {
  const id = identityKey(r);
  return e.unit ? `${id}\u0001${valueKey(e)}` : id;
}

function entryToResources(e: Entry, out: Resource[]): void {
  const t = e.template;
  if (e.unit) {
    for (let i = 0; i < e.copies; i++) out.push(t);
    return;
  }
  if (t.type === 'SCALAR') out.push({ ...t, scalar: { value: fromMilli(e.milli) } });
  else if (t.type === 'RANGES') {
    const range: Array<{ begin: number; end: number }> = [];
    for (let i = 0; i < e.ranges.length; i += 2) range.push({ begin: e.ranges[i] as number, end: e.ranges[i + 1] as number });
    out.push({ ...t, ranges: { range } });
  } else out.push({ ...t, set: { item: [...(e.items ?? [])] } });
}

function formatValue(e: Entry): string {
  if (e.unit) return `${e.copies} ${e.copies === 1 ? 'copy' : 'copies'}`;
  if (e.template.type === 'SCALAR') return String(fromMilli(e.milli));
  if (e.template.type === 'RANGES') return formatRanges(e.ranges);
  return `{${[...(e.items ?? [])].join(', ')}}`;
}

/**
 * A multiset of resources keyed by identity; the mutable working form behind
 * the exported functions. Entries keep the first resource seen of each identity
 * as the template for output, so its role/reservation/allocation fields survive.
 */
export class ResourceBag {
  private readonly entries = new Map<string, Entry>();

  static of(resources: Iterable<Resource>): ResourceBag {
    const bag = new ResourceBag();
    for (const r of resources) bag.add(r);
    return bag;
  }

  add(r: Resource): void {
    const e = toEntry(r);
    if (isEmptyEntry(e)) return;
    const key = keyOf(r, e);
    const cur = this.entries.get(key);
    if (cur === undefined) {
      this.entries.set(key, e);
      return;
    }
    if (cur.unit) cur.copies += 1;
    else if (r.type === 'SCALAR') cur.milli += e.milli;
    else if (r.type === 'RANGES') cur.ranges = unionRanges(cur.ranges, e.ranges);
    else {
      const items = cur.items ?? new Set<string>();
      for (const i of e.items ?? []) items.add(i);
      cur.items = items;
    }
  }

  /** Why `r` is not contained in this bag, or undefined when it is. */
  private shortfall(r: Resource, e: Entry, key: string): string | undefined {
    const cur = this.entries.get(key);
    if (cur === undefined) return e.unit ? 'no such resource' : `wanted ${formatValue(e)}, available none`;
    if (cur.unit) return cur.copies >= e.copies ? undefined : `wanted ${formatValue(e)}, available ${formatValue(cur)}`;
    if (r.type === 'SCALAR') return cur.milli >= e.milli ? undefined : `wanted ${formatValue(e)}, available ${formatValue(cur)}`;
    if (r.type === 'RANGES') return containsRanges(cur.ranges, e.ranges) ? undefined : `wanted ${formatValue(e)}, available ${formatValue(cur)}`;
    for (const i of e.items ?? []) if (!(cur.items?.has(i) ?? false)) return `wanted ${formatValue(e)}, available ${formatValue(cur)}`;
    return undefined;
  }

  /** Removes `r`; throws ResourceArithmeticError naming the resource when it is not contained. */
  subtract(r: Resource): void {
    const e = toEntry(r);
    if (isEmptyEntry(e)) return;
    const key = keyOf(r, e);
    const why = this.shortfall(r, e, key);
    if (why !== undefined) throw new ResourceArithmeticError('subtract', r, why);
    const cur = this.entries.get(key) as Entry;
    if (cur.unit) cur.copies -= 1;
    else if (r.type === 'SCALAR') cur.milli -= e.milli;
    else if (r.type === 'RANGES') cur.ranges = subtractRanges(cur.ranges, e.ranges);
    else for (const i of e.items ?? []) cur.items?.delete(i);
    if (isEmptyEntry(cur)) this.entries.delete(key);
  }

  contains(other: ResourceBag): boolean {
    for (const [key, e] of other.entries) {
      if (this.shortfall(e.template, e, key) !== undefined) return false;
    }
    return true;
  }

  isEmpty(): boolean {
    return this.entries.size === 0;
  }

  toResources(): Resource[] {
    const out: Resource[] = [];
    for (const e of this.entries.values()) entryToResources(e, out);
    return out;
  }
}

/** Merges resources of the same identity and drops empty ones (scalar 0, no ranges, no items). */
export function normalizeResources(resources: readonly Resource[]): Resource[] {
  return ResourceBag.of(resources).toResources();
}

export function addResources(a: readonly Resource[], b: readonly Resource[]): Resource[] {
  const bag = ResourceBag.of(a);
  for (const r of b) bag.add(r);
  return bag.toResources();
}

/** a − b. Throws ResourceArithmeticError naming the resource when b is not contained in a. */
export function subtractResources(a: readonly Resource[], b: readonly Resource[]): Resource[] {
  const bag = ResourceBag.of(a);
  // Subtract b merged, so that two parts of b that together exceed a are caught.
  for (const r of ResourceBag.of(b).toResources()) bag.subtract(r);
  return bag.toResources();
}

/** Whether a holds all of b, identity by identity (Mesos `Resources::contains`). */
export function containsResources(a: readonly Resource[], b: readonly Resource[]): boolean {
  return ResourceBag.of(a).contains(ResourceBag.of(b));
}

export function isEmptyResources(resources: readonly Resource[]): boolean {
  return ResourceBag.of(resources).isEmpty();
}

/** The total of the SCALAR resources named `name`, over every role and reservation, with 3-decimal precision. */
export function sumScalar(resources: readonly Resource[], name: string): number {
  let milli = 0;
  for (const r of resources) if (r.name === name && r.type === 'SCALAR') milli += parseMilli(r);
  return fromMilli(milli);
}

/** The union of the RANGES resources named `name` (every role), coalesced. */
export function rangesOf(resources: readonly Resource[], name: string): Array<{ begin: number; end: number }> {
  let acc: FlatRanges = [];
  for (const r of resources) if (r.name === name && r.type === 'RANGES') acc = unionRanges(acc, parseRanges(r));
  const out: Array<{ begin: number; end: number }> = [];
  for (let i = 0; i < acc.length; i += 2) out.push({ begin: acc[i] as number, end: acc[i + 1] as number });
  return out;
}

/** How many values (e.g. ports) the RANGES resources named `name` hold, over every role. */
export function rangesTotal(resources: readonly Resource[], name: string): number {
  let acc: FlatRanges = [];
  for (const r of resources) if (r.name === name && r.type === 'RANGES') acc = unionRanges(acc, parseRanges(r));
  return rangesCount(acc);
}

export { parseRanges as flatRangesOf, parseMilli as milliOf };
export { InvalidResourceError } from './resource-identity.js';
