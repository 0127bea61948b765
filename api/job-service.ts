// The API's view of jobs in Temporal: start (idempotent by id), read,
// list through visibility, cancel. A job is a jobWorkflow; its spec's hash
// is kept in the memo so that a resubmission can be compared to it.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { liveAttemptDetails, type PendingActivity } from './live-attempt.js';
import type { JobSpec } from '../workflows/job-spec.js';
import { progressQuery } from '../workflows/job-messages.js';
import { JOB_WORKFLOW_TYPE, jobStartOptions } from '../workflows/job-start.js';
import { legacySearchStatuses, type JobMemo } from '../workflows/job-status.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { withLiveAttempt, type JobProgress } from '../workflows/progress.js';
import { specHash as hashOf } from '../workflows/spec-hash.js';
import { batchIdKey, frameworkKey, jobStatusKey, labelsKey } from '../workflows/search-attribute-keys.js';
import { newJobId } from '../worker/job-client.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { summaryFromRaw, type ExecutionSummary } from './execution-summary.js';
import type { ExecutionStatus, JobFacts } from './job-view.js';
import { labelsFromKeywords } from './job-view.js';
import type { ApiJobStatus } from './schemas.js';
import { problems } from './problem.js';

export { JOB_WORKFLOW_TYPE };

export interface JobServiceOptions {
  client: Client;
  namespace: string;
  frameworkName: string;
  /** Task queue of the job workflows (the worker's). */
  taskQueue: string;
  /** Workflow timings for new jobs (tests shorten them). */
  tuning?: Partial<JobTuning>;
  /** How long a progress query may take before the API answers from visibility alone. */
  queryTimeoutMs?: number;
}

export { canonicalJson } from '../workflows/spec-hash.js';

export function specHash(spec: JobSpec): string {
  return hashOf(spec);
}

export interface CreateResult {
  created: boolean;
  facts: JobFacts;
}

export interface ListFilter {
  status?: ApiJobStatus;
  labels: string[];
  /** Only the jobs of this batch. */
  batchId?: string | undefined;
  limit: number;
  cursor?: string;
}

