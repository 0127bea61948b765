// The job workflow: one per job. Each attempt is one activity on the
// framework session's task queue (placeAndLaunch: wait for an offer, launch
// the task whose id derives from the workflow id and the attempt, and report
// the task's first updates); the workflow then follows the task's status
// updates (signals from the session) to a terminal state, and the pure retry
// decision says what comes next. Cancelling kills the task; so does the
// job's timeout. A long task continues as new with its live attempt.
//
// The steps live in job-steps.ts, as functions over an explicit JobState.
import { CancellationScope, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
// Types only: the zod schema stays out of the workflow bundle (the SDK
// re-initialises every bundled module for every new workflow, and zod made
// that the most expensive part of starting a job). placeAndLaunch validates.
import type { JobSpecInput } from './job-spec.js';
import type { JobStatus } from './progress.js';
import type { JobTuning } from './job-tuning.js';
import { progressQuery, taskUpdateSignal } from './job-messages.js';
import { jobWorkflowV1 } from './job-workflow-v1.js';
import { cancelJob, decide, failJob, followTask, listAtStart, newJobState, onUpdateSignal, runAttempt, succeed, waitBeforeRetry, type JobResume } from './job-steps.js';

export type { JobTuning } from './job-tuning.js';
export { defaultJobTuning } from './job-tuning.js';
export { progressQuery, taskUpdateSignal } from './job-messages.js';

import { JOB_STEPS_VERSION } from './job-version.js';

export { JOB_STEPS_VERSION };

export interface JobWorkflowInput {
  /** Validated (and defaulted) by the placeAndLaunch activity; an invalid spec fails the job with InvalidJobSpec. */
  spec: JobSpecInput;
  frameworkName: string;
  tuning?: Partial<JobTuning>;
  /** JOB_STEPS_VERSION for the one-activity path; absent: the pre-issue-11 steps. */
  steps?: number;
  /** Set only by the workflow itself when it continues as new with a live attempt. */
  resume?: JobResume;
}

export interface JobResult {
  status: 'SUCCEEDED';
  exitCode?: number;
  attempts: number;
  taskId: string;
  agentId?: string;
  hostname?: string;
}

/** Details of the ApplicationFailure a failed or timed-out job ends with. */
export interface JobFailureDetails {
  status: Extract<JobStatus, 'FAILED' | 'TIMED_OUT'>;
  exitCode?: number;
  attempts: number;
  why: string;
}

export async function jobWorkflow(input: JobWorkflowInput): Promise<JobResult> {
  if (input.steps === undefined || input.steps < JOB_STEPS_VERSION) return jobWorkflowV1(input);
  const s = newJobState(workflowInfo().workflowId, input);
  setHandler(progressQuery, () => s.progress);
  setHandler(taskUpdateSignal, (u) => onUpdateSignal(s, u));
  listAtStart(s);
  try {
    // A run continued as new resumes following its live task.
    let outcome = s.live ? await followTask(s) : undefined;
    for (;;) {
      outcome ??= await runAttempt(s);
      const next = decide(s, outcome);
      if (next.action === 'succeed') return succeed(s);
      if (next.action === 'fail') failJob(s, outcome.kind === 'timeout' ? 'TIMED_OUT' : 'FAILED', next.why);
      await waitBeforeRetry(s, next);
      outcome = undefined;
    }
  } catch (err) {
    if (isCancellation(err)) await CancellationScope.nonCancellable(() => cancelJob(s));
    throw err;
  }
}
