// mesos.v1.scheduler.Event: the records of the SUBSCRIBE stream. Known types
// are validated strictly (a malformed UPDATE is an error naming the field);
// a type this code does not know parses to a generic UnknownEvent so that a
// newer master cannot break the stream.
import { z } from 'zod';
import { bytesSchema, doubleSchema, int32Schema } from './scalars.js';
import { agentIdSchema, executorIdSchema, frameworkIdSchema, offerIdSchema } from './ids.js';
import { masterInfoSchema } from './framework.js';
import { inverseOfferSchema, offerSchema } from './offer.js';
import { taskStatusSchema } from './status.js';
import { operationStatusSchema } from './operations.js';
import { safeParseMesos, type MesosParseResult } from './errors.js';

export const eventTypes = [
  'SUBSCRIBED',
  'OFFERS',
  'INVERSE_OFFERS',
  'RESCIND',
  'RESCIND_INVERSE_OFFER',
  'UPDATE',
  'UPDATE_OPERATION_STATUS',
  'MESSAGE',
  'FAILURE',
  'ERROR',
  'HEARTBEAT',
] as const;
export type KnownEventType = (typeof eventTypes)[number];

// Payloads (Event.Subscribed, Event.Offers, ...).

export const eventSubscribedSchema = z.looseObject({
  framework_id: frameworkIdSchema,
  /** 15.0 on every Mesos so far. */
  heartbeat_interval_seconds: doubleSchema.optional(),
  master_info: masterInfoSchema.optional(),
});
export const eventOffersSchema = z.looseObject({ offers: z.array(offerSchema).optional() });
export const eventInverseOffersSchema = z.looseObject({ inverse_offers: z.array(inverseOfferSchema).optional() });
export const eventRescindSchema = z.looseObject({ offer_id: offerIdSchema });
export const eventRescindInverseOfferSchema = z.looseObject({ inverse_offer_id: offerIdSchema });
export const eventUpdateSchema = z.looseObject({ status: taskStatusSchema });
export const eventUpdateOperationStatusSchema = z.looseObject({ status: operationStatusSchema });
export const eventMessageSchema = z.looseObject({ agent_id: agentIdSchema, executor_id: executorIdSchema, data: bytesSchema });
export const eventFailureSchema = z.looseObject({
  agent_id: agentIdSchema.optional(),
  executor_id: executorIdSchema.optional(),
  /** Raw waitpid status of a custom executor. */
  status: int32Schema.optional(),
});
export const eventErrorSchema = z.looseObject({ message: z.string() });

export type EventSubscribed = z.infer<typeof eventSubscribedSchema>;
export type EventOffers = z.infer<typeof eventOffersSchema>;
export type EventInverseOffers = z.infer<typeof eventInverseOffersSchema>;
export type EventRescind = z.infer<typeof eventRescindSchema>;
export type EventRescindInverseOffer = z.infer<typeof eventRescindInverseOfferSchema>;
export type EventUpdate = z.infer<typeof eventUpdateSchema>;
export type EventUpdateOperationStatus = z.infer<typeof eventUpdateOperationStatusSchema>;
export type EventMessage = z.infer<typeof eventMessageSchema>;
export type EventFailure = z.infer<typeof eventFailureSchema>;
export type EventError = z.infer<typeof eventErrorSchema>;

// Envelopes.

