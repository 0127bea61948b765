// A waiting job as the offer matcher sees it.
import type { JobSpec } from '../../workflows/job-spec.js';
import type { Demand } from '../../mesos/matching.js';

export function demandFromSpec(id: string, spec: JobSpec): Demand {
  const { cpus, mem, disk, gpus, ports } = spec.resources;
  const d: Demand = { id, resources: { cpus, mem, disk, gpus, ports } };
  if (spec.constraints.length > 0) d.constraints = spec.constraints.map((c) => ({ ...c }));
  return d;
}

/** The UNIQUE groups a spec belongs to (hosts it must not share with others of the group). */
export function uniqueGroups(spec: JobSpec): string[] {
  return spec.constraints.flatMap((c) => (c.operator === 'UNIQUE' ? [c.group ?? ''] : []));
}
