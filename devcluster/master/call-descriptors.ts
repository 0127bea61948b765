// The subset of mesos.v1.scheduler.Call (and the messages it contains) that
// proto-json.ts needs to reproduce Mesos's conversion errors: field kinds,
// repeated and required flags, in proto declaration order. Messages the
// devcluster never inspects are `any` (passed through unchanged).
import type { FieldDesc, MessageDesc } from './proto-json.js';

const str: FieldDesc = { kind: 'string' };
const reqStr: FieldDesc = { kind: 'string', required: true };
const any: FieldDesc = { kind: 'any' };
const anyRep: FieldDesc = { kind: 'any', repeated: true };
const bool: FieldDesc = { kind: 'bool' };
const dbl: FieldDesc = { kind: 'double' };
const msg = (m: () => MessageDesc, extra: Partial<FieldDesc> = {}): FieldDesc => ({ kind: { msg: m }, ...extra });
const enm = (values: readonly string[], extra: Partial<FieldDesc> = {}): FieldDesc => ({ kind: { enum: values }, ...extra });

export const callTypeNames = [
  'UNKNOWN', 'SUBSCRIBE', 'TEARDOWN', 'ACCEPT', 'DECLINE', 'ACCEPT_INVERSE_OFFERS', 'DECLINE_INVERSE_OFFERS', 'REVIVE', 'KILL',
  'SHUTDOWN', 'ACKNOWLEDGE', 'ACKNOWLEDGE_OPERATION_STATUS', 'RECONCILE', 'RECONCILE_OPERATIONS', 'MESSAGE', 'REQUEST',
  'SUPPRESS', 'UPDATE_FRAMEWORK',
] as const;

const Id: MessageDesc = { value: reqStr };
const id = (extra: Partial<FieldDesc> = {}): FieldDesc => msg(() => Id, extra);

const Label: MessageDesc = { key: reqStr, value: str };
const Labels: MessageDesc = { labels: msg(() => Label, { repeated: true }) };
const DurationInfo: MessageDesc = { nanoseconds: { kind: 'int', required: true } };
const Filters: MessageDesc = { refuse_seconds: dbl };

const Scalar: MessageDesc = { value: { kind: 'double', required: true } };
const Range: MessageDesc = { begin: { kind: 'int', required: true }, end: { kind: 'int', required: true } };
const Ranges: MessageDesc = { range: msg(() => Range, { repeated: true }) };
const ValueSet: MessageDesc = { item: { kind: 'string', repeated: true } };
const AllocationInfo: MessageDesc = { role: str };
const Resource: MessageDesc = {
  provider_id: any,
  name: reqStr,
  type: enm(['SCALAR', 'RANGES', 'SET', 'TEXT'], { required: true }),
  scalar: msg(() => Scalar),
  ranges: msg(() => Ranges),
  set: msg(() => ValueSet),
  role: str,
  allocation_info: msg(() => AllocationInfo),
  reservation: any,
  reservations: anyRep,
  disk: any,
  revocable: any,
  shared: any,
};

const CommandUri: MessageDesc = { value: reqStr, executable: bool, extract: bool, cache: bool, output_file: str };
const EnvVariable: MessageDesc = { name: reqStr, type: enm(['UNKNOWN', 'VALUE', 'SECRET']), value: str, secret: any };
const Environment: MessageDesc = { variables: msg(() => EnvVariable, { repeated: true }) };
const CommandInfo: MessageDesc = {
  uris: msg(() => CommandUri, { repeated: true }),
  environment: msg(() => Environment),
  shell: bool,
  value: str,
  arguments: { kind: 'string', repeated: true },
  user: str,
};
const Parameter: MessageDesc = { key: reqStr, value: reqStr };
const DockerInfo: MessageDesc = {
  image: reqStr,
  network: enm(['HOST', 'BRIDGE', 'NONE', 'USER']),
  port_mappings: anyRep,
  privileged: bool,
  parameters: msg(() => Parameter, { repeated: true }),
  force_pull_image: bool,
  volume_driver: str,
};
const ContainerInfo: MessageDesc = {
  type: enm(['MESOS', 'DOCKER'], { required: true }),
  volumes: anyRep,
  hostname: str,
  docker: msg(() => DockerInfo),
  mesos: any,
  network_infos: anyRep,
  linux_info: any,
  rlimit_info: any,
  tty_info: any,
};
const KillPolicy: MessageDesc = { grace_period: msg(() => DurationInfo) };
const ExecutorInfo: MessageDesc = {
  type: enm(['UNKNOWN', 'DEFAULT', 'CUSTOM']),
  executor_id: id({ required: true }),
  framework_id: id(),
  command: msg(() => CommandInfo),
  container: msg(() => ContainerInfo),
  resources: msg(() => Resource, { repeated: true }),
  name: str,
  source: str,
  data: { kind: 'bytes' },
  discovery: any,
  shutdown_grace_period: msg(() => DurationInfo),
  labels: msg(() => Labels),
};
const TaskInfo: MessageDesc = {
  name: reqStr,
  task_id: id({ required: true }),
  agent_id: id({ required: true }),
  resources: msg(() => Resource, { repeated: true }),
  executor: msg(() => ExecutorInfo),
  command: msg(() => CommandInfo),
  container: msg(() => ContainerInfo),
  health_check: any,
  check: any,
  kill_policy: msg(() => KillPolicy),
  data: { kind: 'bytes' },
  labels: msg(() => Labels),
  discovery: any,
  max_completion_time: msg(() => DurationInfo),
  limits: any,
};
const TaskGroupInfo: MessageDesc = { tasks: msg(() => TaskInfo, { repeated: true }) };
const Launch: MessageDesc = { task_infos: msg(() => TaskInfo, { repeated: true }) };
const LaunchGroup: MessageDesc = { executor: msg(() => ExecutorInfo, { required: true }), task_group: msg(() => TaskGroupInfo, { required: true }) };
const Operation: MessageDesc = {
  type: enm(['UNKNOWN', 'LAUNCH', 'LAUNCH_GROUP', 'RESERVE', 'UNRESERVE', 'CREATE', 'DESTROY', 'GROW_VOLUME', 'SHRINK_VOLUME', 'CREATE_DISK', 'DESTROY_DISK']),
  id: id(),
  launch: msg(() => Launch),
  launch_group: msg(() => LaunchGroup),
  reserve: any,
  unreserve: any,
  create: any,
  destroy: any,
  grow_volume: any,
  shrink_volume: any,
  create_disk: any,
  destroy_disk: any,
};

