// mesos.v1.scheduler.Call: what a framework POSTs to /api/v1/scheduler.
// Discriminated by `type`; besides the proto-level required fields, the
// schema demands what Mesos' call validation demands (§8.0): a framework_id
// on every call but SUBSCRIBE, and the payload named by the type where Mesos
// requires it. So a parsed AcceptCall always has `accept`.
import { z } from 'zod';
import { bytesSchema } from './scalars.js';
import { agentIdSchema, executorIdSchema, frameworkIdSchema, offerIdSchema, operationIdSchema, resourceProviderIdSchema, taskIdSchema } from './ids.js';
import { frameworkInfoSchema, offerConstraintsSchema } from './framework.js';
import { filtersSchema } from './offer.js';
import { resourceSchema } from './resources.js';
import { killPolicySchema } from './task.js';
import { operationSchema } from './operations.js';
import { isValidStatusUuid } from '../json.js';
import { parseMesos, safeParseMesos, type MesosParseResult } from './errors.js';

export const callTypes = [
  'UNKNOWN',
  'SUBSCRIBE',
  'TEARDOWN',
  'ACCEPT',
  'DECLINE',
  'REVIVE',
  'KILL',
  'SHUTDOWN',
  'ACKNOWLEDGE',
  'RECONCILE',
  'MESSAGE',
  'REQUEST',
  'SUPPRESS',
  'ACCEPT_INVERSE_OFFERS',
  'DECLINE_INVERSE_OFFERS',
  'ACKNOWLEDGE_OPERATION_STATUS',
  'RECONCILE_OPERATIONS',
  'UPDATE_FRAMEWORK',
] as const;
export type CallType = (typeof callTypes)[number];

// Payloads (Call.Subscribe, Call.Accept, ...).

/** An acknowledged uuid must be base64 of 16 bytes with an RFC 4122 version 1-5, or Mesos answers 400 "Not a valid UUID". */
export const statusUuidSchema = bytesSchema.refine(isValidStatusUuid, { error: 'Not a valid UUID' });

export const callSubscribeSchema = z.looseObject({
  framework_info: frameworkInfoSchema,
  suppressed_roles: z.array(z.string()).optional(),
  offer_constraints: offerConstraintsSchema.optional(),
});
export const callAcceptSchema = z.looseObject({
  offer_ids: z.array(offerIdSchema).optional(),
  operations: z.array(operationSchema).optional(),
  filters: filtersSchema.optional(),
});
export const callDeclineSchema = z.looseObject({
  offer_ids: z.array(offerIdSchema).optional(),
  filters: filtersSchema.optional(),
});
export const callAcceptInverseOffersSchema = z.looseObject({
  inverse_offer_ids: z.array(offerIdSchema).optional(),
  filters: filtersSchema.optional(),
});
export const callDeclineInverseOffersSchema = callAcceptInverseOffersSchema;
export const callReviveSchema = z.looseObject({ roles: z.array(z.string()).optional() });
export const callSuppressSchema = z.looseObject({ roles: z.array(z.string()).optional() });
export const callKillSchema = z.looseObject({
  task_id: taskIdSchema,
  agent_id: agentIdSchema.optional(),
  kill_policy: killPolicySchema.optional(),
});
export const callShutdownSchema = z.looseObject({ executor_id: executorIdSchema, agent_id: agentIdSchema });
export const callAcknowledgeSchema = z.looseObject({
  agent_id: agentIdSchema,
  task_id: taskIdSchema,
  /** The TaskStatus.uuid string, echoed unchanged. */
  uuid: statusUuidSchema,
});
export const callAcknowledgeOperationStatusSchema = z.looseObject({
  // Optional in the proto, but Mesos' call validation demands it.
  agent_id: agentIdSchema,
  resource_provider_id: resourceProviderIdSchema.optional(),
  uuid: statusUuidSchema,
  operation_id: operationIdSchema,
});
export const callReconcileSchema = z.looseObject({
  tasks: z.array(z.looseObject({ task_id: taskIdSchema, agent_id: agentIdSchema.optional() })).optional(),
});
export const callReconcileOperationsSchema = z.looseObject({
  operations: z
    .array(
      z.looseObject({
        operation_id: operationIdSchema,
        agent_id: agentIdSchema.optional(),
        resource_provider_id: resourceProviderIdSchema.optional(),
      }),
    )
    .optional(),
});
export const callMessageSchema = z.looseObject({ agent_id: agentIdSchema, executor_id: executorIdSchema, data: bytesSchema });
export const callRequestSchema = z.looseObject({
  requests: z.array(z.looseObject({ agent_id: agentIdSchema.optional(), resources: z.array(resourceSchema).optional() })).optional(),
});
export const callUpdateFrameworkSchema = z.looseObject({
  framework_info: frameworkInfoSchema,
  suppressed_roles: z.array(z.string()).optional(),
  offer_constraints: offerConstraintsSchema.optional(),
});

