// The agent's v0 GET /state document: the subset of Mesos's fields a client
// needs to find sandboxes and see tasks, with Mesos's names and shapes
// (mesos-transcripts/02, 12, 13): resources as name→value maps, tasks with
// `executor_id: ""` and `slave_id`, statuses reduced to state, timestamp and
// container_status, executors with `directory`.
import type { Attribute, FrameworkInfo, Resource, TaskInfo, TaskStatus } from '../../mesos/schemas/index.js';

export interface StateTaskInput {
  task: TaskInfo;
  containerId: string;
  directory: string;
  executorName: string;
  statuses: readonly TaskStatus[];
  /** The process may still run (or has not started). */
  running: boolean;
  /** The executor is over: process gone and every update acknowledged, or its framework removed. */
  completed: boolean;
  /** The terminal update was acknowledged. */
  terminalAcked: boolean;
}

export interface StateInput {
  id: string;
  hostname: string;
  endpoint: string;
  port: number;
  startTime: number;
  masterHostname: string;
  workDir: string;
  resourcesFlag: string | undefined;
  switchUser: boolean;
  resources: readonly Resource[];
  attributes: readonly Attribute[];
  frameworks: Array<{ info: FrameworkInfo & { id: { value: string } }; removed: boolean; tasks: StateTaskInput[] }>;
}

/** The command executor's own share, which Mesos adds to the executor (slave.cpp). */
const EXECUTOR_CPUS = 0.1;
const EXECUTOR_MEM = 32;

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function rangesText(rs: Resource['ranges']): string {
  return `[${(rs?.range ?? []).map((r) => `${String(r.begin)}-${String(r.end)}`).join(', ')}]`;
}

/** Mesos's v0 resource map: scalars summed, ranges and sets as text; disk, mem, gpus and cpus always present. */
export function resourceMap(resources: readonly Resource[], withZeros = true): Record<string, number | string> {
  const out: Record<string, number | string> = withZeros ? { disk: 0, mem: 0, gpus: 0, cpus: 0 } : {};
  for (const r of resources) {
    if (r.type === 'SCALAR') out[r.name] = round3(((out[r.name] as number | undefined) ?? 0) + (r.scalar?.value ?? 0));
    else if (r.type === 'RANGES') out[r.name] = rangesText(r.ranges);
    else if (r.type === 'SET') out[r.name] = `{${(r.set?.item ?? []).join(', ')}}`;
  }
  return out;
}

function reservedRole(r: Resource): string | undefined {
  const stack = r.reservations;
  if (stack && stack.length > 0) return stack[stack.length - 1]?.role ?? undefined;
  return r.role !== undefined && r.role !== '*' ? r.role : undefined;
}

function attributeMap(attributes: readonly Attribute[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const a of attributes) {
    if (a.type === 'SCALAR') out[a.name] = a.scalar?.value ?? 0;
    else if (a.type === 'TEXT') out[a.name] = a.text?.value ?? '';
    else if (a.type === 'RANGES') out[a.name] = rangesText(a.ranges);
    else if (a.type === 'SET') out[a.name] = `{${(a.set?.item ?? []).join(', ')}}`;
  }
  return out;
}

function roleOf(task: TaskInfo): string {
  const r = task.resources?.[0];
  return r?.allocation_info?.role ?? r?.role ?? '*';
}

function reducedStatus(s: TaskStatus): Record<string, unknown> {
  const out: Record<string, unknown> = { state: s.state, timestamp: s.timestamp };
  if (s.container_status) {
    const { container_id, network_infos } = s.container_status;
    out.container_status = { container_id, ...(network_infos ? { network_infos } : {}) };
  }
  return out;
}

function taskJson(agentId: string, frameworkId: string, t: StateTaskInput): Record<string, unknown> {
  const last = t.statuses[t.statuses.length - 1];
  return {
    id: t.task.task_id.value,
    name: t.task.name,
    framework_id: frameworkId,
    executor_id: '',
    slave_id: agentId,
    state: last?.state ?? 'TASK_STAGING',
    resources: resourceMap(t.task.resources ?? []),
    role: roleOf(t.task),
    statuses: t.statuses.map(reducedStatus),
    ...(t.task.labels?.labels?.length ? { labels: t.task.labels.labels } : {}),
  };
}

