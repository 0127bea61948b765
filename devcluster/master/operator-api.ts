// The master's operator API subset (spec §16, mesos-transcripts/12, 10):
// POST /api/v1 with GET_STATE, GET_TASKS, GET_FRAMEWORKS, GET_AGENTS,
// GET_HEALTH, GET_VERSION, GET_MASTER and TEARDOWN. v1 names and messages:
// agent_id, full TaskStatus objects, Resource objects, {"nanoseconds"} times.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Resource } from '../../mesos/schemas/index.js';
import { PROTOBUF_PARSE_ERROR_TEXT, readCallBody } from './call-request.js';
import { NOT_ACCEPTABLE_TEXT, PROTOBUF_MEDIA_TYPE, responseMediaType, sendBytes, sendEmpty, sendJsonText, sendText } from './http-util.js';
import { encodeFromJson } from './protobuf-codec.js';
import { toMesosJson } from './json-out.js';
import type { Master } from './master.js';
import type { AgentEntry, FrameworkEntry, TaskEntry } from './model.js';
import { offerForm } from './resource-format.js';
import { AGENT_CAPABILITIES, agentUsage, versionInfo } from './state-endpoints.js';
import { agentIp, plus } from './allocator.js';
import { ProtoJsonError, protoFromJson, type MessageDesc } from './proto-json.js';

const OPERATOR_CALLS = [
  'UNKNOWN', 'GET_HEALTH', 'GET_FLAGS', 'GET_VERSION', 'GET_METRICS', 'GET_LOGGING_LEVEL', 'SET_LOGGING_LEVEL', 'LIST_FILES', 'READ_FILE',
  'GET_STATE', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_EXECUTORS', 'GET_OPERATIONS', 'GET_TASKS', 'GET_ROLES', 'GET_WEIGHTS', 'UPDATE_WEIGHTS',
  'GET_MASTER', 'SUBSCRIBE', 'RESERVE_RESOURCES', 'UNRESERVE_RESOURCES', 'CREATE_VOLUMES', 'DESTROY_VOLUMES', 'GROW_VOLUME', 'SHRINK_VOLUME',
  'GET_MAINTENANCE_STATUS', 'GET_MAINTENANCE_SCHEDULE', 'UPDATE_MAINTENANCE_SCHEDULE', 'START_MAINTENANCE', 'STOP_MAINTENANCE',
  'DRAIN_AGENT', 'DEACTIVATE_AGENT', 'REACTIVATE_AGENT', 'GET_QUOTA', 'UPDATE_QUOTA', 'SET_QUOTA', 'REMOVE_QUOTA', 'TEARDOWN',
  'MARK_AGENT_GONE',
] as const;

const FrameworkIdDesc: MessageDesc = { value: { kind: 'string', required: true } };
const OperatorCallDesc: MessageDesc = {
  type: { kind: { enum: OPERATOR_CALLS } },
  teardown: { kind: { msg: () => ({ framework_id: { kind: { msg: () => FrameworkIdDesc }, required: true } }) } },
};

const nanos = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n;
const time = (ms: number | undefined) => (ms === undefined ? undefined : { nanoseconds: nanos(ms) });

function v1Task(task: TaskEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: task.info.name,
    task_id: { value: task.taskId },
    framework_id: { value: task.frameworkId },
  };
  if (task.info.executor !== undefined) out.executor_id = task.info.executor.executor_id;
  Object.assign(out, {
    agent_id: { value: task.agentId },
    state: task.state,
    resources: offerForm(task.resources, task.role, { multiRole: true, refinement: true, keepOrder: true }),
    statuses: task.statuses.map((s) => {
      const { data: _data, ...rest } = s;
      return rest;
    }),
    status_update_state: task.statusUpdateState,
    status_update_uuid: task.statusUpdateUuid,
    labels: task.info.labels,
    discovery: task.info.discovery,
    container: task.info.container,
    health_check: task.info.health_check,
    kill_policy: task.info.kill_policy,
    limits: task.info.limits,
  });
  return out;
}

function frameworkInfo(fw: FrameworkEntry): Record<string, unknown> {
  // Mesos prints defaulted fields (failover_timeout, checkpoint) even when unset, in proto order.
  const { user, name, id, failover_timeout, checkpoint, ...rest } = fw.info;
  return { user, name, id, failover_timeout: failover_timeout ?? 0, checkpoint: checkpoint ?? false, ...rest };
}

function allocatedForm(resources: Resource[], role: string): Resource[] {
  return offerForm(resources, role, { multiRole: true, refinement: false });
}

function v1Framework(master: Master, fw: FrameworkEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    framework_info: frameworkInfo(fw),
    active: fw.active,
    connected: fw.connected,
    recovered: fw.recovered,
    registered_time: time(fw.registeredTimeMs),
    reregistered_time: time(fw.reregisteredTimeMs),
    unregistered_time: time(fw.unregisteredTimeMs),
  };
  let allocated: Resource[] = [];
  let role = fw.roles[0] ?? '*';
  for (const t of fw.tasks.values()) {
    if (!t.released) allocated = plus(allocated, t.resources);
    role = t.role;
  }
  let offered: Resource[] = [];
  for (const id of fw.offers) {
    const o = master.offers.get(id);
    if (o !== undefined) offered = plus(offered, o.resources);
  }
  if (allocated.length > 0) out.allocated_resources = allocatedForm(allocated, role);
  if (offered.length > 0) out.offered_resources = allocatedForm(offered, role);
  out.offer_constraints = {};
  return out;
}

