// Small messages shared by most others: labels, durations, times, addresses,
// URLs, parameters, environment, domains.
import { z } from 'zod';
import { doubleSchema, int32Schema, int64Schema, openEnum } from './scalars.js';

export const labelSchema = z.looseObject({ key: z.string(), value: z.string().optional() });
export const labelsSchema = z.looseObject({ labels: z.array(labelSchema).optional() });
export type Label = z.infer<typeof labelSchema>;
export type Labels = z.infer<typeof labelsSchema>;

export const durationInfoSchema = z.looseObject({ nanoseconds: int64Schema });
export const timeInfoSchema = z.looseObject({ nanoseconds: int64Schema });
export type DurationInfo = z.infer<typeof durationInfoSchema>;
export type TimeInfo = z.infer<typeof timeInfoSchema>;

export const addressSchema = z.looseObject({
  hostname: z.string().optional(),
  ip: z.string().optional(),
  port: int32Schema,
});
export type Address = z.infer<typeof addressSchema>;

export const parameterSchema = z.looseObject({ key: z.string(), value: z.string() });
export const parametersSchema = z.looseObject({ parameter: z.array(parameterSchema).optional() });
export type Parameter = z.infer<typeof parameterSchema>;
export type Parameters = z.infer<typeof parametersSchema>;

export const urlSchema = z.looseObject({
  scheme: z.string(),
  address: addressSchema,
  path: z.string().optional(),
  query: z.array(parameterSchema).optional(),
  fragment: z.string().optional(),
});
export type URL = z.infer<typeof urlSchema>;

export const domainInfoSchema = z.looseObject({
  fault_domain: z
    .looseObject({
      region: z.looseObject({ name: z.string() }),
      zone: z.looseObject({ name: z.string() }),
    })
    .optional(),
});
export type DomainInfo = z.infer<typeof domainInfoSchema>;

export const secretSchema = z.looseObject({
  type: openEnum(['UNKNOWN', 'REFERENCE', 'VALUE'] as const).optional(),
  reference: z.looseObject({ name: z.string(), key: z.string().optional() }).optional(),
  value: z.looseObject({ data: z.string() }).optional(),
});
export type Secret = z.infer<typeof secretSchema>;

export const environmentVariableTypes = ['UNKNOWN', 'VALUE', 'SECRET'] as const;
export const environmentSchema = z.looseObject({
  variables: z
    .array(
      z.looseObject({
        name: z.string(),
        type: openEnum(environmentVariableTypes).optional(),
        value: z.string().optional(),
        secret: secretSchema.optional(),
      }),
    )
    .optional(),
});
export type Environment = z.infer<typeof environmentSchema>;

/** A `{"value": x}` double, as in TaskInfo.limits. */
export const doubleValueSchema = z.looseObject({ value: doubleSchema });