function executorJson(agentId: string, frameworkId: string, t: StateTaskInput): Record<string, unknown> {
  const taskResources = t.task.resources ?? [];
  const overhead = { cpus: EXECUTOR_CPUS, mem: EXECUTOR_MEM };
  const res = resourceMap(t.running ? taskResources : []);
  res.cpus = round3((res.cpus as number) + overhead.cpus);
  res.mem = round3((res.mem as number) + overhead.mem);
  const task = taskJson(agentId, frameworkId, t);
  const inTasks = !t.completed && !t.terminalAcked;
  return {
    id: t.task.task_id.value,
    name: t.executorName,
    source: t.task.task_id.value,
    container: t.containerId,
    directory: t.directory,
    resources: res,
    role: roleOf(t.task),
    ...(t.task.labels?.labels?.length ? { labels: t.task.labels.labels } : {}),
    tasks: inTasks ? [task] : [],
    queued_tasks: [],
    completed_tasks: inTasks ? [] : [task],
  };
}

function frameworkJson(agentId: string, fw: StateInput['frameworks'][number], completed: boolean): Record<string, unknown> {
  const info = fw.info;
  const fid = info.id.value;
  const live = completed ? [] : fw.tasks.filter((t) => !t.completed);
  const done = completed ? fw.tasks : fw.tasks.filter((t) => t.completed);
  return {
    id: fid,
    name: info.name,
    user: info.user,
    failover_timeout: info.failover_timeout ?? 0,
    checkpoint: info.checkpoint ?? false,
    hostname: info.hostname ?? '',
    ...(info.roles ? { roles: info.roles } : { role: info.role ?? '*' }),
    ...(info.principal ? { principal: info.principal } : {}),
    executors: live.map((t) => executorJson(agentId, fid, t)),
    completed_executors: done.map((t) => executorJson(agentId, fid, t)),
  };
}

export function buildAgentState(input: StateInput): Record<string, unknown> {
  const unreserved = input.resources.filter((r) => reservedRole(r) === undefined);
  const reservedByRole: Record<string, Resource[]> = {};
  for (const r of input.resources) {
    const role = reservedRole(r);
    if (role !== undefined) (reservedByRole[role] ??= []).push(r);
  }
  const allocated: Resource[] = [];
  for (const fw of input.frameworks) {
    if (fw.removed) continue;
    for (const t of fw.tasks) if (t.running) allocated.push(...(t.task.resources ?? []));
  }
  const reserved: Record<string, Record<string, number | string>> = {};
  for (const [role, rs] of Object.entries(reservedByRole)) reserved[role] = resourceMap(rs);
  return {
    version: '1.12.0',
    build_user: 'mesoflow-devcluster',
    start_time: input.startTime,
    id: input.id,
    pid: `slave(1)@${input.endpoint}`,
    hostname: input.hostname,
    capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT', 'AGENT_DRAINING', 'TASK_RESOURCE_LIMITS'],
    resources: resourceMap(input.resources),
    reserved_resources: reserved,
    unreserved_resources: resourceMap(unreserved),
    reserved_resources_full: Object.fromEntries(Object.entries(reservedByRole)),
    unreserved_resources_full: unreserved,
    reserved_resources_allocated: {},
    unreserved_resources_allocated: resourceMap(allocated),
    resource_providers: [],
    attributes: attributeMap(input.attributes),
    master_hostname: input.masterHostname,
    flags: {
      hostname: input.hostname,
      port: String(input.port),
      work_dir: input.workDir,
      ...(input.resourcesFlag !== undefined ? { resources: input.resourcesFlag } : {}),
      switch_user: String(input.switchUser),
      http_command_executor: 'false',
      containerizers: 'mesos',
      isolation: 'posix/cpu,posix/mem',
      launcher: 'posix',
    },
    frameworks: input.frameworks.filter((f) => !f.removed).map((f) => frameworkJson(input.id, f, false)),
    completed_frameworks: input.frameworks.filter((f) => f.removed).map((f) => frameworkJson(input.id, f, true)),
  };
}
