// Builds the Mesos TaskInfo for one attempt of a job from its spec and the
// part of an offer leased to it. Pure: unit-tested without a cluster.
import type { JobSpec } from '../../workflows/job-spec.js';
import type { OfferLease } from '../contract.js';
import type { CommandInfo, ContainerInfo, Resource, TaskInfo } from '../../mesos/schemas/index.js';

export interface TaskInfoContext {
  jobId: string;
  attempt: number;
  taskId: string;
}

/** The concrete ports a lease holds, lowest first. */
export function leasedPorts(resources: readonly unknown[]): number[] {
  const out: number[] = [];
  for (const r of resources as Resource[]) {
    if (r.name !== 'ports') continue;
    for (const range of r.ranges?.range ?? []) {
      for (let p = Number(range.begin); p <= Number(range.end); p++) out.push(p);
    }
  }
  return out.sort((a, b) => a - b);
}

function commandInfo(spec: JobSpec, ctx: TaskInfoContext, ports: number[]): CommandInfo {
  const env: Record<string, string> = {
    MESOFLOW_JOB_ID: ctx.jobId,
    MESOFLOW_TASK_ID: ctx.taskId,
    MESOFLOW_ATTEMPT: String(ctx.attempt),
  };
  ports.forEach((p, i) => (env[`PORT${i}`] = String(p)));
  if (ports[0] !== undefined) env.PORT = String(ports[0]);
  // The job's own variables win over ours.
  Object.assign(env, spec.env);
  const cmd: CommandInfo =
    typeof spec.command === 'string'
      ? { shell: true, value: spec.command }
      : { shell: false, value: spec.command[0] ?? '', arguments: [...spec.command] };
  cmd.environment = { variables: Object.entries(env).map(([name, value]) => ({ name, type: 'VALUE', value })) };
  if (spec.user !== undefined) cmd.user = spec.user;
  if (spec.uris.length > 0) {
    cmd.uris = spec.uris.map((u) => ({
      value: u.value,
      executable: u.executable,
      extract: u.extract,
      cache: u.cache,
      ...(u.outputFile !== undefined ? { output_file: u.outputFile } : {}),
    }));
  }
  return cmd;
}

function containerInfo(spec: JobSpec): ContainerInfo | undefined {
  const c = spec.container;
  if (!c) return undefined;
  if (c.type === 'MESOS') return { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: c.image } } } };
  return { type: 'DOCKER', docker: { image: c.image, network: c.network, force_pull_image: c.forcePull } };
}

export function buildTaskInfo(spec: JobSpec, lease: OfferLease, ctx: TaskInfoContext): TaskInfo {
  const ports = leasedPorts(lease.resources);
  const labels = [
    ...Object.entries(spec.labels).map(([key, value]) => ({ key, value })),
    { key: 'mesoflow.job', value: ctx.jobId },
    { key: 'mesoflow.attempt', value: String(ctx.attempt) },
  ];
  const info: TaskInfo = {
    name: spec.name ?? ctx.jobId,
    task_id: { value: ctx.taskId },
    agent_id: { value: lease.agentId },
    resources: lease.resources as Resource[],
    command: commandInfo(spec, ctx, ports),
    // The command executor honours the TaskInfo's kill policy, not the KILL call's.
    kill_policy: { grace_period: { nanoseconds: Math.round(spec.killGracePeriodSeconds * 1e9) } },
    labels: { labels },
  };
  const container = containerInfo(spec);
  if (container) info.container = container;
  return info;
}
