// The batch spec: many jobs submitted as one, either an array (one template,
// N copies or one per parameter set) or a graph of named jobs with
// dependencies, each node a single job or an array. Zod, like job-spec.ts:
// the API and the schedules validate with it; the batch workflow imports
// only its types (zod stays out of the workflow bundle). Graph checks
// (duplicate names, unknown dependencies, cycles) and placeholder checks are
// here, so every mistake is a 400 naming its path.
import { z } from 'zod';
import { jobSpecSchema } from './job-spec.js';
import { BATCH_ENV, arrayCount } from './batch-array.js';

/** Most jobs one batch may hold (all nodes together). */
export const MAX_BATCH_JOBS = 50_000;
/** Most nodes a graph may have. */
export const MAX_GRAPH_NODES = 1000;

// BATCH_ENV and arrayCount live in batch-array.ts, which the workflow imports without zod.
export { BATCH_ENV, arrayCount };
const reservedEnv = new Set<string>(Object.values(BATCH_ENV));

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name');

/** Graph node names become part of job ids: no dots, so ids stay unambiguous. */
export const nodeNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'letters, digits, "_" and "-" only (at most 63), starting with a letter or digit');

export const batchArraySchema = z
  .strictObject({
    /** The job every element runs; `{{NAME}}` in its command is replaced by the element's parameter or batch variable NAME. */
    template: jobSpecSchema,
    /** N jobs, indices 0…N-1. */
    count: z.int().min(1).max(MAX_BATCH_JOBS).optional(),
    /** One job per parameter set; each parameter becomes an environment variable of its job. */
    parameters: z
      .array(z.record(envName, z.string()))
      .min(1)
      .max(MAX_BATCH_JOBS)
      .optional(),
  })
  .superRefine((a, ctx) => {
    if ((a.count === undefined) === (a.parameters === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'give exactly one of count and parameters' });
    }
    a.parameters?.forEach((set, i) => {
      for (const k of Object.keys(set)) {
        if (reservedEnv.has(k)) ctx.addIssue({ code: 'custom', path: ['parameters', i, k], message: `${k} is set by mesoflow` });
      }
    });
  })
  // The refinements JSON Schema can say too, so the OpenAPI document tells clients (and the fuzzer) the same rule.
  .meta({ oneOf: [{ required: ['count'] }, { required: ['parameters'] }] });

export const graphNodeSchema = z
  .strictObject({
    name: nodeNameSchema,
    /** Names of the nodes that must all have SUCCEEDED before this one starts. */
    dependsOn: z.array(nodeNameSchema).default([]),
    /** A single job… */
    job: jobSpecSchema.optional(),
    /** …or an array of jobs. */
    array: batchArraySchema.optional(),
  })
  .superRefine((n, ctx) => {
    if ((n.job === undefined) === (n.array === undefined)) ctx.addIssue({ code: 'custom', path: ['job'], message: 'give exactly one of job and array' });
  })
  .meta({ oneOf: [{ required: ['job'] }, { required: ['array'] }] });

export const failurePolicySchema = z
  .strictObject({
    /** continue: run everything that can run; stop: launch nothing new after `maxFailures` failed jobs. */
    mode: z.enum(['continue', 'stop']).default('continue'),
    maxFailures: z.int().min(1).optional(),
    /** With mode stop: also cancel the jobs still running when the limit is reached (killed with their grace period). */
    cancelRunning: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    if (p.mode === 'continue' && p.maxFailures !== undefined) ctx.addIssue({ code: 'custom', path: ['maxFailures'], message: 'only with mode "stop"' });
  })
  .meta({ if: { required: ['maxFailures'] }, then: { required: ['mode'], properties: { mode: { const: 'stop' } } } });

export const batchSpecSchema = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    labels: z.record(z.string().min(1), z.string()).default({}),
    /** Most jobs holding a slot at once: from the start of a job until its end. */
    maxParallel: z.int().min(1).max(5000).default(10),
    failurePolicy: failurePolicySchema.default({ mode: 'continue', cancelRunning: false }),
    array: batchArraySchema.optional(),
    graph: z.array(graphNodeSchema).min(1).max(MAX_GRAPH_NODES).optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.array === undefined) === (b.graph === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['array'], message: 'give exactly one of array and graph' });
      return;
    }
    if (b.array) checkPlaceholders(b.array, ['array'], false, ctx);
    if (b.graph) checkGraph(b.graph, ctx);
    const total = b.array ? arrayCount(b.array) : (b.graph ?? []).reduce((n, g) => n + (g.array ? arrayCount(g.array) : 1), 0);
    if (total > MAX_BATCH_JOBS) ctx.addIssue({ code: 'custom', path: [b.array ? 'array' : 'graph'], message: `${total} jobs; at most ${MAX_BATCH_JOBS}` });
   })
  .meta({ oneOf: [{ required: ['array'] }, { required: ['graph'] }] });

