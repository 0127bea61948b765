// FrameworkInfo (what a scheduler says about itself) and MasterInfo (what
// SUBSCRIBED says about the master).
import { z } from 'zod';
import { boolSchema, doubleSchema, openEnum, uint32Schema } from './scalars.js';
import { addressSchema, domainInfoSchema, labelsSchema } from './common.js';
import { frameworkIdSchema } from './ids.js';

export const frameworkCapabilityTypes = [
  'UNKNOWN',
  'REVOCABLE_RESOURCES',
  'TASK_KILLING_STATE',
  'GPU_RESOURCES',
  'SHARED_RESOURCES',
  'PARTITION_AWARE',
  'MULTI_ROLE',
  'RESERVATION_REFINEMENT',
  'REGION_AWARE',
] as const;
export type FrameworkCapabilityType = (typeof frameworkCapabilityTypes)[number];

export const frameworkCapabilitySchema = z.looseObject({ type: openEnum(frameworkCapabilityTypes).optional() });
export type FrameworkCapability = z.infer<typeof frameworkCapabilitySchema>;

/** OfferFilters: per role, the minimum resource quantities worth an offer. */
export const offerFiltersSchema = z.looseObject({
  min_allocatable_resources: z
    .looseObject({
      quantities: z
        .array(z.looseObject({ quantities: z.record(z.string(), z.looseObject({ value: doubleSchema })).optional() }))
        .optional(),
    })
    .optional(),
});
export type OfferFilters = z.infer<typeof offerFiltersSchema>;

export const frameworkInfoSchema = z.looseObject({
  user: z.string(),
  name: z.string(),
  id: frameworkIdSchema.optional(),
  /** Seconds; Mesos' default 0 removes the framework (and kills its tasks) as soon as its stream breaks. */
  failover_timeout: doubleSchema.optional(),
  checkpoint: boolSchema.optional(),
  /** Deprecated: only without MULTI_ROLE. */
  role: z.string().optional(),
  roles: z.array(z.string()).optional(),
  hostname: z.string().optional(),
  principal: z.string().optional(),
  webui_url: z.string().optional(),
  capabilities: z.array(frameworkCapabilitySchema).optional(),
  labels: labelsSchema.optional(),
  offer_filters: z.record(z.string(), offerFiltersSchema).optional(),
});
export type FrameworkInfo = z.infer<typeof frameworkInfoSchema>;

/** OfferConstraints (1.11+): kept loosely, mesoflow does not build them. */
export const offerConstraintsSchema = z.looseObject({
  role_constraints: z.record(z.string(), z.looseObject({})).optional(),
});
export type OfferConstraints = z.infer<typeof offerConstraintsSchema>;

export const masterCapabilityTypes = ['UNKNOWN', 'AGENT_UPDATE', 'AGENT_DRAINING', 'QUOTA_V2'] as const;

export const masterInfoSchema = z.looseObject({
  id: z.string(),
  /** Packed IPv4 in network order (16777343 = 127.0.0.1). */
  ip: uint32Schema,
  port: uint32Schema,
  pid: z.string().optional(),
  hostname: z.string().optional(),
  version: z.string().optional(),
  address: addressSchema.optional(),
  domain: domainInfoSchema.optional(),
  // Mesos 1.11 prints a capability its proto lacks as `{}`, hence type optional.
  capabilities: z.array(z.looseObject({ type: openEnum(masterCapabilityTypes).optional() })).optional(),
});
export type MasterInfo = z.infer<typeof masterInfoSchema>;
