// The job spec: what a caller asks mesoflow to run. Pure (zod only) so that
// everything that checks a spec uses this one schema: the HTTP API on
// submission, and the job workflow's ensureSession activity, which parses
// the spec the workflow was started with and hands the defaulted result
// back (the workflow itself imports only the types, so zod stays out of
// the workflow bundle). Every object is strict: a misspelt field is an
// error, not a silently ignored setting.
import { z } from 'zod';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name');

export const resourcesSchema = z.strictObject({
  cpus: z.number().positive().default(0.1),
  mem: z.number().positive().describe('MB').default(32),
  disk: z.number().nonnegative().describe('MB').default(0),
  gpus: z.int().nonnegative().default(0),
  /** How many host ports the task needs; concrete ports come from the offer. */
  ports: z.int().nonnegative().max(1000).default(0),
});
export type JobResources = z.infer<typeof resourcesSchema>;

export const constraintSchema = z.union([
  z
    .strictObject({
      field: z.string().min(1).describe('"hostname" or an agent attribute name'),
      operator: z.enum(['EQUALS', 'LIKE', 'UNLIKE']),
      value: z.string().describe('EQUALS: the exact value; LIKE/UNLIKE: a regular expression the whole value must (not) match'),
    })
    .superRefine((c, ctx) => {
      // A pattern that does not compile would leave the job waiting forever
      // (no offer can satisfy it): refuse it at submission instead.
      if (c.operator === 'EQUALS') return;
      try {
        new RegExp(`^(?:${c.value})$`);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: `not a valid regular expression: ${(err as Error).message}` });
      }
    }),
  z.strictObject({
    field: z.literal('hostname'),
    operator: z.literal('UNIQUE'),
    /** Jobs sharing a group never share a host; defaults to the job's labels-independent group "default". */
    group: z.string().min(1).optional(),
  }),
]);
export type PlacementConstraint = z.infer<typeof constraintSchema>;

export const containerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('MESOS'), image: z.string().min(1) }),
  z.strictObject({
    type: z.literal('DOCKER'),
    image: z.string().min(1),
    network: z.enum(['HOST', 'BRIDGE', 'NONE']).default('HOST'),
    forcePull: z.boolean().default(false),
  }),
]);
export type JobContainer = z.infer<typeof containerSchema>;

export const uriSchema = z.strictObject({
  value: z.string().min(1),
  executable: z.boolean().default(false),
  extract: z.boolean().default(true),
  cache: z.boolean().default(false),
  outputFile: z.string().min(1).optional(),
});

/**
 * Outcomes of the job's own doing that its retry policy may retry.
 * Infrastructure outcomes (lost, dropped, gone, unreachable, offer problems)
 * are always retried within `maxInfrastructureRetries` and never spend
 * `maxAttempts`.
 */
export const retryableOutcome = z.enum(['failed', 'killed', 'error', 'timeout']);
export type RetryableOutcome = z.infer<typeof retryableOutcome>;

export const backoffSchema = z.strictObject({
  initialSeconds: z.number().nonnegative().default(1),
  multiplier: z.number().min(1).default(2),
  maxSeconds: z.number().nonnegative().default(60),
});

export const retryPolicySchema = z.strictObject({
  /** Attempts the job's own failures may use, the first included. */
  maxAttempts: z.int().min(1).max(100).default(1),
  backoff: backoffSchema.default({ initialSeconds: 1, multiplier: 2, maxSeconds: 60 }),
  retryOn: z.array(retryableOutcome).default(['failed']),
  maxInfrastructureRetries: z.int().min(0).max(1000).default(10),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const jobSpecSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  /** A shell string (run with /bin/sh -c) or an argv array (exec'd directly). */
  command: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  env: z.record(envName, z.string()).default({}),
  user: z.string().min(1).optional(),
  resources: resourcesSchema.default({ cpus: 0.1, mem: 32, disk: 0, gpus: 0, ports: 0 }),
  constraints: z.array(constraintSchema).default([]),
  container: containerSchema.optional(),
  uris: z.array(uriSchema).default([]),
  labels: z.record(z.string().min(1), z.string()).default({}),
  retry: retryPolicySchema.default({
    maxAttempts: 1,
    backoff: { initialSeconds: 1, multiplier: 2, maxSeconds: 60 },
    retryOn: ['failed'],
    maxInfrastructureRetries: 10,
  }),
  /** Kill an attempt this long after it was launched; no limit when unset. */
  timeoutSeconds: z.number().positive().optional(),
  /** Time between SIGTERM and SIGKILL when the task is killed. */
  killGracePeriodSeconds: z.number().nonnegative().default(3),
  /** How long an attempt may wait for a fitting offer before the job fails. */
  offerTimeoutSeconds: z.number().positive().default(24 * 3600),
});

/** A validated spec with every default filled in. */
export type JobSpec = z.infer<typeof jobSpecSchema>;
/** What a caller may send: defaults may be left out. */
export type JobSpecInput = z.input<typeof jobSpecSchema>;

export interface SpecIssue {
  /** Dotted path into the spec, e.g. `resources.cpus` or `constraints.0.operator`. */
  path: string;
  message: string;
}

export type ParseJobSpecResult = { ok: true; spec: JobSpec } | { ok: false; issues: SpecIssue[] };

export function parseJobSpec(input: unknown): ParseJobSpecResult {
  const r = jobSpecSchema.safeParse(input);
  if (r.success) return { ok: true, spec: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
  };
}

export class InvalidJobSpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(`invalid job spec: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidJobSpecError';
  }
}

/** Parses or throws InvalidJobSpecError listing every problem with its path. */
export function jobSpec(input: unknown): JobSpec {
  const r = parseJobSpec(input);
  if (!r.ok) throw new InvalidJobSpecError(r.issues);
  return r.spec;
}
