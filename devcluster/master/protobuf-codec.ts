// Protobuf mode of the v1 APIs: the official Mesos .proto definitions
// (devcluster/proto, copied unchanged from apache/mesos) loaded with
// protobufjs, and the two conversions the master needs. The master works on
// Mesos-JSON-shaped objects everywhere, so a protobuf Call is turned into the
// value a JSON body would have parsed to (then it takes the JSON path, with its
// validation and texts), and an outgoing JSON-shaped event or response is
// turned into its protobuf bytes. Loaded on first use: a JSON-only run never
// pays for parsing the .proto files.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_ROOT = fileURLToPath(new URL('../proto/', import.meta.url));
const PROTO_FILES = ['mesos/v1/scheduler/scheduler.proto', 'mesos/v1/master/master.proto'];

/** The messages the master reads and writes in protobuf mode. */
export type ProtoMessageName = 'mesos.v1.scheduler.Call' | 'mesos.v1.scheduler.Event' | 'mesos.v1.master.Call' | 'mesos.v1.master.Response';

let root: protobuf.Root | undefined;

function loadRoot(): protobuf.Root {
  if (root !== undefined) return root;
  const r = new protobuf.Root();
  // Imports are written relative to include/ in Mesos ("mesos/v1/mesos.proto");
  // google/protobuf/* come bundled with protobufjs.
  r.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : `${PROTO_ROOT}${target}`);
  r.loadSync(PROTO_FILES, { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

export function protoType(name: ProtoMessageName): protobuf.Type {
  return loadRoot().lookupType(name);
}

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

type Obj = Record<string, unknown>;

/** A 64-bit value as parseMesosJson would give it: a number when exact, else a bigint. */
function int64Value(v: unknown): unknown {
  const big = BigInt(String(v));
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/**
 * After protobufjs's toObject: 64-bit integers become numbers (or bigints past
 * 2^53) as in Mesos JSON, and enum values this definition does not name are
 * dropped, as a proto2 parser keeps them out of the known fields.
 */
function fixValues(type: protobuf.Type, obj: Obj): Obj {
  for (const key of Object.keys(obj)) {
    const field = type.fields[key];
    if (field === undefined) continue;
    const value = obj[key];
    const convert = (v: unknown): unknown => {
      if (field.resolvedType instanceof protobuf.Type) return fixValues(field.resolvedType, v as Obj);
      if (field.resolvedType instanceof protobuf.Enum) return typeof v === 'number' ? undefined : v;
      if (LONG_TYPES.has(field.type)) return int64Value(v);
      return v;
    };
    if (field.map) continue;
    if (Array.isArray(value)) {
      const items = value.map(convert).filter((v) => v !== undefined);
      if (items.length === 0) delete obj[key];
      else obj[key] = items;
    } else {
      const v = convert(value);
      if (v === undefined) delete obj[key];
      else obj[key] = v;
    }
  }
  return obj;
}

export class ProtobufDecodeError extends Error {
  constructor(
    readonly messageName: ProtoMessageName,
    cause: unknown,
  ) {
    super(`could not decode ${messageName}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ProtobufDecodeError';
  }
}

/** Protobuf bytes → the Mesos-JSON-shaped value (snake_case names, enum names, base64 bytes). */
export function decodeToJson(name: ProtoMessageName, bytes: Uint8Array): Obj {
  const type = protoType(name);
  let message: protobuf.Message;
  try {
    // decode rejects malformed wire data and missing required fields, as Mesos's ParseFromString does.
    message = type.decode(bytes);
  } catch (err) {
    throw new ProtobufDecodeError(name, err);
  }
  const obj = type.toObject(message, { longs: String, enums: String, bytes: String, defaults: false, arrays: false, oneofs: false });
  return fixValues(type, obj);
}

/** bigint → decimal string, the form protobufjs's fromObject takes for 64-bit fields. */
function withoutBigints(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(withoutBigints);
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v as Obj)) if (x !== undefined && x !== null) out[k] = withoutBigints(x);
    return out;
  }
  return v;
}

/** A Mesos-JSON-shaped value → protobuf bytes. Keys the definition does not name are left out, as Mesos has no place for them. */
export function encodeFromJson(name: ProtoMessageName, value: object): Uint8Array {
  const type = protoType(name);
  return type.encode(type.fromObject(withoutBigints(value) as Obj)).finish();
}
