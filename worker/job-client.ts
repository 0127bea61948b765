// Starting and reading jobs from outside (the HTTP API, the CLI, tests):
// a job is a jobWorkflow on the worker's task queue.
import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter, type Client, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { liveAttemptDetails } from '../api/live-attempt.js';
import { jobSpec, type JobSpecInput } from '../workflows/job-spec.js';
import { progressQuery } from '../workflows/job-messages.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { jobStartOptions } from '../workflows/job-start.js';
import { withLiveAttempt, type JobProgress } from '../workflows/progress.js';

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

/** Validates the spec first (throws InvalidJobSpecError listing every problem), then starts the job as the API would (same memo, search attributes, id policy, steps). */
export async function startJob(client: Client, options: StartJobOptions): Promise<JobHandle> {
  const { workflowType, ...start } = jobStartOptions({
    jobId: options.jobId ?? newJobId(),
    spec: jobSpec(options.spec),
    frameworkName: options.frameworkName,
    taskQueue: options.taskQueue,
    tuning: options.tuning,
  });
  return client.workflow.start(workflowType, start);
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
    const pending = (desc.raw.pendingActivities ?? []).map((a) => ({
      type: a.activityType?.name ?? '',
      heartbeatDetails: (a.heartbeatDetails?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p)),
    }));
    return withLiveAttempt(progress, liveAttemptDetails(pending));
  } catch {
    // The recorded progress is still a fair answer.
    return progress;
  }
}
