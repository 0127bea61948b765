// Starting and reading jobs from outside (the HTTP API, the CLI, tests):
// a job is a jobWorkflow on the worker's task queue.
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { liveAttemptDetails } from '../api/live-attempt.js';
import { jobSpec, type JobSpecInput } from '../workflows/job-spec.js';
import { progressQuery } from '../workflows/job-messages.js';
import { JOB_STEPS_VERSION, type JobTuning, type JobWorkflowInput } from '../workflows/job-workflow.js';
import { withLiveAttempt, type JobProgress } from '../workflows/progress.js';
import { startSearchAttributes } from '../workflows/search-attribute-keys.js';

export interface StartJobOptions {
  spec: JobSpecInput;
  frameworkName: string;
  taskQueue: string;
  /** Workflow id; a client-chosen id makes the start idempotent. Default `job-<uuid>`. */
  jobId?: string;
  tuning?: Partial<JobTuning>;
}

export type JobHandle = WorkflowHandleWithFirstExecutionRunId;

export function newJobId(): string {
  return `job-${randomUUID()}`;
}

/** Validates the spec first (throws InvalidJobSpecError listing every problem), then starts the job. */
export async function startJob(client: Client, options: StartJobOptions): Promise<JobHandle> {
  const spec = jobSpec(options.spec);
  const input: JobWorkflowInput = { spec, frameworkName: options.frameworkName, steps: JOB_STEPS_VERSION, ...(options.tuning ? { tuning: options.tuning } : {}) };
  return client.workflow.start('jobWorkflow', {
    taskQueue: options.taskQueue,
    workflowId: options.jobId ?? newJobId(),
    args: [input],
    typedSearchAttributes: [...startSearchAttributes(options.frameworkName, spec.labels)],
    ...(spec.name ? { memo: { name: spec.name } } : {}),
  });
}

export function jobProgress(handle: WorkflowHandle): Promise<JobProgress> {
  return handle.query(progressQuery);
}

/**
 * The progress, with what the attempt's open activity heartbeated and the
 * workflow has not recorded yet (why the job waits, a launch under way).
 */
export async function jobProgressLive(handle: WorkflowHandle): Promise<JobProgress> {
  const progress = await jobProgress(handle);
  try {
    const desc = await handle.describe();
    return withLiveAttempt(progress, liveAttemptDetails(desc.raw.pendingActivities));
  } catch {
    // The recorded progress is still a fair answer.
    return progress;
  }
}