export const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function listQuery(frameworkName: string, f: Pick<ListFilter, 'status' | 'labels' | 'batchId'>): string {
  // A run that continued as new is not a job of its own: its successor is.
  const parts = [`WorkflowType = ${quote(JOB_WORKFLOW_TYPE)}`, `${frameworkKey.name} = ${quote(frameworkName)}`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (f.status !== undefined) {
    // The search attribute holds the API's own status: the filter is exact.
    const ss = [f.status, ...(legacySearchStatuses[f.status] ?? [])];
    const byAttribute = ss.length === 1 ? `${jobStatusKey.name} = ${quote(f.status)}` : `${jobStatusKey.name} IN (${ss.map(quote).join(', ')})`;
    if (f.status === 'CANCELLED') parts.push(`(${byAttribute} OR ExecutionStatus IN ('Canceled', 'Terminated'))`);
    else if (f.status === 'SUCCEEDED' || f.status === 'FAILED' || f.status === 'TIMED_OUT') parts.push(byAttribute);
    // Not finished: a workflow terminated by hand keeps its last attribute.
    else parts.push(`${byAttribute} AND ExecutionStatus = 'Running'`);
  }
  for (const l of f.labels) parts.push(`${labelsKey.name} = ${quote(l)}`);
  if (f.batchId !== undefined) parts.push(`${batchIdKey.name} = ${quote(f.batchId)}`);
  return parts.join(' AND ');
}

export class JobService {
  private readonly client: Client;
  /** Views of closed jobs never change: keep their progress (bounded). */
  private readonly closed = new Map<string, JobProgress>();

  constructor(readonly options: JobServiceOptions) {
    this.client = options.client;
  }

  async create(spec: JobSpec, id: string | undefined): Promise<CreateResult> {
    const jobId = id ?? newJobId();
    // The one way a job is started (also by tests, batches and schedules): memo, search attributes, id policy, steps.
    const { workflowType, ...options } = jobStartOptions({ jobId, spec, frameworkName: this.options.frameworkName, taskQueue: this.options.taskQueue, tuning: this.options.tuning });
    const hash = specHash(spec);
    try {
      await this.client.workflow.start(workflowType, { ...options, workflowIdConflictPolicy: 'FAIL' });
      return {
        created: true,
        facts: {
          id: jobId,
          progress: undefined,
          executionStatus: 'RUNNING',
          searchStatus: 'WAITING_FOR_OFFER',
          memo: {},
          createdAt: new Date(),
          closedAt: undefined,
          labels: { ...spec.labels },
          name: spec.name,
        },
      };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const existing = await this.describe(jobId);
    if (existing === undefined) throw problems.conflict(`the id ${jobId} is taken`);
    if (existing.info.type !== JOB_WORKFLOW_TYPE || existing.info.memo?.specHash !== hash) {
      throw problems.conflict(`a job with id ${jobId} exists with a different spec`);
    }
    return { created: false, facts: await this.factsOf(existing.info, true) };
  }

  /** The job's facts, or undefined when no job has this id. */
  async get(id: string): Promise<JobFacts | undefined> {
    const d = await this.describe(id);
    if (d === undefined || d.info.type !== JOB_WORKFLOW_TYPE) return undefined;
    const facts = await this.factsOf(d.info, true);
    if (facts.progress) facts.progress = withLiveAttempt(facts.progress, liveAttemptDetails(d.pending));
    return facts;
  }

  async list(f: ListFilter): Promise<{ jobs: JobFacts[]; nextCursor: string | null }> {
    const query = listQuery(this.options.frameworkName, f);
    const invalidCursor = () => problems.invalid('cursor is not one this API returned for this query', [{ path: 'cursor', message: 'invalid cursor' }]);
    let nextPageToken: Uint8Array | undefined;
    if (f.cursor !== undefined) {
      nextPageToken = decodeCursor(f.cursor, query);
      if (nextPageToken === undefined) throw invalidCursor();
    }
    const res = await this.client.workflowService
      .listWorkflowExecutions({
        namespace: this.options.namespace,
        pageSize: f.limit,
        query,
        ...(nextPageToken ? { nextPageToken } : {}),
      })
      .catch((err: unknown) => {
        if (f.cursor !== undefined && /token|cursor|invalid/i.test(String((err as Error).message))) throw invalidCursor();
        throw err;
      });
    const converter = this.client.options.loadedDataConverter.payloadConverter;
    // A row is what visibility holds (search attributes and memo): no
    // workflow is asked, so a page costs this one call.
    const jobs = await Promise.all((res.executions ?? []).map((raw) => this.factsOf(summaryFromRaw(raw, converter), false)));
    const token = res.nextPageToken;
    return { jobs, nextCursor: token && token.length > 0 ? encodeCursor(token, query) : null };
  }

  /** Requests cancellation. 'cancelled' also when it was cancelled before; 'ended' when it ended otherwise. */
  async cancel(id: string): Promise<'requested' | 'already-cancelled' | 'ended' | 'not-found'> {
    const d = await this.describe(id);
    if (d === undefined || d.info.type !== JOB_WORKFLOW_TYPE) return 'not-found';
    const s = d.info.status.name;
    if (s === 'CANCELLED' || s === 'TERMINATED') return 'already-cancelled';
    if (s !== 'RUNNING') return 'ended';
    await this.client.workflow.getHandle(id).cancel();
    return 'requested';
  }

  /** The progress query, or undefined when it cannot be answered in time (no worker, first task pending). */
  async progress(id: string, closed: boolean): Promise<JobProgress | undefined> {
    const cached = this.closed.get(id);
    if (cached) return cached;
    try {
      const p = await this.client.withDeadline(Date.now() + (this.options.queryTimeoutMs ?? 10_000), () =>
        this.client.workflow.getHandle(id).query(progressQuery),
      );
      if (closed && p.phase === 'terminal') {
        if (this.closed.size >= 1000) this.closed.delete(this.closed.keys().next().value as string);
        this.closed.set(id, p);
      }
      return p;
    } catch {
      return undefined;
    }
  }

  private async describe(id: string): Promise<{ info: ExecutionSummary; pending: readonly PendingActivity[] | null | undefined } | undefined> {
    try {
      const d = await this.client.workflow.getHandle(id).describe();
      return { info: d, pending: d.raw.pendingActivities };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** `ask`: query the workflow for its progress (a single job); a list row is built from visibility alone. */
  private async factsOf(info: ExecutionSummary, ask: boolean): Promise<JobFacts> {
    const closed = info.status.name !== 'RUNNING';
    const progress = ask ? await this.progress(info.workflowId, closed) : undefined;
    const memo = (info.memo ?? {}) as JobMemo;
    const name = memo.name;
    return {
      id: info.workflowId,
      progress,
      executionStatus: info.status.name as ExecutionStatus,
      searchStatus: info.typedSearchAttributes.get(jobStatusKey),
      memo,
      createdAt: info.startTime,
      closedAt: info.closeTime,
      labels: labelsFromKeywords(info.typedSearchAttributes.get(labelsKey)),
      name: typeof name === 'string' ? name : undefined,
      batchId: info.typedSearchAttributes.get(batchIdKey),
    };
  }
}
