// The API's view of jobs in Temporal: start (idempotent by id), read,
// list through visibility, cancel. A job is a jobWorkflow; its spec's hash
// is kept in the memo so that a resubmission can be compared to it.
// Temporal is reached through TemporalAccess (gRPC on Node, HTTP at the
// edge), so this file runs on both: no Node built-ins (Web Crypto for hashes).
import { PROGRESS_QUERY } from '../activities/contract.js';
import type { JobSpec } from '../workflows/job-spec.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { JOB_WORKFLOW_TYPE, jobStartOptions } from '../workflows/job-start.js';
import { specHash as hashOf } from '../workflows/spec-hash.js';
import type { JobProgress } from '../workflows/progress.js';
import type { ExecutionStatus, JobFacts } from './job-view.js';
import { apiStatus, labelsFromKeywords } from './job-view.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { base64ToBytes, base64url } from './temporal/payload-json.js';
import type { ApiJobStatus } from './schemas.js';
import { problems } from './problem.js';
import { TemporalError, type SearchAttributeEntry, type SearchAttributeType, type TemporalAccess, type WorkflowSummary } from './temporal/access.js';

/** The search attributes of job workflows (workflows/search-attributes.ts registers them). */
export const jobStatusAttr = 'MesoflowJobStatus';
export const labelsAttr = 'MesoflowLabels';
export const frameworkAttr = 'MesoflowFramework';
export const batchIdAttr = 'MesoflowBatchId';

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

/** Search-attribute statuses an API status can hide behind (WAITING covers the three waiting phases). */
function searchStatusesFor(s: ApiJobStatus): string[] {
  switch (s) {
    case 'QUEUED':
    case 'WAITING_FOR_OFFER':
      return ['WAITING'];
    case 'LAUNCHING':
      return ['WAITING', 'RUNNING'];
    default:
      return [s];
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export { quote };

export function listQuery(frameworkName: string, f: Pick<ListFilter, 'status' | 'labels' | 'batchId'>): string {
  const parts = [`WorkflowType = ${quote(JOB_WORKFLOW_TYPE)}`, `${frameworkAttr} = ${quote(frameworkName)}`];
  if (f.status !== undefined) {
    const ss = searchStatusesFor(f.status);
    parts.push(ss.length === 1 ? `${jobStatusAttr} = ${quote(ss[0] as string)}` : `${jobStatusAttr} IN (${ss.map(quote).join(', ')})`);
  }
  for (const l of f.labels) parts.push(`${labelsAttr} = ${quote(l)}`);
  if (f.batchId !== undefined) parts.push(`${batchIdAttr} = ${quote(f.batchId)}`);
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
          searchStatus: 'WAITING',
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
    return { created: false, facts: await this.factsOf(existing) };
  }

  /** The job's facts, or undefined when no job has this id. */
  async get(id: string): Promise<JobFacts | undefined> {
    const d = await this.temporal.describeWorkflow(id);
    if (d === undefined || d.type !== JOB_WORKFLOW_TYPE) return undefined;
    return this.factsOf(d);
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
    // Each item asks its workflow for progress (a replay for a closed one, once):
    // a few at a time, so that a long page does not flood the workers.
    let jobs = await mapLimit(res.executions, 8, (i) => this.factsOf(i));
    if (f.status !== undefined) jobs = jobs.filter((j) => apiStatus(j.progress, j.executionStatus, j.searchStatus) === f.status);
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

  /** The progress query, or undefined when it cannot be answered in time (no worker, first task pending). */
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

  private async factsOf(info: WorkflowSummary): Promise<JobFacts> {
    const closed = info.status !== 'RUNNING';
    const progress = await this.progress(info.workflowId, closed);
    const name = info.memo.name;
    const searchStatus = info.searchAttributes[jobStatusAttr];
    const labels = info.searchAttributes[labelsAttr];
    const batchId = info.searchAttributes[batchIdAttr];
    return {
      id: info.workflowId,
      progress,
      executionStatus: info.status as ExecutionStatus,
      searchStatus: typeof searchStatus === 'string' ? searchStatus : undefined,
      createdAt: info.startTime,
      closedAt: info.closeTime,
      labels: labelsFromKeywords(Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : undefined),
      name: typeof name === 'string' ? name : undefined,
      batchId: typeof batchId === 'string' ? batchId : undefined,
    };
  }
}
