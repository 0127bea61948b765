// The subset of the master operator API (POST /api/v1, mesos.v1.master.*)
// that mesoflow reads and the devcluster answers: GET_STATE, GET_TASKS,
// GET_FRAMEWORKS, GET_AGENTS, GET_EXECUTORS, GET_HEALTH, GET_VERSION,
// GET_MASTER. Kept looser than the scheduler API: most fields optional.
import { z } from 'zod';
import { boolSchema, bytesSchema, doubleSchema, int32Schema, int64Schema, openEnum } from './scalars.js';
import { doubleValueSchema, domainInfoSchema, labelsSchema, timeInfoSchema } from './common.js';
import { agentIdSchema, executorIdSchema, frameworkIdSchema, taskIdSchema } from './ids.js';
import { frameworkInfoSchema, masterInfoSchema, offerConstraintsSchema } from './framework.js';
import { inverseOfferSchema, offerSchema } from './offer.js';
import { attributeSchema, resourceSchema } from './resources.js';
import { containerInfoSchema, discoveryInfoSchema, executorInfoSchema, healthCheckSchema, killPolicySchema } from './task.js';
import { taskStateSchema, taskStatusSchema } from './status.js';
import { parseMesos, safeParseMesos, type MesosParseResult } from './errors.js';

export const masterCallTypes = [
  'UNKNOWN',
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_LOGGING_LEVEL',
  'SET_LOGGING_LEVEL',
  'LIST_FILES',
  'READ_FILE',
  'GET_STATE',
  'GET_AGENTS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_OPERATIONS',
  'GET_TASKS',
  'GET_ROLES',
  'GET_WEIGHTS',
  'UPDATE_WEIGHTS',
  'GET_MASTER',
  'SUBSCRIBE',
  'RESERVE_RESOURCES',
  'UNRESERVE_RESOURCES',
  'CREATE_VOLUMES',
  'DESTROY_VOLUMES',
  'GROW_VOLUME',
  'SHRINK_VOLUME',
  'GET_MAINTENANCE_STATUS',
  'GET_MAINTENANCE_SCHEDULE',
  'UPDATE_MAINTENANCE_SCHEDULE',
  'START_MAINTENANCE',
  'STOP_MAINTENANCE',
  'DRAIN_AGENT',
  'DEACTIVATE_AGENT',
  'REACTIVATE_AGENT',
  'GET_QUOTA',
  'UPDATE_QUOTA',
  'SET_QUOTA',
  'REMOVE_QUOTA',
  'TEARDOWN',
  'MARK_AGENT_GONE',
] as const;
export type MasterCallType = (typeof masterCallTypes)[number];

/** mesos.v1.master.Call: `type` must be a known name (Mesos: "Expecting 'type' to be present"); payloads loose. */
export const masterCallSchema = z.looseObject({
  type: z.enum(masterCallTypes),
  get_metrics: z.looseObject({ timeout: z.looseObject({}).optional() }).optional(),
  read_file: z.looseObject({ path: z.string(), offset: int64Schema, length: int64Schema.optional() }).optional(),
  list_files: z.looseObject({ path: z.string() }).optional(),
  teardown: z.looseObject({ framework_id: frameworkIdSchema }).optional(),
  mark_agent_gone: z.looseObject({ agent_id: agentIdSchema }).optional(),
  drain_agent: z.looseObject({ agent_id: agentIdSchema }).optional(),
  deactivate_agent: z.looseObject({ agent_id: agentIdSchema }).optional(),
  reactivate_agent: z.looseObject({ agent_id: agentIdSchema }).optional(),
});
export type MasterCall = z.infer<typeof masterCallSchema>;

/** mesos.v1.Task as the master reports it. */
export const taskSchema = z.looseObject({
  name: z.string(),
  task_id: taskIdSchema,
  framework_id: frameworkIdSchema,
  executor_id: executorIdSchema.optional(),
  agent_id: agentIdSchema,
  state: taskStateSchema,
  resources: z.array(resourceSchema).optional(),
  statuses: z.array(taskStatusSchema).optional(),
  status_update_state: taskStateSchema.optional(),
  status_update_uuid: bytesSchema.optional(),
  labels: labelsSchema.optional(),
  discovery: discoveryInfoSchema.optional(),
  container: containerInfoSchema.optional(),
  health_check: healthCheckSchema.optional(),
  kill_policy: killPolicySchema.optional(),
  user: z.string().optional(),
  limits: z.record(z.string(), doubleValueSchema).optional(),
});
export type Task = z.infer<typeof taskSchema>;

export const agentInfoSchema = z.looseObject({
  hostname: z.string(),
  port: int32Schema.optional(),
  resources: z.array(resourceSchema).optional(),
  attributes: z.array(attributeSchema).optional(),
  id: agentIdSchema.optional(),
  domain: domainInfoSchema.optional(),
});
export type AgentInfo = z.infer<typeof agentInfoSchema>;

