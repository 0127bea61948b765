// The one way a job or a batch is started, by anyone: the API, the CLI's
// tests and benches (worker/job-client.ts), the batch workflow for its
// children, and Temporal Schedules for their actions. It says which workflow,
// its id, its input, the memo (the spec's hash, compared on resubmission)
// and the search attributes (status, framework, labels, batch) the API lists
// by. Pure and workflow-safe: no zod, no node: modules (the spec must already
// be validated).
import type { JobSpec } from './job-spec.js';
import type { JobTuning, JobWorkflowInput } from './job-workflow.js';
import type { BatchSpec } from './batch-spec.js';
import { JOB_STEPS_VERSION } from './job-version.js';
import { batchIdKey, frameworkKey, labelKeywords, labelsKey, startSearchAttributes } from './search-attribute-keys.js';
import { specHash } from './spec-hash.js';

export const JOB_WORKFLOW_TYPE = 'jobWorkflow';
export const BATCH_WORKFLOW_TYPE = 'batchWorkflow';

/** Job and batch ids stay unique for as long as Temporal keeps the closed workflow. */
const ID_REUSE = 'REJECT_DUPLICATE' as const;

export interface JobStartParams {
  jobId: string;
  /** Validated (jobSpec() / the API's schema): the hash must be of the defaulted spec. */
  spec: JobSpec;
  frameworkName: string;
  taskQueue: string;
  tuning?: Partial<JobTuning> | undefined;
  /** Set for the jobs of a batch. */
  batch?: { batchId: string; index: number; node?: string | undefined } | undefined;
}

/** What the job's memo holds. */
export interface JobMemo {
  specHash: string;
  name?: string;
  batchId?: string;
  batchIndex?: number;
  batchJob?: string;
}

export function jobStartOptions(p: JobStartParams) {
  const input: JobWorkflowInput = { spec: p.spec, frameworkName: p.frameworkName, steps: JOB_STEPS_VERSION, ...(p.tuning ? { tuning: p.tuning } : {}) };
  const memo: JobMemo = { specHash: specHash(p.spec) };
  if (p.spec.name) memo.name = p.spec.name;
  if (p.batch) {
    memo.batchId = p.batch.batchId;
    memo.batchIndex = p.batch.index;
    if (p.batch.node !== undefined) memo.batchJob = p.batch.node;
  }
  return {
    workflowType: JOB_WORKFLOW_TYPE,
    workflowId: p.jobId,
    taskQueue: p.taskQueue,
    args: [input] as [JobWorkflowInput],
    memo: memo as unknown as Record<string, unknown>,
    // Status, framework and labels from the start, so the workflow upserts only RUNNING and the end.
    typedSearchAttributes: [...startSearchAttributes(p.frameworkName, p.spec.labels), ...(p.batch ? [{ key: batchIdKey, value: p.batch.batchId }] : [])],
    workflowIdReusePolicy: ID_REUSE,
  };
}

/** The batch workflow's input. The batch id is the workflow id (so each run of a schedule is its own batch). */
export interface BatchWorkflowInput {
  spec: BatchSpec;
  frameworkName: string;
  /** Timings of the batch's jobs (tests shorten them). */
  tuning?: Partial<JobTuning>;
}

export interface BatchStartParams {
  batchId: string;
  /** Validated (parseBatchSpec / batchSpecSchema). */
  spec: BatchSpec;
  frameworkName: string;
  taskQueue: string;
  tuning?: Partial<JobTuning> | undefined;
}

export interface BatchMemo {
  specHash: string;
  name?: string;
  kind: 'batch';
}

/** For client.workflow.start and for a Schedule's startWorkflow action (which appends its own time to workflowId). */
export function batchStartOptions(p: BatchStartParams) {
  const input: BatchWorkflowInput = { spec: p.spec, frameworkName: p.frameworkName, ...(p.tuning ? { tuning: p.tuning } : {}) };
  const memo: BatchMemo = { specHash: specHash(p.spec), kind: 'batch' };
  if (p.spec.name) memo.name = p.spec.name;
  return {
    workflowType: BATCH_WORKFLOW_TYPE,
    workflowId: p.batchId,
    taskQueue: p.taskQueue,
    args: [input] as [BatchWorkflowInput],
    memo: memo as unknown as Record<string, unknown>,
    typedSearchAttributes: [
      { key: frameworkKey, value: p.frameworkName },
      { key: labelsKey, value: labelKeywords(p.spec.labels) },
    ],
    workflowIdReusePolicy: ID_REUSE,
  };
}