const Capability: MessageDesc = {
  type: enm(['UNKNOWN', 'REVOCABLE_RESOURCES', 'TASK_KILLING_STATE', 'GPU_RESOURCES', 'SHARED_RESOURCES', 'PARTITION_AWARE', 'MULTI_ROLE', 'RESERVATION_REFINEMENT', 'REGION_AWARE']),
};
export const FrameworkInfoDesc: MessageDesc = {
  user: reqStr,
  name: reqStr,
  id: id(),
  failover_timeout: dbl,
  checkpoint: bool,
  role: str,
  roles: { kind: 'string', repeated: true },
  hostname: str,
  principal: str,
  webui_url: str,
  capabilities: msg(() => Capability, { repeated: true }),
  labels: msg(() => Labels),
  offer_filters: any,
};

const Subscribe: MessageDesc = {
  framework_info: msg(() => FrameworkInfoDesc, { required: true }),
  force: bool,
  suppressed_roles: { kind: 'string', repeated: true },
  offer_constraints: any,
};
const Accept: MessageDesc = { offer_ids: id({ repeated: true }), operations: msg(() => Operation, { repeated: true }), filters: msg(() => Filters) };
const Decline: MessageDesc = { offer_ids: id({ repeated: true }), filters: msg(() => Filters) };
const InverseOffers: MessageDesc = { inverse_offer_ids: id({ repeated: true }), filters: msg(() => Filters) };
const Roles: MessageDesc = { roles: { kind: 'string', repeated: true } };
const Kill: MessageDesc = { task_id: id({ required: true }), agent_id: id(), kill_policy: msg(() => KillPolicy) };
const Shutdown: MessageDesc = { executor_id: id({ required: true }), agent_id: id({ required: true }) };
const Acknowledge: MessageDesc = { agent_id: id({ required: true }), task_id: id({ required: true }), uuid: { kind: 'bytes', required: true } };
const AcknowledgeOperationStatus: MessageDesc = {
  agent_id: id(),
  resource_provider_id: id(),
  uuid: { kind: 'bytes', required: true },
  operation_id: id({ required: true }),
};
const ReconcileTask: MessageDesc = { task_id: id({ required: true }), agent_id: id() };
const Reconcile: MessageDesc = { tasks: msg(() => ReconcileTask, { repeated: true }) };
const ReconcileOperation: MessageDesc = { operation_id: id({ required: true }), agent_id: id(), resource_provider_id: id() };
const ReconcileOperations: MessageDesc = { operations: msg(() => ReconcileOperation, { repeated: true }) };
const Message: MessageDesc = { agent_id: id({ required: true }), executor_id: id({ required: true }), data: { kind: 'bytes', required: true } };
const Request: MessageDesc = { requests: anyRep };
const UpdateFramework: MessageDesc = {
  framework_info: msg(() => FrameworkInfoDesc, { required: true }),
  suppressed_roles: { kind: 'string', repeated: true },
  offer_constraints: any,
};

export const CallDesc: MessageDesc = {
  framework_id: id(),
  type: enm(callTypeNames),
  subscribe: msg(() => Subscribe),
  accept: msg(() => Accept),
  decline: msg(() => Decline),
  accept_inverse_offers: msg(() => InverseOffers),
  decline_inverse_offers: msg(() => InverseOffers),
  revive: msg(() => Roles),
  kill: msg(() => Kill),
  shutdown: msg(() => Shutdown),
  acknowledge: msg(() => Acknowledge),
  acknowledge_operation_status: msg(() => AcknowledgeOperationStatus),
  reconcile: msg(() => Reconcile),
  reconcile_operations: msg(() => ReconcileOperations),
  message: msg(() => Message),
  request: msg(() => Request),
  suppress: msg(() => Roles),
  update_framework: msg(() => UpdateFramework),
};
