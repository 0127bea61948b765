// Offers, inverse offers and the Filters a framework attaches to a decline.
import { z } from 'zod';
import { doubleSchema } from './scalars.js';
import { domainInfoSchema, durationInfoSchema, timeInfoSchema, urlSchema } from './common.js';
import { agentIdSchema, executorIdSchema, frameworkIdSchema, offerIdSchema } from './ids.js';
import { allocationInfoSchema, attributeSchema, resourceSchema } from './resources.js';

export const unavailabilitySchema = z.looseObject({
  start: timeInfoSchema,
  duration: durationInfoSchema.optional(),
});
export type Unavailability = z.infer<typeof unavailabilitySchema>;

export const offerSchema = z.looseObject({
  id: offerIdSchema,
  framework_id: frameworkIdSchema,
  agent_id: agentIdSchema,
  hostname: z.string(),
  url: urlSchema.optional(),
  domain: domainInfoSchema.optional(),
  resources: z.array(resourceSchema).optional(),
  attributes: z.array(attributeSchema).optional(),
  executor_ids: z.array(executorIdSchema).optional(),
  unavailability: unavailabilitySchema.optional(),
  allocation_info: allocationInfoSchema.optional(),
});
export type Offer = z.infer<typeof offerSchema>;

export const inverseOfferSchema = z.looseObject({
  id: offerIdSchema,
  url: urlSchema.optional(),
  framework_id: frameworkIdSchema,
  agent_id: agentIdSchema.optional(),
  unavailability: unavailabilitySchema,
  resources: z.array(resourceSchema).optional(),
});
export type InverseOffer = z.infer<typeof inverseOfferSchema>;

export const filtersSchema = z.looseObject({
  /** Seconds; Mesos uses 5 when unset, 0 means no filter. */
  refuse_seconds: doubleSchema.optional(),
});
export type Filters = z.infer<typeof filtersSchema>;
