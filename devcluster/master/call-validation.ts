// Body → scheduler Call, with Mesos's answers for every way it can fail
// (spec §3 rows 6b, 6c and 7, §8.0): "Failed to parse body into JSON: ...",
// "Failed to convert JSON into Call protobuf: ...", "Failed to validate
// scheduler::Call: ...". The zod schema of mesos/schemas runs last, to give
// the rest of the master a typed Call.
import { MesosJsonError, isValidStatusUuid, parseMesosJson } from '../../mesos/json.js';
import { safeParseCall, type Call } from '../../mesos/schemas/index.js';
import { CallDesc } from './call-descriptors.js';
import { ProtoJsonError, protoFromJson } from './proto-json.js';

export type CallParseResult = { ok: true; call: Call } | { ok: false; message: string };

/** picojson's error text (Mesos's JSON parser): the line number and the rest of that line from the error on. */
export function jsonSyntaxError(text: string, position: number): string {
  const pos = Math.min(Math.max(position, 0), text.length);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const lineEnd = text.indexOf('\n', pos);
  const rest = text.slice(pos, lineEnd === -1 ? text.length : lineEnd).split('').filter((ch) => ch >= ' ').join('');
  return `syntax error at line ${line} near: ${rest}`;
}

/** JSON text → value, or Mesos's 6b text. */
export function parseBodyJson(body: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: parseMesosJson(body) };
  } catch (err) {
    const position = err instanceof MesosJsonError ? err.position : body.length;
    return { ok: false, message: `Failed to parse body into JSON: ${jsonSyntaxError(body, position)}` };
  }
}

type Obj = Record<string, unknown>;

const payloadOf: Partial<Record<string, string>> = {
  ACCEPT: 'accept',
  DECLINE: 'decline',
  ACCEPT_INVERSE_OFFERS: 'accept_inverse_offers',
  DECLINE_INVERSE_OFFERS: 'decline_inverse_offers',
  KILL: 'kill',
  SHUTDOWN: 'shutdown',
  ACKNOWLEDGE: 'acknowledge',
  ACKNOWLEDGE_OPERATION_STATUS: 'acknowledge_operation_status',
  RECONCILE: 'reconcile',
  RECONCILE_OPERATIONS: 'reconcile_operations',
  MESSAGE: 'message',
  REQUEST: 'request',
  UPDATE_FRAMEWORK: 'update_framework',
};

function idValue(v: unknown): string {
  return typeof v === 'object' && v !== null && typeof (v as Obj).value === 'string' ? ((v as Obj).value as string) : '';
}

/** Mesos's validation::scheduler::call::validate (without authentication). */
export function validateCallFields(call: Obj): string | undefined {
  const type = call.type;
  if (typeof type !== 'string') return "Expecting 'type' to be present";
  if (type === 'SUBSCRIBE') {
    const sub = call.subscribe as Obj | undefined;
    if (sub === undefined) return "Expecting 'subscribe' to be present";
    const info = sub.framework_info as Obj;
    if (idValue(info.id) !== idValue(call.framework_id)) return "'framework_id' differs from 'subscribe.framework_info.id'";
    return undefined;
  }
  if (call.framework_id === undefined) return "Expecting 'framework_id' to be present";
  const payload = payloadOf[type];
  if (payload !== undefined && call[payload] === undefined) return `Expecting '${payload}' to be present`;
  if (type === 'ACKNOWLEDGE') {
    if (!isValidStatusUuid((call.acknowledge as Obj).uuid as string)) return 'Not a valid UUID';
  }
  if (type === 'ACKNOWLEDGE_OPERATION_STATUS') {
    const ack = call.acknowledge_operation_status as Obj;
    if (!isValidStatusUuid(ack.uuid as string)) return 'Not a valid UUID';
    if (ack.agent_id === undefined) return "Expecting 'agent_id' to be present";
  }
  if (type === 'UPDATE_FRAMEWORK') {
    const info = (call.update_framework as Obj).framework_info as Obj;
    if (idValue(info.id) !== idValue(call.framework_id)) return "'framework_id' differs from 'update_framework.framework_info.id'";
  }
  return undefined;
}

/** Already-parsed JSON → a validated Call, or the full 400 text. */
export function callFromJson(json: unknown): CallParseResult {
  let converted: Obj;
  try {
    converted = protoFromJson(CallDesc, json);
  } catch (err) {
    if (err instanceof ProtoJsonError) return { ok: false, message: `Failed to convert JSON into Call protobuf: ${err.detail}` };
    throw err;
  }
  const invalid = validateCallFields(converted);
  if (invalid !== undefined) return { ok: false, message: `Failed to validate scheduler::Call: ${invalid}` };
  const typed = safeParseCall(converted);
  if (!typed.success) {
    // Mesos would have accepted what reaches here; the schema is stricter somewhere. Report it as a conversion error.
    return { ok: false, message: `Failed to convert JSON into Call protobuf: ${typed.error.message}` };
  }
  return { ok: true, call: typed.data };
}
