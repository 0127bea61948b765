// The v0 read-only endpoints (mesos-transcripts/12, 13): /master/state,
// /master/frameworks, /master/tasks, /master/slaves, /master/state-summary,
// /version. v0 names: `slave_id`, resource maps, capabilities as strings,
// times as double seconds, statuses reduced to state/timestamp/container_status.
import type { Resource, TaskStatus } from '../../mesos/schemas/index.js';
import type { Master } from './master.js';
import type { AgentEntry, FrameworkEntry, OfferEntry, TaskEntry } from './model.js';
import { agentIp, plus } from './allocator.js';
import { resourceMap } from './resource-format.js';
import { flatRangesOf } from '../../mesos/resources.js';
import { formatRanges } from '../../mesos/ranges.js';
import type { Resource as ArithmeticResource } from '../../mesos/resource-types.js';
import { agentCapabilityTypes } from '../../mesos/schemas/index.js';

// What a Mesos 1.12 agent advertises: every capability the v1 proto names.
export const AGENT_CAPABILITIES = agentCapabilityTypes.filter((t) => t !== 'UNKNOWN');

const TASK_STATE_COUNTERS = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_UNREACHABLE',
];

const BUILD_TIME_MS = Date.UTC(2026, 0, 1);

export function versionInfo(master: Master): Record<string, unknown> {
  return { build_date: new Date(BUILD_TIME_MS).toISOString().slice(0, 19).replace('T', ' '), build_time: BUILD_TIME_MS / 1000, build_user: '', version: master.settings.version };
}

const secs = (ms: number | undefined): number => (ms === undefined ? 0 : ms / 1000);

