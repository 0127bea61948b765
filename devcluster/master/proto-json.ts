// Converts a parsed JSON value into a protobuf-shaped object the way Mesos's
// stout `protobuf::parse` does, so that malformed calls get Mesos's exact
// error texts (spec §5, mesos-transcripts/10): unknown enum names in optional
// fields are dropped, `null` unsets, numeric strings become numbers, a JSON
// number for an enum is an error, bytes must be standard base64, and required
// fields are checked afterwards with dotted paths. Keys the descriptors do not
// name are kept unchanged, so nothing a framework sends is lost on its way to
// an agent (Mesos would drop them; nothing here reads them).

export type FieldKind =
  | 'string'
  | 'bytes'
  | 'bool'
  | 'double'
  | 'int'
  | 'any'
  | { enum: readonly string[] }
  | { msg: () => MessageDesc };

export interface FieldDesc {
  kind: FieldKind;
  repeated?: boolean;
  required?: boolean;
}

/** Fields in proto declaration order (the order of Mesos's required-field report). */
export type MessageDesc = Readonly<Record<string, FieldDesc>>;

export class ProtoJsonError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'ProtoJsonError';
  }
}

type Json = unknown;
type Obj = Record<string, unknown>;

function kindName(v: Json): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'bigint') return 'number';
  return typeof v === 'boolean' ? 'boolean' : typeof v;
}

const BASE64 = /^[A-Za-z0-9+/]$/;

/** stout's base64::decode acceptance: skips whitespace, stops at the first '=', rejects anything else. */
function checkBase64(field: string, s: string): void {
  for (const ch of s) {
    if (ch === '=') return;
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') continue;
    if (!BASE64.test(ch)) throw new ProtoJsonError(`Failed to base64 decode bytes field '${field}': Invalid character '${ch}'`);
  }
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function convertScalar(name: string, kind: FieldKind, v: Json): Json {
  if (v === null || v === undefined) return undefined;
  const jsonKind = kindName(v);
  if (kind === 'any') return v;
  if (typeof kind === 'object' && 'msg' in kind) {
    if (jsonKind !== 'object') throw new ProtoJsonError(`Not expecting a JSON ${jsonKind} for field '${name}'`);
    return convertMessage(kind.msg(), v as Obj);
  }
  if (jsonKind === 'object' || jsonKind === 'array') throw new ProtoJsonError(`Not expecting a JSON ${jsonKind} for field '${name}'`);
  if (typeof kind === 'object') {
    if (typeof v !== 'string') throw new ProtoJsonError(`Not expecting a JSON ${jsonKind} for field '${name}'`);
    return kind.enum.includes(v) ? v : ENUM_MISS;
  }
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') throw new ProtoJsonError(`Not expecting a JSON ${jsonKind} for field '${name}'`);
      return v;
    case 'bytes':
      if (typeof v !== 'string') throw new ProtoJsonError(`Not expecting a JSON ${jsonKind} for field '${name}'`);
      checkBase64(name, v);
      return v;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw new ProtoJsonError(`Not expecting a JSON ${jsonKind} for field '${name}'`);
    case 'double':
    case 'int':
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (typeof v === 'string') {
        if (kind === 'double' && (v === 'Infinity' || v === '-Infinity')) return Number(v);
        if (NUMERIC.test(v)) return Number(v.trim());
        throw new ProtoJsonError(`Failed to convert '${v}' to number for field '${name}'`);
      }
      throw new ProtoJsonError(`Not expecting a JSON ${jsonKind} for field '${name}'`);
  }
}

/** Marker for an enum name that is not in the enum (dropped when optional, an error when required). */
const ENUM_MISS = Symbol('enum-miss');

function convertMessage(desc: MessageDesc, input: Obj): Obj {
  const out: Obj = {};
  for (const key of Object.keys(input)) {
    const field = desc[key];
    const v = input[key];
    if (field === undefined) {
      if (v !== null) out[key] = v;
      continue;
    }
    if (v === null) continue;
    if (Array.isArray(v)) {
      if (!field.repeated) throw new ProtoJsonError(`Not expecting a JSON array for field '${key}'`);
      const items: Json[] = [];
      for (const item of v) {
        if (Array.isArray(item)) throw new ProtoJsonError(`Not expecting a JSON array for field '${key}'`);
        const c = convertScalar(key, field.kind, item);
        if (c === ENUM_MISS) {
          if (field.required) throw new ProtoJsonError(`Failed to find enum for '${String(item)}'`);
          continue;
        }
        if (c !== undefined) items.push(c);
      }
      if (items.length > 0) out[key] = items;
      continue;
    }
    const c = convertScalar(key, field.kind, v);
    if (c === ENUM_MISS) {
      if (field.required) throw new ProtoJsonError(`Failed to find enum for '${String(v)}'`);
      continue;
    }
    if (c === undefined) continue;
    // stout appends a single value given for a repeated field.
    out[key] = field.repeated ? [c] : c;
  }
  return out;
}

interface DescIndex {
  required: string[];
  messages: Array<{ name: string; repeated: boolean; desc: () => MessageDesc }>;
}

const indexes = new WeakMap<MessageDesc, DescIndex>();

function indexOf(desc: MessageDesc): DescIndex {
  let index = indexes.get(desc);
  if (index === undefined) {
    index = { required: [], messages: [] };
    for (const [name, field] of Object.entries(desc)) {
      if (field.required) index.required.push(name);
      if (typeof field.kind === 'object' && 'msg' in field.kind) index.messages.push({ name, repeated: field.repeated === true, desc: field.kind.msg });
    }
    indexes.set(desc, index);
  }
  return index;
}

function missingRequired(desc: MessageDesc, msg: Obj, prefix: string, out: string[]): void {
  const index = indexOf(desc);
  for (const name of index.required) if (msg[name] === undefined) out.push(prefix + name);
  for (const field of index.messages) {
    const v = msg[field.name];
    if (v === undefined) continue;
    const sub = field.desc();
    if (field.repeated && Array.isArray(v)) v.forEach((item, i) => missingRequired(sub, item as Obj, `${prefix}${field.name}[${i}].`, out));
    else missingRequired(sub, v as Obj, `${prefix}${field.name}.`, out);
  }
}

/** Converts and checks required fields; throws ProtoJsonError with Mesos's detail text. */
export function protoFromJson(desc: MessageDesc, json: Json): Obj {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ProtoJsonError('Expecting a JSON object');
  const msg = convertMessage(desc, json as Obj);
  const missing: string[] = [];
  missingRequired(desc, msg, '', missing);
  if (missing.length > 0) throw new ProtoJsonError(`Missing required fields: ${missing.join(', ')}`);
  return msg;
}
