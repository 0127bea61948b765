// Request and response shapes of the /v1/batches routes; they feed the
// OpenAPI document like schemas.ts does for jobs. The batch spec itself is
// workflows/batch-spec.ts (the workflow's own contract).
import { z } from 'zod';
import { batchSpecSchema } from '../workflows/batch-spec.js';
import { apiJobStatusSchema, jobIdSchema, jobSchema } from './schemas.js';

/** Becomes the workflow id; the ids of its jobs add `.<name>.<index>`, so it is shorter than a job id. */
export const batchIdSchema = jobIdSchema.max(120);

export { batchSpecSchema };

export const batchStatusSchema = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
export type ApiBatchStatus = z.infer<typeof batchStatusSchema>;

export const batchCountsSchema = z.object({
  total: z.int(),
  PENDING: z.int(),
  RUNNING: z.int(),
  SUCCEEDED: z.int(),
  FAILED: z.int(),
  TIMED_OUT: z.int(),
  CANCELLED: z.int(),
  SKIPPED: z.int(),
});

export const batchNodeSchema = z.object({
  name: z.string().nullable(),
  count: z.int(),
  jobIdPrefix: z.string(),
  array: z.boolean(),
  dependsOn: z.array(z.string()),
  /** Dependencies not all SUCCEEDED yet: why this node's jobs wait. */
  waitingFor: z.array(z.string()),
  launched: z.int(),
  running: z.int(),
  succeeded: z.int(),
  failed: z.int(),
  timedOut: z.int(),
  cancelled: z.int(),
  skipped: z.int(),
  skipReason: z.string().nullable(),
  closed: z.boolean(),
  /** Why its pending jobs are not started yet (dependencies, no free slot). */
  pendingReason: z.string().nullable(),
});

export const batchSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  status: batchStatusSchema,
  /** Counts by job status; null while the batch workflow cannot be asked (no worker yet). */
  counts: batchCountsSchema.nullable(),
  maxParallel: z.int().nullable(),
  failurePolicy: z.object({ mode: z.enum(['continue', 'stop']), maxFailures: z.int().optional(), cancelRunning: z.boolean() }).nullable(),
  labels: z.record(z.string(), z.string()),
  nodes: z.array(batchNodeSchema),
  /** Why nothing more is launched (failure limit, cancelled). */
  stopReason: z.string().nullable(),
  /** The first up to 1000 job ids in submission order; the rest are listed by /jobs. */
  jobIds: z.array(z.string()),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  continuedAsNew: z.int(),
  links: z.object({ self: z.string(), jobs: z.string(), events: z.string(), temporal: z.string().nullable() }),
});
export type ApiBatch = z.infer<typeof batchSchema>;

export const batchListSchema = z.object({ batches: z.array(batchSchema), nextCursor: z.string().nullable() });

const labelFilter = z.string().regex(/^[^=\s'"\\]+=[^'"\\]*$/, 'must be key=value without quotes or backslashes');

export const listBatchesQuerySchema = z.strictObject({
  status: batchStatusSchema.optional(),
  label: z.union([labelFilter, z.array(labelFilter)]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: z.string().max(4096).optional(),
});

export const batchJobStatusSchema = z.union([apiJobStatusSchema, z.literal('SKIPPED')]);

export const listBatchJobsQuerySchema = z.strictObject({
  /** SKIPPED lists the jobs that were never started (they have no workflow), with why. */
  status: batchJobStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(4096).optional(),
});

export const skippedJobSchema = z.object({
  id: z.string(),
  batchId: z.string(),
  node: z.string().nullable(),
  index: z.int(),
  status: z.literal('SKIPPED'),
  reason: z.string(),
});
export type ApiSkippedJob = z.infer<typeof skippedJobSchema>;

export const batchJobListSchema = z.object({
  jobs: z.array(jobSchema),
  /** With status=SKIPPED: the jobs never started. */
  skipped: z.array(skippedJobSchema),
  nextCursor: z.string().nullable(),
});
