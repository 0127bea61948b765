// The API's view of jobs in Temporal: start (idempotent by id), read,
// list through visibility, cancel. A job is a jobWorkflow; its spec's hash
// is kept in the memo so that a resubmission can be compared to it.
// Temporal is reached through TemporalAccess (gRPC on Node, HTTP at the
// edge), so this file runs on both: no Node built-ins, no Temporal client.
import { PROGRESS_QUERY } from '../activities/contract.js';
import type { JobSpec } from '../workflows/job-spec.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { JOB_WORKFLOW_TYPE, jobStartOptions } from '../workflows/job-start.js';
import { legacySearchStatuses, type JobMemo } from '../workflows/job-status.js';
import { withLiveAttempt, type JobProgress } from '../workflows/progress.js';
import { specHash as hashOf } from '../workflows/spec-hash.js';
import { batchIdKey, frameworkKey, jobStatusKey, labelsKey } from '../workflows/search-attribute-keys.js';
import { liveAttemptDetails } from './live-attempt.js';
import type { ExecutionStatus, JobFacts } from './job-view.js';
import { labelsFromKeywords } from './job-view.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { base64ToBytes, base64url } from './temporal/payload-json.js';
import type { ApiJobStatus } from './schemas.js';
import { problems } from './problem.js';
import { TemporalError, type SearchAttributeEntry, type SearchAttributeType, type TemporalAccess, type WorkflowSummary } from './temporal/access.js';

/** The SDK's search attribute kinds (what job-start.ts's typed keys carry) to Temporal's type names. */
const attrTypes: Record<string, SearchAttributeType> = {
  KEYWORD: 'Keyword',
  KEYWORD_LIST: 'KeywordList',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
};

/** job-start.ts's typed search attributes as TemporalAccess entries. */
export function searchAttributeEntries(typed: ReadonlyArray<{ key: { name: string; type: string }; value: unknown }>): SearchAttributeEntry[] {
  return typed.map(({ key, value }) => {
    const type = attrTypes[key.type];
    if (type === undefined) throw new Error(`search attribute ${key.name}: unknown type ${key.type}`);
    return { name: key.name, type, value: (value instanceof Date ? value.toISOString() : value) as SearchAttributeEntry['value'] };
  });
}

export { JOB_WORKFLOW_TYPE };

export interface JobServiceOptions {
  temporal: TemporalAccess;
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

/** A fresh job id (the same form as worker/job-client.ts's newJobId, without node:crypto). */
export const newJobId = (): string => `job-${crypto.randomUUID()}`;

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
  private readonly temporal: TemporalAccess;
  /** Views of closed jobs never change: keep their progress (bounded). */
  private readonly closed = new Map<string, JobProgress>();

  constructor(readonly options: JobServiceOptions) {
    this.temporal = options.temporal;
  }

  async create(spec: JobSpec, id: string | undefined): Promise<CreateResult> {
    const jobId = id ?? newJobId();
    // The one way a job is started (also by tests, batches and schedules): memo, search attributes, id policy, steps.
    const { workflowType, typedSearchAttributes, workflowIdReusePolicy, ...options } = jobStartOptions({
      jobId,
      spec,
      frameworkName: this.options.frameworkName,
      taskQueue: this.options.taskQueue,
      tuning: this.options.tuning,
    });
    const hash = specHash(spec);
    const started = await this.temporal.startWorkflow({
      ...options,
      workflowType,
      searchAttributes: searchAttributeEntries(typedSearchAttributes),
      idReusePolicy: workflowIdReusePolicy,
    });
    if (started.started) {
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
    }
    const existing = await this.temporal.describeWorkflow(jobId);
    if (existing === undefined) throw problems.conflict(`the id ${jobId} is taken`);
    if (existing.type !== JOB_WORKFLOW_TYPE || existing.memo.specHash !== hash) {
      throw problems.conflict(`a job with id ${jobId} exists with a different spec`);
    }
    return { created: false, facts: await this.factsOf(existing, true) };
  }