export type CallSubscribe = z.infer<typeof callSubscribeSchema>;
export type CallAccept = z.infer<typeof callAcceptSchema>;
export type CallDecline = z.infer<typeof callDeclineSchema>;
export type CallAcceptInverseOffers = z.infer<typeof callAcceptInverseOffersSchema>;
export type CallDeclineInverseOffers = z.infer<typeof callDeclineInverseOffersSchema>;
export type CallRevive = z.infer<typeof callReviveSchema>;
export type CallSuppress = z.infer<typeof callSuppressSchema>;
export type CallKill = z.infer<typeof callKillSchema>;
export type CallShutdown = z.infer<typeof callShutdownSchema>;
export type CallAcknowledge = z.infer<typeof callAcknowledgeSchema>;
export type CallAcknowledgeOperationStatus = z.infer<typeof callAcknowledgeOperationStatusSchema>;
export type CallReconcile = z.infer<typeof callReconcileSchema>;
export type CallReconcileOperations = z.infer<typeof callReconcileOperationsSchema>;
export type CallMessage = z.infer<typeof callMessageSchema>;
export type CallRequest = z.infer<typeof callRequestSchema>;
export type CallUpdateFramework = z.infer<typeof callUpdateFrameworkSchema>;

// Envelopes.

const fid = { framework_id: frameworkIdSchema };

/** framework_id is optional for a new framework; a resubscribing one must set it and framework_info.id alike. */
export const subscribeCallSchema = z
  .looseObject({
    type: z.literal('SUBSCRIBE'),
    framework_id: frameworkIdSchema.optional(),
    subscribe: callSubscribeSchema,
  })
  .check((ctx) => {
    const v = ctx.value;
    if ((v.framework_id?.value ?? '') !== (v.subscribe.framework_info.id?.value ?? '')) {
      ctx.issues.push({ code: 'custom', input: v.framework_id, path: ['framework_id'], message: "'framework_id' differs from 'subscribe.framework_info.id'" });
    }
  });
export const teardownCallSchema = z.looseObject({ type: z.literal('TEARDOWN'), ...fid });
export const acceptCallSchema = z.looseObject({ type: z.literal('ACCEPT'), ...fid, accept: callAcceptSchema });
export const declineCallSchema = z.looseObject({ type: z.literal('DECLINE'), ...fid, decline: callDeclineSchema });
export const reviveCallSchema = z.looseObject({ type: z.literal('REVIVE'), ...fid, revive: callReviveSchema.optional() });
export const killCallSchema = z.looseObject({ type: z.literal('KILL'), ...fid, kill: callKillSchema });
export const shutdownCallSchema = z.looseObject({ type: z.literal('SHUTDOWN'), ...fid, shutdown: callShutdownSchema });
export const acknowledgeCallSchema = z.looseObject({ type: z.literal('ACKNOWLEDGE'), ...fid, acknowledge: callAcknowledgeSchema });
export const reconcileCallSchema = z.looseObject({ type: z.literal('RECONCILE'), ...fid, reconcile: callReconcileSchema });
export const messageCallSchema = z.looseObject({ type: z.literal('MESSAGE'), ...fid, message: callMessageSchema });
export const requestCallSchema = z.looseObject({ type: z.literal('REQUEST'), ...fid, request: callRequestSchema });
export const suppressCallSchema = z.looseObject({ type: z.literal('SUPPRESS'), ...fid, suppress: callSuppressSchema.optional() });
export const acceptInverseOffersCallSchema = z.looseObject({
  type: z.literal('ACCEPT_INVERSE_OFFERS'),
  ...fid,
  accept_inverse_offers: callAcceptInverseOffersSchema,
});
export const declineInverseOffersCallSchema = z.looseObject({
  type: z.literal('DECLINE_INVERSE_OFFERS'),
  ...fid,
  decline_inverse_offers: callDeclineInverseOffersSchema,
});
export const acknowledgeOperationStatusCallSchema = z.looseObject({
  type: z.literal('ACKNOWLEDGE_OPERATION_STATUS'),
  ...fid,
  acknowledge_operation_status: callAcknowledgeOperationStatusSchema,
});
export const reconcileOperationsCallSchema = z.looseObject({
  type: z.literal('RECONCILE_OPERATIONS'),
  ...fid,
  reconcile_operations: callReconcileOperationsSchema,
});
export const updateFrameworkCallSchema = z
  .looseObject({
    type: z.literal('UPDATE_FRAMEWORK'),
    ...fid,
    update_framework: callUpdateFrameworkSchema,
  })
  .check((ctx) => {
    const v = ctx.value;
    if (v.framework_id.value !== (v.update_framework.framework_info.id?.value ?? '')) {
      ctx.issues.push({
        code: 'custom',
        input: v.framework_id,
        path: ['framework_id'],
        message: "'framework_id' differs from 'update_framework.framework_info.id'",
      });
    }
  });