function durationFlag(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${ms / 1000}secs`;
}

function v0Status(s: TaskStatus): Record<string, unknown> {
  const out: Record<string, unknown> = { state: s.state, timestamp: s.timestamp };
  if (s.container_status !== undefined) {
    const { executor_pid: _pid, ...cs } = s.container_status as Record<string, unknown>;
    out.container_status = cs;
  }
  return out;
}

export function v0Task(task: TaskEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: task.taskId,
    name: task.info.name,
    framework_id: task.frameworkId,
    executor_id: task.info.executor?.executor_id.value ?? '',
    slave_id: task.agentId,
    state: task.state,
    resources: resourceMap(task.resources),
    role: task.role,
    statuses: task.statuses.map(v0Status),
  };
  if (task.info.labels?.labels !== undefined) out.labels = task.info.labels.labels;
  if (task.info.discovery !== undefined) out.discovery = task.info.discovery;
  if (task.info.container !== undefined) out.container = task.info.container;
  return out;
}

function usedResources(fw: FrameworkEntry): Resource[] {
  let used: Resource[] = [];
  for (const t of fw.tasks.values()) if (!t.released) used = plus(used, t.resources);
  return used;
}

function offeredResources(master: Master, fw: FrameworkEntry): Resource[] {
  let offered: Resource[] = [];
  for (const id of fw.offers) {
    const o = master.offers.get(id);
    if (o !== undefined) offered = plus(offered, o.resources);
  }
  return offered;
}

function v0Offer(o: OfferEntry): Record<string, unknown> {
  return { id: o.id, framework_id: o.frameworkId, allocation_info: { role: o.role }, slave_id: o.agentId, resources: resourceMap(o.resources) };
}

function v0FrameworkSummary(master: Master, fw: FrameworkEntry): Record<string, unknown> {
  const used = usedResources(fw);
  const offered = offeredResources(master, fw);
  return {
    id: fw.id,
    name: fw.info.name,
    used_resources: resourceMap(used),
    offered_resources: resourceMap(offered),
    capabilities: [...fw.capabilities],
    hostname: fw.info.hostname ?? '',
    webui_url: fw.info.webui_url ?? '',
    active: fw.active,
    connected: fw.connected,
    recovered: fw.recovered,
  };
}

export function v0Framework(master: Master, fw: FrameworkEntry): Record<string, unknown> {
  const used = usedResources(fw);
  const offered = offeredResources(master, fw);
  const out: Record<string, unknown> = {
    ...v0FrameworkSummary(master, fw),
    user: fw.info.user,
    failover_timeout: fw.info.failover_timeout ?? 0,
    checkpoint: fw.info.checkpoint ?? false,
    registered_time: secs(fw.registeredTimeMs),
    unregistered_time: secs(fw.unregisteredTimeMs),
  };
  if (fw.info.principal !== undefined) out.principal = fw.info.principal;
  out.resources = resourceMap(plus(used, offered));
  if (fw.capabilities.has('MULTI_ROLE')) out.roles = fw.roles;
  else out.role = fw.roles[0] ?? '*';
  out.tasks = [...fw.tasks.values()].map(v0Task);
  out.unreachable_tasks = [...fw.unreachableTasks.values()].map(v0Task);
  out.completed_tasks = fw.completedTasks.map(v0Task);
  out.offers = [...fw.offers].map((id) => master.offers.get(id)).filter((o): o is OfferEntry => o !== undefined).map(v0Offer);
  out.executors = [];
  out.offer_constraints = {};
  return out;
}

function attributeMap(agent: AgentEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of agent.info.attributes) {
    if (a.type === 'TEXT') out[a.name] = a.text?.value ?? '';
    else if (a.type === 'SCALAR') out[a.name] = a.scalar?.value ?? 0;
    else if (a.type === 'RANGES') out[a.name] = formatRanges(flatRangesOf(a as unknown as ArithmeticResource));
    else out[a.name] = `{${(a.set?.item ?? []).join(',')}}`;
  }
  return out;
}

export function agentUsage(master: Master, agent: AgentEntry): { used: Resource[]; offered: Resource[] } {
  let used: Resource[] = [];
  let offered: Resource[] = [];
  for (const fw of master.frameworks.values()) {
    for (const t of fw.tasks.values()) if (t.agentId === agent.id && !t.released) used = plus(used, t.resources);
  }
  for (const o of master.offers.values()) if (o.agentId === agent.id) offered = plus(offered, o.resources);
  return { used, offered };
}

export function v0Agent(master: Master, agent: AgentEntry): Record<string, unknown> {
  const { used, offered } = agentUsage(master, agent);
  const out: Record<string, unknown> = {
    id: agent.id,
    hostname: agent.info.hostname,
    port: agent.info.port,
    attributes: attributeMap(agent),
    pid: `slave(1)@${agentIp(agent.info.host)}:${agent.info.port}`,
    registered_time: secs(agent.registeredTimeMs),
  };
  if (agent.reregisteredTimeMs !== undefined) out.reregistered_time = secs(agent.reregisteredTimeMs);
  Object.assign(out, {
    resources: resourceMap(agent.total),
    used_resources: resourceMap(used),
    offered_resources: resourceMap(offered),
    reserved_resources: {},
    unreserved_resources: resourceMap(agent.total),
    active: true,
    deactivated: false,
    version: master.settings.version,
    capabilities: AGENT_CAPABILITIES,
  });
  return out;
}

export function masterState(master: Master): Record<string, unknown> {
  const s = master.settings;
  const pid = `master@${s.ip}:${s.port}`;
  return {
    ...versionInfo(master),
    start_time: master.startTimeMs / 1000,
    elected_time: master.electedTimeMs / 1000,
    id: master.masterId,
    pid,
    hostname: s.hostname,
    capabilities: ['AGENT_UPDATE', 'AGENT_DRAINING', 'QUOTA_V2'],
    activated_slaves: master.agents.size,
    deactivated_slaves: 0,
    unreachable_slaves: [...master.removedAgents.values()].filter((a) => a.mode === 'unreachable').length,
    leader: pid,
    leader_info: { id: master.masterId, pid, port: s.port, hostname: s.hostname },
    flags: {
      allocation_interval: durationFlag(s.allocationIntervalMs),
      authenticate_http_frameworks: 'false',
      hostname: s.hostname,
      ip: s.ip,
      min_allocatable_resources: 'cpus:0.01|mem:32',
      offer_timeout: s.offerTimeoutMs === undefined ? undefined : durationFlag(s.offerTimeoutMs),
      port: String(s.port),
      root_submissions: 'true',
    },
    slaves: [...master.agents.values()].map((a) => v0Agent(master, a)),
    recovered_slaves: [],
    frameworks: [...master.frameworks.values()].map((f) => v0Framework(master, f)),
    completed_frameworks: master.completedFrameworks.map((f) => v0Framework(master, f)),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

export function masterFrameworks(master: Master, frameworkId: string | null): Record<string, unknown> {
  const pick = (f: FrameworkEntry) => frameworkId === null || f.id === frameworkId;
  return {
    frameworks: [...master.frameworks.values()].filter(pick).map((f) => v0Framework(master, f)),
    completed_frameworks: master.completedFrameworks.filter(pick).map((f) => v0Framework(master, f)),
    unregistered_frameworks: [],
  };
}

export function masterTasks(master: Master, frameworkId: string | null): Record<string, unknown> {
  const tasks: Record<string, unknown>[] = [];
  for (const fw of [...master.frameworks.values(), ...master.completedFrameworks]) {
    if (frameworkId !== null && fw.id !== frameworkId) continue;
    for (const t of [...fw.tasks.values(), ...fw.unreachableTasks.values(), ...fw.completedTasks]) tasks.push(v0Task(t));
  }
  return { tasks };
}

export function masterSlaves(master: Master): Record<string, unknown> {
  return { slaves: [...master.agents.values()].map((a) => v0Agent(master, a)), recovered_slaves: [] };
}

function stateCounts(tasks: Iterable<TaskEntry>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of TASK_STATE_COUNTERS) out[s] = 0;
  for (const t of tasks) if (t.state in out) out[t.state] = (out[t.state] ?? 0) + 1;
  return out;
}

export function masterStateSummary(master: Master): Record<string, unknown> {
  const allTasks = (fw: FrameworkEntry) => [...fw.tasks.values(), ...fw.completedTasks];
  return {
    hostname: master.settings.hostname,
    slaves: [...master.agents.values()].map((a) => {
      const tasks = [...master.frameworks.values()].flatMap(allTasks).filter((t) => t.agentId === a.id);
      const { executor_pid: _x, ...base } = v0Agent(master, a);
      return { ...base, ...stateCounts(tasks), framework_ids: [...new Set(tasks.map((t) => t.frameworkId))] };
    }),
    frameworks: [...master.frameworks.values()].map((f) => {
      const tasks = allTasks(f);
      return { ...v0FrameworkSummary(master, f), ...stateCounts(tasks), slave_ids: [...new Set(tasks.map((t) => t.agentId))] };
    }),
  };
}