  /** The job's facts, or undefined when no job has this id. */
  async get(id: string): Promise<JobFacts | undefined> {
    const d = await this.temporal.describeWorkflow(id);
    if (d === undefined || d.type !== JOB_WORKFLOW_TYPE) return undefined;
    const facts = await this.factsOf(d, true);
    if (facts.progress) facts.progress = withLiveAttempt(facts.progress, liveAttemptDetails(d.pendingActivities));
    return facts;
  }

  async list(f: ListFilter): Promise<{ jobs: JobFacts[]; nextCursor: string | null }> {
    const query = listQuery(this.options.frameworkName, f);
    const invalidCursor = () => problems.invalid('cursor is not one this API returned for this query', [{ path: 'cursor', message: 'invalid cursor' }]);
    let pageToken: string | undefined;
    if (f.cursor !== undefined) {
      const token = decodeCursor(f.cursor, query);
      if (token === undefined) throw invalidCursor();
      pageToken = base64url(token);
    }
    const res = await this.temporal.listWorkflows({ query, pageSize: f.limit, ...(pageToken !== undefined ? { pageToken } : {}) }).catch((err: unknown) => {
      if (f.cursor !== undefined && err instanceof TemporalError && err.kind === 'invalid-argument') throw invalidCursor();
      throw err;
    });
    // A row is what visibility holds (search attributes and memo): no
    // workflow is asked, so a page costs this one call.
    const jobs = await Promise.all(res.executions.map((i) => this.factsOf(i, false)));
    return { jobs, nextCursor: res.nextPageToken ? encodeCursor(base64ToBytes(res.nextPageToken), query) : null };
  }

  /** Requests cancellation. 'cancelled' also when it was cancelled before; 'ended' when it ended otherwise. */
  async cancel(id: string): Promise<'requested' | 'already-cancelled' | 'ended' | 'not-found'> {
    const d = await this.temporal.describeWorkflow(id);
    if (d === undefined || d.type !== JOB_WORKFLOW_TYPE) return 'not-found';
    const s = d.status;
    if (s === 'CANCELLED' || s === 'TERMINATED') return 'already-cancelled';
    if (s !== 'RUNNING') return 'ended';
    await this.temporal.cancelWorkflow(id);
    return 'requested';
  }

  /**
   * The progress query (workflows/job-messages.ts's progressQuery: name
   * PROGRESS_QUERY, no arguments, a JobProgress), or undefined when it cannot
   * be answered in time (no worker, first task pending).
   */
  async progress(id: string, closed: boolean): Promise<JobProgress | undefined> {
    const cached = this.closed.get(id);
    if (cached) return cached;
    try {
      const p = await this.temporal.queryWorkflow<JobProgress>(id, PROGRESS_QUERY, [], this.options.queryTimeoutMs ?? 10_000);
      if (closed && p.phase === 'terminal') {
        if (this.closed.size >= 1000) this.closed.delete(this.closed.keys().next().value as string);
        this.closed.set(id, p);
      }
      return p;
    } catch {
      return undefined;
    }
  }

  /** `ask`: query the workflow for its progress (a single job); a list row is built from visibility alone. */
  private async factsOf(info: WorkflowSummary, ask: boolean): Promise<JobFacts> {
    const closed = info.status !== 'RUNNING';
    const progress = ask ? await this.progress(info.workflowId, closed) : undefined;
    const memo = info.memo as JobMemo;
    const name = memo.name;
    const searchStatus = info.searchAttributes[jobStatusKey.name];
    const labels = info.searchAttributes[labelsKey.name];
    const batchId = info.searchAttributes[batchIdKey.name];
    return {
      id: info.workflowId,
      progress,
      executionStatus: info.status as ExecutionStatus,
      searchStatus: typeof searchStatus === 'string' ? searchStatus : undefined,
      memo,
      createdAt: info.startTime,
      closedAt: info.closeTime,
      labels: labelsFromKeywords(Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : undefined),
      name: typeof name === 'string' ? name : undefined,
      batchId: typeof batchId === 'string' ? batchId : undefined,
    };
  }
}