/** A validated batch spec with every default filled in. */
export type BatchSpec = z.infer<typeof batchSpecSchema>;
export type BatchSpecInput = z.input<typeof batchSpecSchema>;
export type BatchArray = z.infer<typeof batchArraySchema>;
export type GraphNode = z.infer<typeof graphNodeSchema>;

const PLACEHOLDER = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/** The `{{NAME}}` placeholders a command uses. */
export function placeholdersOf(command: string | string[]): string[] {
  const parts = typeof command === 'string' ? [command] : command;
  return parts.flatMap((p) => [...p.matchAll(PLACEHOLDER)].map((m) => m[1] as string));
}

function checkPlaceholders(a: BatchArray, path: (string | number)[], inGraph: boolean, ctx: z.RefinementCtx): void {
  const known = (set: Record<string, string> | undefined, name: string) =>
    name === BATCH_ENV.id || name === BATCH_ENV.index || (inGraph && name === BATCH_ENV.job) || (set !== undefined && name in set);
  for (const name of new Set(placeholdersOf(a.template.command))) {
    const missing = a.parameters ? a.parameters.findIndex((s) => !known(s, name)) : known(undefined, name) ? -1 : 0;
    if (missing >= 0) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'template', 'command'],
        message: a.parameters ? `placeholder {{${name}}} has no value in parameters.${missing}` : `placeholder {{${name}}} is neither a batch variable nor a parameter`,
      });
    }
  }
}

function checkGraph(graph: GraphNode[], ctx: z.RefinementCtx): void {
  const index = new Map<string, number>();
  graph.forEach((n, i) => {
    if (index.has(n.name)) ctx.addIssue({ code: 'custom', path: ['graph', i, 'name'], message: `duplicate name ${n.name} (also graph.${index.get(n.name)}.name)` });
    else index.set(n.name, i);
    if (n.array) checkPlaceholders(n.array, ['graph', i, 'array'], true, ctx);
    else if (n.job) {
      for (const name of new Set(placeholdersOf(n.job.command))) {
        if (!reservedEnv.has(name)) ctx.addIssue({ code: 'custom', path: ['graph', i, 'job', 'command'], message: `placeholder {{${name}}} is not a batch variable` });
      }
    }
  });
  let unknown = false;
  graph.forEach((n, i) =>
    n.dependsOn.forEach((d, j) => {
      if (!index.has(d)) {
        unknown = true;
        ctx.addIssue({ code: 'custom', path: ['graph', i, 'dependsOn', j], message: `no node named ${d}` });
      } else if (d === n.name) {
        ctx.addIssue({ code: 'custom', path: ['graph', i, 'dependsOn', j], message: `${n.name} depends on itself` });
      }
    }),
  );
  if (unknown) return;
  const cycle = findCycle(graph.map((n) => n.dependsOn.map((d) => index.get(d) as number)));
  if (cycle) {
    const names = cycle.nodes.map((i) => graph[i]?.name);
    ctx.addIssue({ code: 'custom', path: ['graph', cycle.from, 'dependsOn', cycle.edge], message: `dependency cycle: ${[...names, names[0]].join(' -> ')}` });
  }
}

/**
 * A cycle in the dependency lists (deps[i] = nodes i depends on), or
 * undefined. `from`/`edge` locate one dependency on the cycle (for the error
 * path); `nodes` lists the cycle in dependency order. Self-loops are left to
 * the caller. Iterative DFS, so a long chain cannot overflow the stack.
 */
export function findCycle(deps: number[][]): { from: number; edge: number; nodes: number[] } | undefined {
  const state = new Uint8Array(deps.length); // 0 new, 1 on stack, 2 done
  for (let root = 0; root < deps.length; root++) {
    if (state[root] !== 0) continue;
    const stack: Array<{ node: number; next: number }> = [{ node: root, next: 0 }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: number; next: number };
      const ds = deps[top.node] ?? [];
      if (top.next >= ds.length) {
        state[top.node] = 2;
        stack.pop();
        continue;
      }
      const edge = top.next++;
      const d = ds[edge] as number;
      if (d === top.node) continue;
      if (state[d] === 1) {
        const at = stack.findIndex((f) => f.node === d);
        return { from: top.node, edge, nodes: stack.slice(at).map((f) => f.node) };
      }
      if (state[d] === 0) {
        state[d] = 1;
        stack.push({ node: d, next: 0 });
      }
    }
  }
  return undefined;
}

export type ParseBatchSpecResult = { ok: true; spec: BatchSpec } | { ok: false; issues: Array<{ path: string; message: string }> };

export function parseBatchSpec(input: unknown): ParseBatchSpecResult {
  const r = batchSpecSchema.safeParse(input);
  if (r.success) return { ok: true, spec: r.data };
  const at = (path: PropertyKey[]) => path.map(String).join('.') || '(root)';
  // An unknown key is reported at its own path, so the caller sees which one.
  return {
    ok: false,
    issues: r.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: at([...i.path, k]), message: 'unknown field' })) : [{ path: at(i.path), message: i.message }],
    ),
  };
}