export const subscribedEventSchema = z.looseObject({ type: z.literal('SUBSCRIBED'), subscribed: eventSubscribedSchema });
export const offersEventSchema = z.looseObject({ type: z.literal('OFFERS'), offers: eventOffersSchema });
export const inverseOffersEventSchema = z.looseObject({ type: z.literal('INVERSE_OFFERS'), inverse_offers: eventInverseOffersSchema });
export const rescindEventSchema = z.looseObject({ type: z.literal('RESCIND'), rescind: eventRescindSchema });
export const rescindInverseOfferEventSchema = z.looseObject({
  type: z.literal('RESCIND_INVERSE_OFFER'),
  rescind_inverse_offer: eventRescindInverseOfferSchema,
});
export const updateEventSchema = z.looseObject({ type: z.literal('UPDATE'), update: eventUpdateSchema });
export const updateOperationStatusEventSchema = z.looseObject({
  type: z.literal('UPDATE_OPERATION_STATUS'),
  update_operation_status: eventUpdateOperationStatusSchema,
});
export const messageEventSchema = z.looseObject({ type: z.literal('MESSAGE'), message: eventMessageSchema });
export const failureEventSchema = z.looseObject({ type: z.literal('FAILURE'), failure: eventFailureSchema });
export const errorEventSchema = z.looseObject({ type: z.literal('ERROR'), error: eventErrorSchema });
export const heartbeatEventSchema = z.looseObject({ type: z.literal('HEARTBEAT') });

export const knownEventSchema = z.discriminatedUnion('type', [
  subscribedEventSchema,
  offersEventSchema,
  inverseOffersEventSchema,
  rescindEventSchema,
  rescindInverseOfferEventSchema,
  updateEventSchema,
  updateOperationStatusEventSchema,
  messageEventSchema,
  failureEventSchema,
  errorEventSchema,
  heartbeatEventSchema,
]);
export type KnownEvent = z.infer<typeof knownEventSchema>;
export type SubscribedEvent = z.infer<typeof subscribedEventSchema>;
export type OffersEvent = z.infer<typeof offersEventSchema>;
export type InverseOffersEvent = z.infer<typeof inverseOffersEventSchema>;
export type RescindEvent = z.infer<typeof rescindEventSchema>;
export type RescindInverseOfferEvent = z.infer<typeof rescindInverseOfferEventSchema>;
export type UpdateEvent = z.infer<typeof updateEventSchema>;
export type UpdateOperationStatusEvent = z.infer<typeof updateOperationStatusEventSchema>;
export type MessageEvent = z.infer<typeof messageEventSchema>;
export type FailureEvent = z.infer<typeof failureEventSchema>;
export type ErrorEvent = z.infer<typeof errorEventSchema>;
export type HeartbeatEvent = z.infer<typeof heartbeatEventSchema>;
/** The event of a given known type: `EventOf<'UPDATE'>` is UpdateEvent. */
export type EventOf<T extends KnownEventType> = Extract<KnownEvent, { type: T }>;

/** An event whose type this code does not know (including `UNKNOWN`), kept whole. */
export const unknownEventSchema = z.looseObject({ type: z.string() });
export type UnknownEvent = z.infer<typeof unknownEventSchema>;

/**
 * Any event. TypeScript cannot narrow a union that has a `type: string`
 * member, so narrow with isKnownEvent first, then switch on `type`.
 */
export type Event = KnownEvent | UnknownEvent;

const knownTypes: ReadonlySet<string> = new Set(eventTypes);

export function isKnownEvent(event: Event): event is KnownEvent {
  return knownTypes.has(event.type);
}

/**
 * Dispatches on `type` by hand: a union with a catch-all member would let a
 * malformed known event (an UPDATE with a bad status) fall through to the
 * catch-all instead of failing with its path.
 */
export const eventSchema = unknownEventSchema.transform((ev, ctx): Event => {
  if (!knownTypes.has(ev.type)) return ev;
  const r = knownEventSchema.safeParse(ev);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.issues.push({ ...issue, input: ev } as (typeof ctx.issues)[number]);
  return z.NEVER;
});

function what(input: unknown): string {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? `scheduler Event ${type}` : 'scheduler Event';
}

/** Validates one event record (already JSON-parsed); throws MesosSchemaError naming the field paths. */
export function parseEvent(input: unknown): Event {
  const r = safeParseEvent(input);
  if (!r.success) throw r.error;
  return r.data;
}

export function safeParseEvent(input: unknown): MesosParseResult<Event> {
  return safeParseMesos(eventSchema, input, what(input));
}
