// Starting and reading jobs from outside (the HTTP API, the CLI, tests):
// a job is a jobWorkflow on the worker's task queue.
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { PROGRESS_QUERY } from '../activities/contract.js';
import { jobSpec, type JobSpecInput } from '../workflows/job-spec.js';
import type { JobTuning, JobWorkflowInput } from '../workflows/job-workflow.js';
import type { JobProgress } from '../workflows/progress.js';

export interface StartJobOptions {
  spec: JobSpecInput;
  frameworkName: string;
  taskQueue: string;
  /** Workflow id; a client-chosen id makes the start idempotent. Default `job-<uuid>`. */
  jobId?: string;
  tuning?: Partial<JobTuning>;
}

export type JobHandle = WorkflowHandle;

export function newJobId(): string {
  return `job-${randomUUID()}`;
}

/** Validates the spec first (throws InvalidJobSpecError listing every problem), then starts the job. */
export async function startJob(client: Client, options: StartJobOptions): Promise<JobHandle> {
  const input: JobWorkflowInput = { spec: jobSpec(options.spec), frameworkName: options.frameworkName, ...(options.tuning ? { tuning: options.tuning } : {}) };
  return client.workflow.start('jobWorkflow', {
    taskQueue: options.taskQueue,
    workflowId: options.jobId ?? newJobId(),
    args: [input],
  });
}

export function jobProgress(handle: WorkflowHandle): Promise<JobProgress> {
  return handle.query<JobProgress>(PROGRESS_QUERY);
}
