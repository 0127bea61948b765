// Offer.Operation (what an ACCEPT does with the offered resources) and
// OperationStatus (UPDATE_OPERATION_STATUS feedback).
import { z } from 'zod';
import { openEnum } from './scalars.js';
import { agentIdSchema, operationIdSchema, resourceProviderIdSchema, uuidMessageSchema } from './ids.js';
import { resourceSchema, scalarSchema } from './resources.js';
import { executorInfoSchema, taskGroupInfoSchema, taskInfoSchema } from './task.js';

export const operationTypes = [
  'UNKNOWN',
  'LAUNCH',
  'LAUNCH_GROUP',
  'RESERVE',
  'UNRESERVE',
  'CREATE',
  'DESTROY',
  'GROW_VOLUME',
  'SHRINK_VOLUME',
  'CREATE_DISK',
  'DESTROY_DISK',
] as const;
export type OperationType = (typeof operationTypes)[number];

// `id` asks for UPDATE_OPERATION_STATUS feedback (not allowed on LAUNCH*).
const base = { id: operationIdSchema.optional() };

export const launchOperationSchema = z.looseObject({
  ...base,
  type: z.literal('LAUNCH'),
  launch: z.looseObject({ task_infos: z.array(taskInfoSchema).optional() }),
});
export const launchGroupOperationSchema = z.looseObject({
  ...base,
  type: z.literal('LAUNCH_GROUP'),
  launch_group: z.looseObject({ executor: executorInfoSchema, task_group: taskGroupInfoSchema }),
});
export const reserveOperationSchema = z.looseObject({
  ...base,
  type: z.literal('RESERVE'),
  reserve: z.looseObject({ source: z.array(resourceSchema).optional(), resources: z.array(resourceSchema).optional() }),
});
export const unreserveOperationSchema = z.looseObject({
  ...base,
  type: z.literal('UNRESERVE'),
  unreserve: z.looseObject({ resources: z.array(resourceSchema).optional() }),
});
export const createOperationSchema = z.looseObject({
  ...base,
  type: z.literal('CREATE'),
  create: z.looseObject({ volumes: z.array(resourceSchema).optional() }),
});
export const destroyOperationSchema = z.looseObject({
  ...base,
  type: z.literal('DESTROY'),
  destroy: z.looseObject({ volumes: z.array(resourceSchema).optional() }),
});
export const growVolumeOperationSchema = z.looseObject({
  ...base,
  type: z.literal('GROW_VOLUME'),
  grow_volume: z.looseObject({ volume: resourceSchema, addition: resourceSchema }),
});
export const shrinkVolumeOperationSchema = z.looseObject({
  ...base,
  type: z.literal('SHRINK_VOLUME'),
  shrink_volume: z.looseObject({ volume: resourceSchema, subtract: scalarSchema }),
});
export const createDiskOperationSchema = z.looseObject({
  ...base,
  type: z.literal('CREATE_DISK'),
  create_disk: z.looseObject({
    source: resourceSchema,
    target_type: openEnum(['UNKNOWN', 'PATH', 'MOUNT', 'BLOCK', 'RAW'] as const),
    target_profile: z.string().optional(),
  }),
});
export const destroyDiskOperationSchema = z.looseObject({
  ...base,
  type: z.literal('DESTROY_DISK'),
  destroy_disk: z.looseObject({ source: resourceSchema }),
});

/** Offer.Operation, discriminated by `type`; the payload named by the type is required. */
export const operationSchema = z.discriminatedUnion('type', [
  launchOperationSchema,
  launchGroupOperationSchema,
  reserveOperationSchema,
  unreserveOperationSchema,
  createOperationSchema,
  destroyOperationSchema,
  growVolumeOperationSchema,
  shrinkVolumeOperationSchema,
  createDiskOperationSchema,
  destroyDiskOperationSchema,
]);
export type Operation = z.infer<typeof operationSchema>;
export type LaunchOperation = z.infer<typeof launchOperationSchema>;
export type LaunchGroupOperation = z.infer<typeof launchGroupOperationSchema>;
export type ReserveOperation = z.infer<typeof reserveOperationSchema>;
export type UnreserveOperation = z.infer<typeof unreserveOperationSchema>;
export type CreateOperation = z.infer<typeof createOperationSchema>;
export type DestroyOperation = z.infer<typeof destroyOperationSchema>;
export type GrowVolumeOperation = z.infer<typeof growVolumeOperationSchema>;
export type ShrinkVolumeOperation = z.infer<typeof shrinkVolumeOperationSchema>;
export type CreateDiskOperation = z.infer<typeof createDiskOperationSchema>;
export type DestroyDiskOperation = z.infer<typeof destroyDiskOperationSchema>;

export const operationStates = [
  'OPERATION_UNSUPPORTED',
  'OPERATION_PENDING',
  'OPERATION_FINISHED',
  'OPERATION_FAILED',
  'OPERATION_ERROR',
  'OPERATION_DROPPED',
  'OPERATION_UNREACHABLE',
  'OPERATION_GONE_BY_OPERATOR',
  'OPERATION_RECOVERING',
  'OPERATION_UNKNOWN',
] as const;
export const operationStateSchema = z.enum(operationStates);
export type OperationState = z.infer<typeof operationStateSchema>;

export const operationStatusSchema = z.looseObject({
  operation_id: operationIdSchema.optional(),
  state: operationStateSchema,
  message: z.string().optional(),
  converted_resources: z.array(resourceSchema).optional(),
  uuid: uuidMessageSchema.optional(),
  agent_id: agentIdSchema.optional(),
  resource_provider_id: resourceProviderIdSchema.optional(),
});
export type OperationStatus = z.infer<typeof operationStatusSchema>;

