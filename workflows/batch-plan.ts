// What a batch spec expands to, without materialising its jobs: the nodes
// (the top-level array is one unnamed node), each node's job count and the
// nodes it depends on; a job's id and its spec from (node, index). Pure and
// zod-free: the batch workflow builds each child's spec only when it starts
// it, so a 10,000-job batch never holds 10,000 specs.
import type { JobSpec } from './job-spec.js';
import type { BatchArray, BatchSpec } from './batch-spec.js';
import { BATCH_ENV, arrayCount } from './batch-array.js';

export interface PlanNode {
  /** The graph node's name; undefined for the top-level array. */
  name: string | undefined;
  count: number;
  /** Indices of the nodes this one depends on. */
  deps: number[];
}

export function planOf(spec: BatchSpec): PlanNode[] {
  if (spec.array) return [{ name: undefined, count: arrayCount(spec.array), deps: [] }];
  const graph = spec.graph ?? [];
  const index = new Map(graph.map((n, i) => [n.name, i]));
  return graph.map((n) => ({ name: n.name, count: n.array ? arrayCount(n.array) : 1, deps: n.dependsOn.map((d) => index.get(d) as number) }));
}

export function totalJobs(plan: readonly PlanNode[]): number {
  return plan.reduce((n, p) => n + p.count, 0);
}

/** Whether the node is an array (its jobs' ids carry an index). */
function isArrayNode(spec: BatchSpec, node: number): boolean {
  return spec.array !== undefined || spec.graph?.[node]?.array !== undefined;
}

/**
 * The job's id: `<batch>.<index>` (array), `<batch>.<name>` (single graph
 * node), `<batch>.<name>.<index>` (array graph node). Derived, so a restarted
 * batch names the same child and never starts one twice.
 */
export function jobIdOf(batchId: string, spec: BatchSpec, node: number, index: number): string {
  const name = spec.graph?.[node]?.name;
  if (name === undefined) return `${batchId}.${index}`;
  return isArrayNode(spec, node) ? `${batchId}.${name}.${index}` : `${batchId}.${name}`;
}

/** The id prefix shared by a node's jobs (for listing). */
export function jobIdPrefixOf(batchId: string, spec: BatchSpec, node: number): string {
  const name = spec.graph?.[node]?.name;
  return name === undefined ? `${batchId}.` : `${batchId}.${name}`;
}

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, (m, k: string) => vars[k] ?? m);
}

/** The spec of one job of the batch: its template with the batch variables and parameters in its environment (and command placeholders). */
export function jobSpecOf(batchId: string, spec: BatchSpec, node: number, index: number): JobSpec {
  let template: JobSpec;
  let params: Record<string, string> = {};
  let arr: BatchArray | undefined;
  const gnode = spec.graph?.[node];
  if (spec.array) arr = spec.array;
  else if (gnode?.array) arr = gnode.array;
  if (arr) {
    template = arr.template;
    params = arr.parameters?.[index] ?? {};
  } else if (gnode?.job) {
    template = gnode.job;
  } else {
    throw new RangeError(`batch ${batchId} has no node ${node}`);
  }
  const vars: Record<string, string> = {
    ...params,
    [BATCH_ENV.id]: batchId,
    [BATCH_ENV.index]: String(index),
    ...(gnode ? { [BATCH_ENV.job]: gnode.name } : {}),
  };
  const command = typeof template.command === 'string' ? substitute(template.command, vars) : template.command.map((c) => substitute(c, vars));
  return {
    ...template,
    command,
    env: { ...template.env, ...vars },
    labels: { ...spec.labels, ...template.labels },
    ...(template.name === undefined ? { name: gnode ? (arr ? `${gnode.name}[${index}]` : gnode.name) : `${spec.name ?? batchId}[${index}]` } : {}),
  };
}
