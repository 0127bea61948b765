// A deterministic, cluster-like workload for the matching benchmark: offers
// from varied agents (sizes, attributes, port ranges, a GPU and a reserved
// minority) and a queue of waiting demands of varied sizes, some with
// placement constraints, some with roles, and some that fit nowhere.
import type { Offer, Resource } from '../../mesos/resource-types.js';
import type { Demand } from '../../mesos/demand.js';
import type { PlacementConstraint } from '../../mesos/constraints.js';

/** A small LCG so every run sees the same workload. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface WorkloadOptions {
  demands: number;
  offers: number;
  seed?: number;
  /** Include roles and reserved resources (the naive baseline handles neither). */
  roles?: boolean;
}

export function makeWorkload(opts: WorkloadOptions): { demands: Demand[]; offers: Offer[] } {
  const rand = seededRandom(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const roles = opts.roles ?? true;

  const offers: Offer[] = [];
  for (let i = 0; i < opts.offers; i++) {
    const alloc = { role: '*', allocation_info: { role: '*' } };
    const ports: Array<{ begin: number; end: number }> = [];
    let base = 31000 + Math.floor(rand() * 50);
    const nRanges = 1 + Math.floor(rand() * 3);
    for (let r = 0; r < nRanges; r++) {
      const len = Math.floor(rand() * 40);
      ports.push({ begin: base, end: base + len });
      base += len + 2 + Math.floor(rand() * 20);
    }
    const resources: Resource[] = [
      { name: 'ports', type: 'RANGES', ranges: { range: ports }, ...alloc },
      { name: 'cpus', type: 'SCALAR', scalar: { value: pick([2, 4, 8, 16, 32]) - Math.round(rand() * 1000) / 1000 }, ...alloc },
      { name: 'mem', type: 'SCALAR', scalar: { value: pick([4096, 8192, 16384, 65536]) - Math.floor(rand() * 1024) }, ...alloc },
      { name: 'disk', type: 'SCALAR', scalar: { value: pick([10240, 51200, 102400]) }, ...alloc },
    ];
    if (i % 10 === 3) resources.push({ name: 'gpus', type: 'SCALAR', scalar: { value: pick([1, 2, 4]) }, ...alloc });
    if (roles && i % 7 === 0) {
      resources.push({ name: 'cpus', type: 'SCALAR', scalar: { value: 4 }, role: 'web', reservation: { principal: 'ops' }, allocation_info: { role: '*' } });
    }
    offers.push({
      id: { value: `bench-master-O${i}` },
      framework_id: { value: 'bench-master-0000' },
      agent_id: { value: `bench-master-S${i}` },
      hostname: `agent-${String(i).padStart(3, '0')}.dc1`,
      resources,
      attributes: [
        { name: 'rack', type: 'TEXT', text: { value: `r${i % 10}` } },
        { name: 'zone', type: 'TEXT', text: { value: `z${i % 3}` } },
        { name: 'class', type: 'TEXT', text: { value: i % 4 === 0 ? 'highmem' : 'general' } },
        { name: 'generation', type: 'SCALAR', scalar: { value: 1 + (i % 3) } },
      ],
      allocation_info: { role: '*' },
    });
  }

  const demands: Demand[] = [];
  for (let i = 0; i < opts.demands; i++) {
    const x = rand();
    const constraints: PlacementConstraint[] = [];
    let cpus = pick([0.1, 0.25, 0.5, 1, 1, 2, 4]);
    let mem = pick([64, 128, 256, 512, 1024, 2048, 4096]);
    let role: string | undefined;
    if (x < 0.02) {
      // Fits nowhere: too big, an impossible constraint, or a role nobody offers.
      const kind = i % 3;
      if (kind === 0) cpus = 64;
      else if (kind === 1) constraints.push({ field: 'rack', operator: 'EQUALS', value: 'r99' });
      else if (roles) role = 'nobody';
      else mem = 1_000_000;
    } else if (x < 0.1) constraints.push({ field: 'rack', operator: 'EQUALS', value: `r${Math.floor(rand() * 10)}` });
    else if (x < 0.14) constraints.push({ field: 'hostname', operator: 'LIKE', value: `agent-0[0-4]\\d\\.dc1` });
    else if (x < 0.17) constraints.push({ field: 'zone', operator: 'UNLIKE', value: 'z0|z1' });
    else if (x < 0.2) constraints.push({ field: 'hostname', operator: 'UNIQUE', group: `batch-${i % 20}` });
    else if (x < 0.22) constraints.push({ field: 'class', operator: 'EQUALS', value: 'highmem' }, { field: 'generation', operator: 'LIKE', value: '[23]' });
    if (roles && x >= 0.22 && x < 0.27) role = 'web';
    const y = rand();
    demands.push({
      id: `job-${i}`,
      resources: {
        cpus,
        mem,
        ...(y < 0.3 ? { ports: 1 + Math.floor(rand() * 3) } : {}),
        ...(y > 0.95 ? { disk: pick([100, 1024, 20480]) } : {}),
        ...(y > 0.99 ? { gpus: 1 } : {}),
      },
      ...(constraints.length > 0 ? { constraints } : {}),
      ...(role === undefined ? {} : { role }),
    });
  }
  return { demands, offers };
}
