// Between the wire and the schemas: a RecordIO record becomes a typed Event
// (or a precise account of why it could not), a Call is validated before it
// is sent, so a mistake of ours fails here with a field path instead of as a
// 400 from the master.
import { offerSchema, parseMesosJson, safeParseCall, safeParseEvent, safeParseMesos, stringifyMesosJson } from '../schemas/index.js';
import type { CallInput, ErrorEvent, Event, FrameworkID, SubscribedEvent } from '../schemas/index.js';
import { InvalidCallError } from './errors.js';

/** A call as the client methods take it: framework_id may be left out (the client fills it in). */
export type CallWithoutFrameworkId<T = CallInput> = T extends unknown
  ? { [K in keyof T as K extends 'framework_id' ? never : K]: T[K] } & { framework_id?: FrameworkID }
  : never;

/** An offer of an OFFERS event that failed its schema (the rest of the event was kept). */
export interface RejectedOffer {
  /** Its id, when even that could be read: the offer must still be declined. */
  offerId: string | undefined;
  message: string;
  paths: readonly string[];
}

export type DecodedEvent =
  | { ok: true; event: Event; rejectedOffers?: RejectedOffer[] }
  | { ok: false; stage: 'utf8' | 'json' | 'schema'; message: string; /** Field paths of a schema failure. */ paths?: readonly string[] };

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
  const parsed = safeParseEvent(value);
  if (parsed.success) return { ok: true, event: parsed.data };
  return salvageOffers(value) ?? { ok: false, stage: 'schema', message: parsed.error.message, paths: parsed.error.paths };
}

/**
 * One unreadable offer must not cost the others in its OFFERS event (Mesos
 * packs one offer per agent into an event, and offers never expire by
 * default: a dropped offer stays allocated to us). Keeps the offers that
 * pass their schema and reports the others, when nothing else is wrong.
 */
function salvageOffers(value: unknown): DecodedEvent | undefined {
  const v = value as { type?: unknown; offers?: { offers?: unknown } } | null;
  if (v === null || typeof v !== 'object' || v.type !== 'OFFERS' || !Array.isArray(v.offers?.offers)) return undefined;
  const kept: unknown[] = [];
  const rejectedOffers: RejectedOffer[] = [];
  for (const raw of v.offers.offers) {
    const r = safeParseMesos(offerSchema, raw, 'Offer');
    if (r.success) {
      kept.push(raw);
      continue;
    }
    const id = (raw as { id?: { value?: unknown } } | null)?.id?.value;
    rejectedOffers.push({ offerId: typeof id === 'string' ? id : undefined, message: r.error.message, paths: r.error.paths });
  }
  if (rejectedOffers.length === 0) return undefined;
  const rest = safeParseEvent({ ...v, offers: { ...v.offers, offers: kept } });
  return rest.success ? { ok: true, event: rest.data, rejectedOffers } : undefined;
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

/** Validates the call against the schemas and serializes it (bigints kept exact). */
export function encodeCall(call: CallInput): string {
  const parsed = safeParseCall(call);
  if (!parsed.success) throw new InvalidCallError(`${call.type}: ${parsed.error.message}`, call.type, { cause: parsed.error });
  // The caller's object is sent, not the parsed one: parsing normalises
  // values (numeric strings, bigints) that Mesos reads just as well as given.
  return stringifyMesosJson(call);
}
