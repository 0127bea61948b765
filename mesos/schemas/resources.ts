// Resource and the Value types it is made of (also used by Attribute).
import { z } from 'zod';
import { doubleSchema, int64Schema, openEnum } from './scalars.js';
import { labelsSchema } from './common.js';
import { resourceProviderIdSchema } from './ids.js';
import { volumeSchema } from './volume.js';

export const valueTypes = ['SCALAR', 'RANGES', 'SET', 'TEXT'] as const;
export const valueTypeSchema = z.enum(valueTypes);
export type ValueType = z.infer<typeof valueTypeSchema>;

export const scalarSchema = z.looseObject({ value: doubleSchema });
export const rangeSchema = z.looseObject({ begin: int64Schema, end: int64Schema });
export const rangesSchema = z.looseObject({ range: z.array(rangeSchema).optional() });
export const setSchema = z.looseObject({ item: z.array(z.string()).optional() });
export const textSchema = z.looseObject({ value: z.string() });
export type Scalar = z.infer<typeof scalarSchema>;
export type Range = z.infer<typeof rangeSchema>;
export type Ranges = z.infer<typeof rangesSchema>;
export type ValueSet = z.infer<typeof setSchema>;
export type Text = z.infer<typeof textSchema>;

export const allocationInfoSchema = z.looseObject({ role: z.string().optional() });
export type AllocationInfo = z.infer<typeof allocationInfoSchema>;

export const reservationTypes = ['UNKNOWN', 'STATIC', 'DYNAMIC'] as const;
export const reservationInfoSchema = z.looseObject({
  type: openEnum(reservationTypes).optional(),
  role: z.string().optional(),
  principal: z.string().optional(),
  labels: labelsSchema.optional(),
});
export type ReservationInfo = z.infer<typeof reservationInfoSchema>;

export const diskSourceTypes = ['UNKNOWN', 'PATH', 'MOUNT', 'BLOCK', 'RAW'] as const;
export const diskInfoSchema = z.looseObject({
  persistence: z.looseObject({ id: z.string(), principal: z.string().optional() }).optional(),
  volume: volumeSchema.optional(),
  source: z
    .looseObject({
      type: z.enum(diskSourceTypes),
      path: z.looseObject({ root: z.string().optional() }).optional(),
      mount: z.looseObject({ root: z.string().optional() }).optional(),
      id: z.string().optional(),
      profile: z.string().optional(),
      vendor: z.string().optional(),
    })
    .optional(),
});
export type DiskInfo = z.infer<typeof diskInfoSchema>;

export const resourceSchema = z.looseObject({
  provider_id: resourceProviderIdSchema.optional(),
  name: z.string(),
  type: valueTypeSchema,
  scalar: scalarSchema.optional(),
  ranges: rangesSchema.optional(),
  set: setSchema.optional(),
  /** Deprecated pre-refinement format; `"*"` when unreserved and the framework lacks RESERVATION_REFINEMENT. */
  role: z.string().optional(),
  allocation_info: allocationInfoSchema.optional(),
  reservation: reservationInfoSchema.optional(),
  reservations: z.array(reservationInfoSchema).optional(),
  disk: diskInfoSchema.optional(),
  revocable: z.looseObject({}).optional(),
  shared: z.looseObject({}).optional(),
});
export type Resource = z.infer<typeof resourceSchema>;

export const attributeSchema = z.looseObject({
  name: z.string(),
  type: valueTypeSchema,
  scalar: scalarSchema.optional(),
  ranges: rangesSchema.optional(),
  set: setSchema.optional(),
  text: textSchema.optional(),
});
export type Attribute = z.infer<typeof attributeSchema>;
