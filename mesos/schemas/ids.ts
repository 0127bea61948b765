// The id messages of mesos.v1: all `{"value": "..."}`.
import { z } from 'zod';
import { bytesSchema } from './scalars.js';

function idSchema() {
  return z.looseObject({ value: z.string() });
}

export const frameworkIdSchema = idSchema();
export const offerIdSchema = idSchema();
export const agentIdSchema = idSchema();
export const taskIdSchema = idSchema();
export const executorIdSchema = idSchema();
export const operationIdSchema = idSchema();
export const resourceProviderIdSchema = idSchema();

export type FrameworkID = z.infer<typeof frameworkIdSchema>;
export type OfferID = z.infer<typeof offerIdSchema>;
export type AgentID = z.infer<typeof agentIdSchema>;
export type TaskID = z.infer<typeof taskIdSchema>;
export type ExecutorID = z.infer<typeof executorIdSchema>;
export type OperationID = z.infer<typeof operationIdSchema>;
export type ResourceProviderID = z.infer<typeof resourceProviderIdSchema>;

/** ContainerID: nested containers name their parent. */
export interface ContainerID {
  value: string;
  parent?: ContainerID | undefined;
  [k: string]: unknown;
}
export const containerIdSchema: z.ZodType<ContainerID> = z.looseObject({
  value: z.string(),
  get parent() {
    return containerIdSchema.optional();
  },
});

/** mesos.v1.UUID (OperationStatus.uuid): a message, unlike the bytes TaskStatus.uuid. */
export const uuidMessageSchema = z.looseObject({ value: bytesSchema });
export type UUIDMessage = z.infer<typeof uuidMessageSchema>;
