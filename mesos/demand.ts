// What a waiting job asks of an offer: the input of matchDemands.

import type { PlacementConstraint } from './constraints.js';
import { toMilli } from './resource-identity.js';

export interface ResourceDemand {
  cpus: number;
  mem: number;
  disk?: number;
  gpus?: number;
  /** How many ports. */
  ports?: number;
}

export interface Demand {
  id: string;
  resources: ResourceDemand;
  constraints?: PlacementConstraint[];
  /** The role it may use; default: any role of the offer. */
  role?: string;
}

/**
 * The five amounts a demand needs, in DIMENSIONS order: thousandths of
 * cpus/mem/disk/gpus, and a port count. Negative amounts count as zero
 * (validation is the caller's job; matching must not throw on it).
 */
export function demandNeeds(r: ResourceDemand, out: Float64Array = new Float64Array(5)): Float64Array {
  out[0] = r.cpus > 0 ? toMilli(r.cpus) : 0;
  out[1] = r.mem > 0 ? toMilli(r.mem) : 0;
  out[2] = r.disk !== undefined && r.disk > 0 ? toMilli(r.disk) : 0;
  out[3] = r.gpus !== undefined && r.gpus > 0 ? toMilli(r.gpus) : 0;
  out[4] = r.ports !== undefined && r.ports > 0 ? Math.ceil(r.ports) : 0;
  return out;
}
