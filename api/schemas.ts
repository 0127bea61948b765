// Request and response shapes of the HTTP API. The request schemas validate
// what comes in; all of them feed the OpenAPI document (openapi.ts), so the
// document cannot drift from what the API accepts.
import { z } from 'zod';
import { jobSpecSchema } from '../workflows/job-spec.js';
import { jobStatuses } from '../workflows/job-status.js';

/** Becomes the workflow id and, with `.<attempt>`, the Mesos task id. */
export const jobIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":" and "-" only, starting with a letter or digit');

export const createJobRequestSchema = jobSpecSchema.extend({
  /** Client-chosen id: resubmitting the same id and spec returns the existing job. */
  id: jobIdSchema.optional(),
});
export type CreateJobRequest = z.infer<typeof createJobRequestSchema>;

export const apiJobStatusSchema = z.enum(jobStatuses);
export type ApiJobStatus = z.infer<typeof apiJobStatusSchema>;

export const statusUpdateSchema = z.object({
  state: z.string(),
  time: z.string(),
  reason: z.string().optional(),
  source: z.string().optional(),
  message: z.string().optional(),
  healthy: z.boolean().optional(),
});

export const attemptSchema = z.object({
  attempt: z.int(),
  taskId: z.string(),
  agentId: z.string().nullable(),
  hostname: z.string().nullable(),
  /** The task's last Mesos state (TASK_RUNNING, TASK_FINISHED, …). */
  state: z.string().nullable(),
  reason: z.string().nullable(),
  exitCode: z.int().nullable(),
  outcome: z.string().nullable(),
  launchedAt: z.string().nullable(),
  statusUpdates: z.array(statusUpdateSchema),
});
export type ApiAttempt = z.infer<typeof attemptSchema>;

export const waitingSchema = z.object({
  /** One sentence: why no offer fitted yet. */
  reason: z.string(),
  offersSeen: z.int(),
  reasons: z.array(z.object({ reason: z.string(), offers: z.int() })),
  at: z.string().nullable(),
});

export const jobSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  /** The batch this job is part of; null for a job submitted on its own. */
  batchId: z.string().nullable(),
  status: apiJobStatusSchema,
  /** The workflow's own phase (pending, waiting-for-offer, launching, staging, running, killing, terminal). */
  phase: z.string(),
  exitCode: z.int().nullable(),
  message: z.string().nullable(),
  waiting: waitingSchema.nullable(),
  attempts: z.array(attemptSchema),
  frameworkId: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  links: z.object({ self: z.string(), logs: z.string(), events: z.string(), temporal: z.string().nullable() }),
});
export type ApiJob = z.infer<typeof jobSchema>;

export const jobListSchema = z.object({
  jobs: z.array(jobSchema),
  /** Opaque; pass as `cursor` for the next page. Null on the last page. */
  nextCursor: z.string().nullable(),
});

const labelFilter = z.string().regex(/^[^=\s'"\\]+=[^'"\\]*$/, 'must be key=value without quotes or backslashes');

// The OpenAPI document's list parameters are generated from this schema
// (openapi.ts queryParams), descriptions included.
export const listJobsQuerySchema = z.strictObject({
  status: apiJobStatusSchema.optional().describe('only jobs in this status'),
  label: z.union([labelFilter, z.array(labelFilter)]).optional().describe('key=value; repeat to require several'),
  batch: jobIdSchema.optional().describe('only the jobs of this batch'),
  limit: z.coerce.number().int().min(1).max(200).default(20).describe('page size'),
  cursor: z.string().max(4096).regex(/^[A-Za-z0-9_-]*$/, 'a cursor is base64url').optional().describe('nextCursor of the previous page; empty or left out: the first page'),
});

export const logsQuerySchema = z.strictObject({
  stream: z.enum(['stdout', 'stderr']).default('stdout'),
  offset: z.coerce.number().int().min(0).default(0),
  length: z.coerce.number().int().min(1).max(1024 * 1024).default(64 * 1024),
  /** 1-based attempt number; the last attempt when left out. */
  attempt: z.coerce.number().int().min(1).optional(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