export const getTasksSchema = z.looseObject({
  pending_tasks: z.array(taskSchema).optional(),
  tasks: z.array(taskSchema).optional(),
  unreachable_tasks: z.array(taskSchema).optional(),
  completed_tasks: z.array(taskSchema).optional(),
  orphan_tasks: z.array(taskSchema).optional(),
});
export type GetTasks = z.infer<typeof getTasksSchema>;

export const masterFrameworkSchema = z.looseObject({
  framework_info: frameworkInfoSchema,
  active: boolSchema,
  connected: boolSchema,
  recovered: boolSchema,
  registered_time: timeInfoSchema.optional(),
  reregistered_time: timeInfoSchema.optional(),
  unregistered_time: timeInfoSchema.optional(),
  offers: z.array(offerSchema).optional(),
  inverse_offers: z.array(inverseOfferSchema).optional(),
  allocated_resources: z.array(resourceSchema).optional(),
  offered_resources: z.array(resourceSchema).optional(),
  offer_constraints: offerConstraintsSchema.optional(),
});
export type MasterFramework = z.infer<typeof masterFrameworkSchema>;

export const getFrameworksSchema = z.looseObject({
  frameworks: z.array(masterFrameworkSchema).optional(),
  completed_frameworks: z.array(masterFrameworkSchema).optional(),
  recovered_frameworks: z.array(frameworkInfoSchema).optional(),
});
export type GetFrameworks = z.infer<typeof getFrameworksSchema>;

export const agentCapabilityTypes = [
  'UNKNOWN',
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
  'RESOURCE_PROVIDER',
  'RESIZE_VOLUME',
  'AGENT_OPERATION_FEEDBACK',
  'AGENT_DRAINING',
  'TASK_RESOURCE_LIMITS',
] as const;

export const masterAgentSchema = z.looseObject({
  agent_info: agentInfoSchema,
  active: boolSchema,
  deactivated: boolSchema.optional(),
  version: z.string().optional(),
  pid: z.string().optional(),
  registered_time: timeInfoSchema.optional(),
  reregistered_time: timeInfoSchema.optional(),
  total_resources: z.array(resourceSchema).optional(),
  allocated_resources: z.array(resourceSchema).optional(),
  offered_resources: z.array(resourceSchema).optional(),
  capabilities: z.array(z.looseObject({ type: openEnum(agentCapabilityTypes).optional() })).optional(),
});
export type MasterAgent = z.infer<typeof masterAgentSchema>;

export const getAgentsSchema = z.looseObject({
  agents: z.array(masterAgentSchema).optional(),
  recovered_agents: z.array(agentInfoSchema).optional(),
});
export type GetAgents = z.infer<typeof getAgentsSchema>;

export const getExecutorsSchema = z.looseObject({
  executors: z.array(z.looseObject({ executor_info: executorInfoSchema, agent_id: agentIdSchema })).optional(),
  orphan_executors: z.array(z.looseObject({ executor_info: executorInfoSchema, agent_id: agentIdSchema })).optional(),
});
export type GetExecutors = z.infer<typeof getExecutorsSchema>;

export const getStateSchema = z.looseObject({
  get_tasks: getTasksSchema.optional(),
  get_executors: getExecutorsSchema.optional(),
  get_frameworks: getFrameworksSchema.optional(),
  get_agents: getAgentsSchema.optional(),
});
export type GetState = z.infer<typeof getStateSchema>;

export const getHealthSchema = z.looseObject({ healthy: boolSchema });
export const getVersionSchema = z.looseObject({
  version_info: z.looseObject({
    version: z.string(),
    build_date: z.string().optional(),
    build_time: doubleSchema.optional(),
    build_user: z.string().optional(),
    git_sha: z.string().optional(),
    git_branch: z.string().optional(),
    git_tag: z.string().optional(),
  }),
});
export const getMasterSchema = z.looseObject({
  master_info: masterInfoSchema.optional(),
  start_time: doubleSchema.optional(),
  elected_time: doubleSchema.optional(),
});
export type GetHealth = z.infer<typeof getHealthSchema>;
export type GetVersion = z.infer<typeof getVersionSchema>;
export type GetMaster = z.infer<typeof getMasterSchema>;

/**
 * mesos.v1.master.Response, loosely: `type` is any string and each known
 * payload is validated when present, so a response of another type passes.
 */
export const masterResponseSchema = z.looseObject({
  type: z.string(),
  get_health: getHealthSchema.optional(),
  get_version: getVersionSchema.optional(),
  get_state: getStateSchema.optional(),
  get_agents: getAgentsSchema.optional(),
  get_frameworks: getFrameworksSchema.optional(),
  get_executors: getExecutorsSchema.optional(),
  get_tasks: getTasksSchema.optional(),
  get_master: getMasterSchema.optional(),
});
export type MasterResponse = z.infer<typeof masterResponseSchema>;

export function parseMasterCall(input: unknown): MasterCall {
  return parseMesos(masterCallSchema, input, 'master Call');
}

export function parseMasterResponse(input: unknown): MasterResponse {
  return parseMesos(masterResponseSchema, input, 'master Response');
}

export function safeParseMasterResponse(input: unknown): MesosParseResult<MasterResponse> {
  return safeParseMesos(masterResponseSchema, input, 'master Response');
}
