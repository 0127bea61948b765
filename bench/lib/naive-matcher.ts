// The straightforward matcher, used as the benchmark's baseline and as the
// reference the fast matcher is checked against in the unit tests: every
// demand is turned into Resource objects for every offer it is tried on, and
// fit is decided with the generic containsResources/subtractResources.
// Limited to what a reference needs: demands without a role, offers whose
// resources are all usable (unreserved, one allocation role).

import type { Offer, Resource } from '../../mesos/resource-types.js';
import type { Demand } from '../../mesos/demand.js';
import { offerSatisfies, uniqueGroup } from '../../mesos/constraints.js';
import { containsResources, rangesOf, subtractResources } from '../../mesos/resources.js';

export interface NaiveMatch {
  offer: Offer;
  placements: Array<{ demandId: string; resources: Resource[] }>;
  remaining: Resource[];
}

function wantedResources(d: Demand, remaining: readonly Resource[]): Resource[] | undefined {
  const out: Resource[] = [];
  const r = d.resources;
  const amounts: Array<[string, number]> = [
    ['cpus', r.cpus],
    ['mem', r.mem],
    ['disk', r.disk ?? 0],
    ['gpus', r.gpus ?? 0],
  ];
  for (const [name, value] of amounts) {
    if (value <= 0) continue;
    const template = remaining.find((x) => x.name === name && x.type === 'SCALAR');
    if (template === undefined) return undefined;
    out.push({ ...template, scalar: { value } });
  }
  const ports = r.ports ?? 0;
  if (ports > 0) {
    const template = remaining.find((x) => x.name === 'ports' && x.type === 'RANGES');
    if (template === undefined) return undefined;
    const range: Array<{ begin: number; end: number }> = [];
    let left = ports;
    for (const x of rangesOf(remaining, 'ports')) {
      if (left === 0) break;
      const take = Math.min(left, x.end - x.begin + 1);
      range.push({ begin: x.begin, end: x.begin + take - 1 });
      left -= take;
    }
    if (left > 0) return undefined;
    out.push({ ...template, ranges: { range } });
  }
  return out;
}

export function naiveMatch(demands: readonly Demand[], offers: readonly Offer[], hostsInUse?: ReadonlyMap<string, ReadonlySet<string>>): { matches: NaiveMatch[]; unmatched: string[] } {
  const matches: NaiveMatch[] = offers.map((o) => ({ offer: o, placements: [], remaining: (o.resources ?? []).slice() }));
  const used = new Map<string, Set<string>>();
  const taken = (g: string, h: string): boolean => (used.get(g)?.has(h) ?? false) || (hostsInUse?.get(g)?.has(h) ?? false);
  const unmatched: string[] = [];
  for (const d of demands) {
    let placed = false;
    for (const m of matches) {
      if (!(d.constraints ?? []).every((c) => offerSatisfies(c, m.offer, taken))) continue;
      const wanted = wantedResources(d, m.remaining);
      if (wanted === undefined || !containsResources(m.remaining, wanted)) continue;
      m.remaining = subtractResources(m.remaining, wanted);
      m.placements.push({ demandId: d.id, resources: wanted });
      for (const c of d.constraints ?? []) {
        if (c.operator !== 'UNIQUE') continue;
        const set = used.get(uniqueGroup(c)) ?? new Set<string>();
        set.add(m.offer.hostname);
        used.set(uniqueGroup(c), set);
      }
      placed = true;
      break;
    }
    if (!placed) unmatched.push(d.id);
  }
  return { matches, unmatched };
}
