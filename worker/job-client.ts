// Starting and reading jobs from outside (the HTTP API, the CLI, tests):
// a job is a jobWorkflow on the worker's task queue.
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { PROGRESS_QUERY } from '../activities/contract.js';
import { jobSpec, type JobSpecInput } from '../workflows/job-spec.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { jobStartOptions } from '../workflows/job-start.js';
import type { JobProgress, MatchReasonSummary } from '../workflows/progress.js';

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

/** Validates the spec first (throws InvalidJobSpecError listing every problem), then starts the job as the API would (same memo, search attributes, id policy). */
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
  return handle.query<JobProgress>(PROGRESS_QUERY);
}

/**
 * The progress, with the waiting summary taken live from the pending
 * awaitOffer's heartbeat when it is newer than what the workflow recorded
 * at its last poll (polls are minutes apart on long waits).
 */
export async function jobProgressLive(handle: WorkflowHandle): Promise<JobProgress> {
  const progress = await jobProgress(handle);
  if (progress.phase !== 'waiting-for-offer') return progress;
  try {
    const desc = await handle.describe();
    for (const a of desc.raw.pendingActivities ?? []) {
      if (a.activityType?.name !== 'awaitOffer') continue;
      const payload = a.heartbeatDetails?.payloads?.[0];
      if (!payload) continue;
      const live = defaultPayloadConverter.fromPayload<MatchReasonSummary | undefined>(payload);
      if (live && live.offersSeen >= (progress.waiting?.offersSeen ?? 0)) progress.waiting = live;
    }
  } catch {
    // The recorded summary is still a fair answer.
  }
  return progress;
}