/** An explicit `UNKNOWN` call: valid JSON for Mesos, answered 501. */
export const unknownCallSchema = z.looseObject({ type: z.literal('UNKNOWN'), ...fid });

export const callSchema = z.discriminatedUnion('type', [
  subscribeCallSchema,
  teardownCallSchema,
  acceptCallSchema,
  declineCallSchema,
  reviveCallSchema,
  killCallSchema,
  shutdownCallSchema,
  acknowledgeCallSchema,
  reconcileCallSchema,
  messageCallSchema,
  requestCallSchema,
  suppressCallSchema,
  acceptInverseOffersCallSchema,
  declineInverseOffersCallSchema,
  acknowledgeOperationStatusCallSchema,
  reconcileOperationsCallSchema,
  updateFrameworkCallSchema,
  unknownCallSchema,
]);

export type Call = z.infer<typeof callSchema>;
/** What callers write: numbers may still be numeric strings etc. (Call is what parsing yields). */
export type CallInput = z.input<typeof callSchema>;
export type SubscribeCall = z.infer<typeof subscribeCallSchema>;
export type TeardownCall = z.infer<typeof teardownCallSchema>;
export type AcceptCall = z.infer<typeof acceptCallSchema>;
export type DeclineCall = z.infer<typeof declineCallSchema>;
export type ReviveCall = z.infer<typeof reviveCallSchema>;
export type KillCall = z.infer<typeof killCallSchema>;
export type ShutdownCall = z.infer<typeof shutdownCallSchema>;
export type AcknowledgeCall = z.infer<typeof acknowledgeCallSchema>;
export type ReconcileCall = z.infer<typeof reconcileCallSchema>;
export type MessageCall = z.infer<typeof messageCallSchema>;
export type RequestCall = z.infer<typeof requestCallSchema>;
export type SuppressCall = z.infer<typeof suppressCallSchema>;
export type AcceptInverseOffersCall = z.infer<typeof acceptInverseOffersCallSchema>;
export type DeclineInverseOffersCall = z.infer<typeof declineInverseOffersCallSchema>;
export type AcknowledgeOperationStatusCall = z.infer<typeof acknowledgeOperationStatusCallSchema>;
export type ReconcileOperationsCall = z.infer<typeof reconcileOperationsCallSchema>;
export type UpdateFrameworkCall = z.infer<typeof updateFrameworkCallSchema>;
export type UnknownCall = z.infer<typeof unknownCallSchema>;
/** The call of a given type: `CallOf<'ACCEPT'>` is AcceptCall. */
export type CallOf<T extends CallType> = Extract<Call, { type: T }>;

/** Validates a scheduler Call (already JSON-parsed); throws MesosSchemaError naming the field paths. */
export function parseCall(input: unknown): Call {
  return parseMesos(callSchema, input, what(input));
}

export function safeParseCall(input: unknown): MesosParseResult<Call> {
  return safeParseMesos(callSchema, input, what(input));
}

function what(input: unknown): string {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? `scheduler Call ${type}` : 'scheduler Call';
}
