// What a framework launches: TaskInfo and the messages it carries.
import { z } from 'zod';
import { boolSchema, bytesSchema, doubleSchema, uint32Schema, openEnum } from './scalars.js';
import { doubleValueSchema, durationInfoSchema, environmentSchema, labelsSchema, parameterSchema } from './common.js';
import { agentIdSchema, executorIdSchema, frameworkIdSchema, taskIdSchema } from './ids.js';
import { resourceSchema } from './resources.js';
import { imageSchema, volumeSchema } from './volume.js';

export const commandUriSchema = z.looseObject({
  value: z.string(),
  executable: boolSchema.optional(),
  extract: boolSchema.optional(),
  cache: boolSchema.optional(),
  output_file: z.string().optional(),
});
export type CommandURI = z.infer<typeof commandUriSchema>;

/**
 * With `shell` true (the default) Mesos runs `/bin/sh -c value` and ignores
 * `arguments`; with `shell: false` it execs `value` with `arguments`
 * (argv[0] included).
 */
export const commandInfoSchema = z.looseObject({
  uris: z.array(commandUriSchema).optional(),
  environment: environmentSchema.optional(),
  shell: boolSchema.optional(),
  value: z.string().optional(),
  arguments: z.array(z.string()).optional(),
  user: z.string().optional(),
});
export type CommandInfo = z.infer<typeof commandInfoSchema>;

export const networkInfoSchema = z.looseObject({
  ip_addresses: z
    .array(z.looseObject({ protocol: openEnum(['IPv4', 'IPv6'] as const).optional(), ip_address: z.string().optional() }))
    .optional(),
  name: z.string().optional(),
  groups: z.array(z.string()).optional(),
  labels: labelsSchema.optional(),
  port_mappings: z
    .array(z.looseObject({ host_port: uint32Schema, container_port: uint32Schema, protocol: z.string().optional() }))
    .optional(),
});
export type NetworkInfo = z.infer<typeof networkInfoSchema>;

export const containerTypes = ['MESOS', 'DOCKER'] as const;
export const dockerNetworks = ['HOST', 'BRIDGE', 'NONE', 'USER'] as const;

export const dockerInfoSchema = z.looseObject({
  image: z.string(),
  network: openEnum(dockerNetworks).optional(),
  port_mappings: z
    .array(z.looseObject({ host_port: uint32Schema, container_port: uint32Schema, protocol: z.string().optional() }))
    .optional(),
  privileged: boolSchema.optional(),
  parameters: z.array(parameterSchema).optional(),
  force_pull_image: boolSchema.optional(),
  volume_driver: z.string().optional(),
});
export type DockerInfo = z.infer<typeof dockerInfoSchema>;

export const containerInfoSchema = z.looseObject({
  type: z.enum(containerTypes),
  volumes: z.array(volumeSchema).optional(),
  hostname: z.string().optional(),
  docker: dockerInfoSchema.optional(),
  mesos: z.looseObject({ image: imageSchema.optional() }).optional(),
  network_infos: z.array(networkInfoSchema).optional(),
  linux_info: z.looseObject({}).optional(),
  rlimit_info: z.looseObject({}).optional(),
  tty_info: z.looseObject({}).optional(),
});
export type ContainerInfo = z.infer<typeof containerInfoSchema>;

export const killPolicySchema = z.looseObject({ grace_period: durationInfoSchema.optional() });
export type KillPolicy = z.infer<typeof killPolicySchema>;

export const healthCheckTypes = ['UNKNOWN', 'COMMAND', 'HTTP', 'TCP'] as const;
export const healthCheckSchema = z.looseObject({
  delay_seconds: doubleSchema.optional(),
  interval_seconds: doubleSchema.optional(),
  timeout_seconds: doubleSchema.optional(),
  consecutive_failures: uint32Schema.optional(),
  grace_period_seconds: doubleSchema.optional(),
  type: openEnum(healthCheckTypes).optional(),
  command: commandInfoSchema.optional(),
  http: z
    .looseObject({
      scheme: z.string().optional(),
      port: uint32Schema,
      path: z.string().optional(),
      statuses: z.array(uint32Schema).optional(),
      protocol: z.string().optional(),
    })
    .optional(),
  tcp: z.looseObject({ port: uint32Schema, protocol: z.string().optional() }).optional(),
});
export type HealthCheck = z.infer<typeof healthCheckSchema>;

/** CheckInfo: kept loosely (type and its payload); mesoflow does not use checks. */
export const checkInfoSchema = z.looseObject({
  type: openEnum(['UNKNOWN', 'COMMAND', 'HTTP', 'TCP'] as const).optional(),
  delay_seconds: doubleSchema.optional(),
  interval_seconds: doubleSchema.optional(),
  timeout_seconds: doubleSchema.optional(),
});
export type CheckInfo = z.infer<typeof checkInfoSchema>;

export const discoveryInfoSchema = z.looseObject({
  visibility: openEnum(['FRAMEWORK', 'CLUSTER', 'EXTERNAL'] as const),
  name: z.string().optional(),
  environment: z.string().optional(),
  location: z.string().optional(),
  version: z.string().optional(),
  labels: labelsSchema.optional(),
});
export type DiscoveryInfo = z.infer<typeof discoveryInfoSchema>;

export const executorTypes = ['UNKNOWN', 'DEFAULT', 'CUSTOM'] as const;
export const executorInfoSchema = z.looseObject({
  type: openEnum(executorTypes).optional(),
  executor_id: executorIdSchema,
  framework_id: frameworkIdSchema.optional(),
  command: commandInfoSchema.optional(),
  container: containerInfoSchema.optional(),
  resources: z.array(resourceSchema).optional(),
  name: z.string().optional(),
  source: z.string().optional(),
  data: bytesSchema.optional(),
  discovery: discoveryInfoSchema.optional(),
  shutdown_grace_period: durationInfoSchema.optional(),
  labels: labelsSchema.optional(),
});
export type ExecutorInfo = z.infer<typeof executorInfoSchema>;

export const taskInfoSchema = z.looseObject({
  name: z.string(),
  task_id: taskIdSchema,
  agent_id: agentIdSchema,
  resources: z.array(resourceSchema).optional(),
  executor: executorInfoSchema.optional(),
  command: commandInfoSchema.optional(),
  container: containerInfoSchema.optional(),
  health_check: healthCheckSchema.optional(),
  check: checkInfoSchema.optional(),
  kill_policy: killPolicySchema.optional(),
  data: bytesSchema.optional(),
  labels: labelsSchema.optional(),
  discovery: discoveryInfoSchema.optional(),
  max_completion_time: durationInfoSchema.optional(),
  /** Resource limits by name (cpus, mem); a value may be Infinity. */
  limits: z.record(z.string(), doubleValueSchema).optional(),
});
export type TaskInfo = z.infer<typeof taskInfoSchema>;

export const taskGroupInfoSchema = z.looseObject({ tasks: z.array(taskInfoSchema).optional() });
export type TaskGroupInfo = z.infer<typeof taskGroupInfoSchema>;

