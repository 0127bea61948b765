// Structural shapes of the Mesos resource messages this module computes on.
// Temporary: replaced by the zod-inferred types of mesos/schemas once they land.

export interface RangeShape { begin: number | bigint; end: number | bigint }
export interface LabelsShape { labels?: Array<{ key: string; value?: string }> }
export interface ReservationShape { type?: string; role?: string; principal?: string; labels?: LabelsShape }

export interface Resource {
  name: string;
  type: 'SCALAR' | 'RANGES' | 'SET';
  scalar?: { value: number };
  ranges?: { range: RangeShape[] };
  set?: { item: string[] };
  role?: string;
  reservation?: { principal?: string; labels?: LabelsShape };
  reservations?: ReservationShape[];
  allocation_info?: { role?: string };
  disk?: {
    persistence?: { id: string; principal?: string };
    volume?: unknown;
    source?: { type: string; [k: string]: unknown };
    [k: string]: unknown;
  };
  revocable?: object;
  shared?: object;
  provider_id?: { value: string };
}

export interface Attribute {
  name: string;
  type: 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';
  scalar?: { value: number };
  ranges?: { range: RangeShape[] };
  set?: { item: string[] };
  text?: { value: string };
}

export interface Offer {
  id: { value: string };
  framework_id: { value: string };
  agent_id: { value: string };
  hostname: string;
  url?: unknown;
  resources: Resource[];
  attributes?: Attribute[];
  allocation_info?: { role?: string };
}