function v1Agent(master: Master, agent: AgentEntry): Record<string, unknown> {
  const { used, offered } = agentUsage(master, agent);
  const agentInfo: Record<string, unknown> = {
    hostname: agent.info.hostname,
    port: agent.info.port,
    resources: agent.total.map((r) => ({ name: r.name, type: r.type, scalar: r.scalar, ranges: r.ranges, set: r.set })),
  };
  if (agent.info.attributes.length > 0) agentInfo.attributes = agent.info.attributes;
  Object.assign(agentInfo, { id: { value: agent.id }, checkpoint: true });
  const out: Record<string, unknown> = {
    agent_info: agentInfo,
    active: true,
    deactivated: false,
    version: master.settings.version,
    pid: `slave(1)@${agentIp(agent.info.host)}:${agent.info.port}`,
    registered_time: time(agent.registeredTimeMs),
    reregistered_time: time(agent.reregisteredTimeMs),
    total_resources: offerForm(agent.total, '*', { multiRole: false, refinement: false, keepOrder: true }),
  };
  if (used.length > 0) out.allocated_resources = allocatedForm(used, '*');
  if (offered.length > 0) out.offered_resources = allocatedForm(offered, '*');
  out.capabilities = AGENT_CAPABILITIES.map((type) => ({ type }));
  return out;
}

function getTasks(master: Master): Record<string, unknown> {
  const all = [...master.frameworks.values(), ...master.completedFrameworks];
  return {
    tasks: [...master.frameworks.values()].flatMap((f) => [...f.tasks.values()]).map(v1Task),
    unreachable_tasks: all.flatMap((f) => [...f.unreachableTasks.values()]).map(v1Task),
    completed_tasks: all.flatMap((f) => f.completedTasks).map(v1Task),
  };
}

function getFrameworks(master: Master): Record<string, unknown> {
  return {
    frameworks: [...master.frameworks.values()].map((f) => v1Framework(master, f)),
    completed_frameworks: master.completedFrameworks.map((f) => v1Framework(master, f)),
  };
}

function getAgents(master: Master): Record<string, unknown> {
  return { agents: [...master.agents.values()].map((a) => v1Agent(master, a)), recovered_agents: [] };
}

export async function handleOperatorRequest(req: IncomingMessage, res: ServerResponse, master: Master): Promise<void> {
  const body = await readCallBody(req, res, master.logger, 'mesos.v1.master.Call');
  if (body === undefined) return;
  let call: Record<string, unknown>;
  try {
    call = protoFromJson(OperatorCallDesc, body.value);
  } catch (err) {
    if (err instanceof ProtoJsonError) {
      sendText(res, 400, body.mediaType === PROTOBUF_MEDIA_TYPE ? PROTOBUF_PARSE_ERROR_TEXT : `Failed to convert JSON into Call protobuf: ${err.detail}`);
      return;
    }
    throw err;
  }
  const type = call.type as string | undefined;
  if (type === undefined) {
    sendText(res, 400, "Failed to validate master::Call: Expecting 'type' to be present");
    return;
  }
  if (type === 'TEARDOWN' && call.teardown === undefined) {
    sendText(res, 400, "Failed to validate master::Call: Expecting 'teardown' to be present");
    return;
  }
  const mediaType = responseMediaType(req);
  if (mediaType === undefined) {
    sendText(res, 406, NOT_ACCEPTABLE_TEXT);
    return;
  }
  const reply = (key: string, payload: Record<string, unknown>) => {
    const response = { type, [key]: payload };
    if (mediaType === PROTOBUF_MEDIA_TYPE) sendBytes(res, 200, mediaType, encodeFromJson('mesos.v1.master.Response', response));
    else sendJsonText(res, 200, toMesosJson(response));
  };
  switch (type) {
    case 'GET_HEALTH':
      return reply('get_health', { healthy: true });
    case 'GET_VERSION':
      {
      const { version, ...build } = versionInfo(master);
      return reply('get_version', { version_info: { version, ...build } });
    }
    case 'GET_MASTER':
      return reply('get_master', { master_info: master.masterInfo(), start_time: master.startTimeMs / 1000, elected_time: master.electedTimeMs / 1000 });
    case 'GET_TASKS':
      return reply('get_tasks', getTasks(master));
    case 'GET_FRAMEWORKS':
      return reply('get_frameworks', getFrameworks(master));
    case 'GET_AGENTS':
      return reply('get_agents', getAgents(master));
    case 'GET_EXECUTORS':
      return reply('get_executors', { executors: [] });
    case 'GET_STATE':
      return reply('get_state', { get_tasks: getTasks(master), get_executors: { executors: [] }, get_frameworks: getFrameworks(master), get_agents: getAgents(master) });
    case 'TEARDOWN': {
      const id = ((call.teardown as Record<string, unknown>).framework_id as { value: string }).value;
      const fw = master.findFramework(id);
      if (fw !== undefined) master.removeFramework(fw);
      sendEmpty(res, 200);
      return;
    }
    default:
      sendText(res, 501, `${type} is not implemented by the devcluster`);
  }
}
