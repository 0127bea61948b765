// Inclusive integer ranges (Mesos Value::Ranges) kept as a flat, sorted,
// coalesced array [b0, e0, b1, e1, ...]. Flat arrays keep the matcher free of
// per-range objects; every function here takes and returns normalized input
// (sorted, disjoint, non-adjacent), like Mesos's coalesced ranges.

export type FlatRanges = number[];

/** Sorts and coalesces arbitrary [begin, end] pairs; overlapping and adjacent ranges merge ([1-2],[3-4] → [1-4]). */
export function coalesce(pairs: ReadonlyArray<readonly [number, number]>): FlatRanges {
  const sorted = pairs.slice().sort((x, y) => x[0] - y[0]);
  const out: FlatRanges = [];
  for (const [b, e] of sorted) {
    const n = out.length;
    if (n > 0 && b <= (out[n - 1] as number) + 1) {
      if (e > (out[n - 1] as number)) out[n - 1] = e;
    } else {
      out.push(b, e);
    }
  }
  return out;
}

export function unionRanges(a: FlatRanges, b: FlatRanges): FlatRanges {
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i] as number, a[i + 1] as number]);
  for (let i = 0; i < b.length; i += 2) pairs.push([b[i] as number, b[i + 1] as number]);
  return coalesce(pairs);
}

/** a − b; values of b outside a are ignored (callers check containment first when that matters). */
export function subtractRanges(a: FlatRanges, b: FlatRanges): FlatRanges {
  const out: FlatRanges = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let cur = a[i] as number;
    const end = a[i + 1] as number;
    while (j < b.length && (b[j + 1] as number) < cur) j += 2;
    let k = j;
    while (cur <= end && k < b.length && (b[k] as number) <= end) {
      const bb = b[k] as number;
      const be = b[k + 1] as number;
      if (bb > cur) out.push(cur, bb - 1);
      if (be + 1 > cur) cur = be + 1;
      k += 2;
    }
    if (cur <= end) out.push(cur, end);
  }
  return out;
}

/** Whether every value of b lies in a. */
export function containsRanges(a: FlatRanges, b: FlatRanges): boolean {
  let i = 0;
  for (let j = 0; j < b.length; j += 2) {
    const bb = b[j] as number;
    const be = b[j + 1] as number;
    while (i < a.length && (a[i + 1] as number) < bb) i += 2;
    if (i >= a.length || (a[i] as number) > bb || (a[i + 1] as number) < be) return false;
  }
  return true;
}

/** How many integers the ranges hold. */
export function rangesCount(a: FlatRanges): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 2) n += (a[i + 1] as number) - (a[i] as number) + 1;
  return n;
}

/** The `count` lowest values of a, as ranges (a must hold at least `count`). */
export function lowestRanges(a: FlatRanges, count: number): FlatRanges {
  const out: FlatRanges = [];
  let left = count;
  for (let i = 0; i < a.length && left > 0; i += 2) {
    const b = a[i] as number;
    const size = (a[i + 1] as number) - b + 1;
    const take = size < left ? size : left;
    out.push(b, b + take - 1);
    left -= take;
  }
  return out;
}

/** Mesos's text form of ranges, e.g. `[31000-32000, 33000-33005]`. */
export function formatRanges(a: FlatRanges): string {
  const parts: string[] = [];
  for (let i = 0; i < a.length; i += 2) parts.push(`${a[i] as number}-${a[i + 1] as number}`);
  return `[${parts.join(', ')}]`;
}
