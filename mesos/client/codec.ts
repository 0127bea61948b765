// INTERIM: minimal local protocol types until mesos/schemas/index.ts lands.
// This is the only file of the client that touches the schemas; it turns a
// RecordIO record into a typed Event (or says precisely why it could not)
// and a Call into the JSON text Mesos expects.
import { parseMesosJson, stringifyMesosJson } from '../json.js';

type Loose = { [k: string]: unknown };
type Id = { value: string } & Loose;
export type FrameworkID = Id;
export type AgentID = Id;
export type TaskID = Id;
export type OfferID = Id;
export type ExecutorID = Id;
export type OperationID = Id;
export type FrameworkInfo = { user: string; name: string; id?: FrameworkID | undefined } & Loose;
export type TaskStatus = { task_id: TaskID; state: string; agent_id?: AgentID | undefined; uuid?: string | undefined } & Loose;
export type OperationStatus = { operation_id?: OperationID | undefined; state: string; uuid?: { value: string } | undefined; agent_id?: AgentID | undefined } & Loose;
export type Filters = { refuse_seconds?: number | undefined } & Loose;
export type Operation = { type: string } & Loose;
export type KillPolicy = Loose;
export type OfferConstraints = Loose;
export type Request = Loose;
export type MasterInfo = { id: string; port?: number | bigint; hostname?: string | undefined } & Loose;
export type Call = { type: string; framework_id?: FrameworkID | undefined } & Loose;
export type Event = { type: string } & Loose;
export type SubscribedEvent = { type: 'SUBSCRIBED'; subscribed: { framework_id: FrameworkID; heartbeat_interval_seconds?: number; master_info?: MasterInfo } } & Loose;
export type ErrorEvent = { type: 'ERROR'; error: { message: string } } & Loose;

export type DecodedEvent = { ok: true; event: Event } | { ok: false; stage: 'utf8' | 'json' | 'schema'; message: string; path?: string | undefined };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeEventRecord(record: Uint8Array): DecodedEvent {
  let text: string;
  try {
    text = utf8.decode(record);
  } catch (err) {
    return { ok: false, stage: 'utf8', message: err instanceof Error ? err.message : String(err) };
  }
  let value: unknown;
  try {
    value = parseMesosJson(text);
  } catch (err) {
    return { ok: false, stage: 'json', message: err instanceof Error ? err.message : String(err) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, stage: 'schema', message: 'expected an object', path: '' };
  const type = (value as Loose).type;
  if (typeof type !== 'string') return { ok: false, stage: 'schema', message: 'expected a string', path: 'type' };
  return { ok: true, event: value as Event };
}

export function isSubscribed(event: Event): event is SubscribedEvent {
  return event.type === 'SUBSCRIBED';
}

export function isError(event: Event): event is ErrorEvent {
  return event.type === 'ERROR';
}

export function errorMessage(event: ErrorEvent): string {
  return event.error.message;
}

export function encodeCall(call: Call): string {
  return stringifyMesosJson(call);
}
