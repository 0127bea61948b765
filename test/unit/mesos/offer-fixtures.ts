// Small builders of Mesos-shaped offers for the matching tests.
import type { Attribute, Offer, Resource } from '../../../mesos/resource-types.js';

export interface OfferSpec {
  host: string;
  cpus?: number;
  mem?: number;
  disk?: number;
  gpus?: number;
  ports?: Array<[number, number]>;
  /** Allocation role (MULTI_ROLE framework); omitted: no allocation_info anywhere. */
  allocRole?: string;
  /** Extra resources (reserved ones, volumes...). */
  extra?: Resource[];
  attributes?: Record<string, string | number>;
  id?: string;
}

let counter = 0;

export function scalar(name: string, value: number, extra: Partial<Resource> = {}): Resource {
  return { name, type: 'SCALAR', scalar: { value }, ...extra };
}

export function portsResource(pairs: Array<[number, number]>, extra: Partial<Resource> = {}): Resource {
  return { name: 'ports', type: 'RANGES', ranges: { range: pairs.map(([begin, end]) => ({ begin, end })) }, ...extra };
}

export function makeOffer(spec: OfferSpec): Offer {
  const alloc: Partial<Resource> = spec.allocRole === undefined ? { role: '*' } : { role: '*', allocation_info: { role: spec.allocRole } };
  const resources: Resource[] = [];
  if (spec.ports) resources.push(portsResource(spec.ports, alloc));
  if (spec.cpus !== undefined) resources.push(scalar('cpus', spec.cpus, alloc));
  if (spec.mem !== undefined) resources.push(scalar('mem', spec.mem, alloc));
  if (spec.disk !== undefined) resources.push(scalar('disk', spec.disk, alloc));
  if (spec.gpus !== undefined) resources.push(scalar('gpus', spec.gpus, alloc));
  resources.push(...(spec.extra ?? []));
  const attributes: Attribute[] = Object.entries(spec.attributes ?? {}).map(([name, v]) =>
    typeof v === 'number' ? { name, type: 'SCALAR', scalar: { value: v } } : { name, type: 'TEXT', text: { value: v } },
  );
  const n = counter++;
  return {
    id: { value: spec.id ?? `M-O${n}` },
    framework_id: { value: 'M-0000' },
    agent_id: { value: `M-S-${spec.host}` },
    hostname: spec.host,
    resources,
    ...(attributes.length > 0 ? { attributes } : {}),
    ...(spec.allocRole === undefined ? {} : { allocation_info: { role: spec.allocRole } }),
  };
}
