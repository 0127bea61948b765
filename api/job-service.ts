// The API's view of jobs in Temporal: start (idempotent by id), read,
// list through visibility, cancel. A job is a jobWorkflow; its spec's hash
// is kept in the memo so that a resubmission can be compared to it.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { PROGRESS_QUERY } from '../activities/contract.js';
import type { JobSpec } from '../workflows/job-spec.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { JOB_WORKFLOW_TYPE, jobStartOptions } from '../workflows/job-start.js';
import { specHash as hashOf } from '../workflows/spec-hash.js';
import type { JobProgress } from '../workflows/progress.js';
import { batchIdKey, frameworkKey, jobStatusKey, labelsKey } from '../workflows/search-attribute-keys.js';
import { newJobId } from '../worker/job-client.js';
import type { ExecutionStatus, JobFacts } from './job-view.js';
import { apiStatus, labelsFromKeywords } from './job-view.js';
import { summaryFromRaw, type ExecutionSummary } from './execution-summary.js';
import { decodeCursor, encodeCursor } from './cursor.js';
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
  const parts = [`WorkflowType = ${quote(JOB_WORKFLOW_TYPE)}`, `${frameworkKey.name} = ${quote(frameworkName)}`];
  if (f.status !== undefined) {
    const ss = searchStatusesFor(f.status);
    parts.push(ss.length === 1 ? `${jobStatusKey.name} = ${quote(ss[0] as string)}` : `${jobStatusKey.name} IN (${ss.map(quote).join(', ')})`);
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
          searchStatus: 'WAITING',
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
    return { created: false, facts: await this.factsOf(existing.info) };
  }

  /** The job's facts, or undefined when no job has this id. */
  async get(id: string): Promise<JobFacts | undefined> {
    const d = await this.describe(id);
    if (d === undefined || d.info.type !== JOB_WORKFLOW_TYPE) return undefined;
    return this.factsOf(d.info);
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
    const infos = (res.executions ?? []).map((raw) => summaryFromRaw(raw, converter));
    // Each item asks its workflow for progress (a replay for a closed one, once):
    // a few at a time, so that a long page does not flood the workers.
    let jobs = await mapLimit(infos, 8, (i) => this.factsOf(i));
    if (f.status !== undefined) jobs = jobs.filter((j) => apiStatus(j.progress, j.executionStatus, j.searchStatus) === f.status);
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
        this.client.workflow.getHandle(id).query<JobProgress>(PROGRESS_QUERY),
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

  private async describe(id: string): Promise<{ info: ExecutionSummary } | undefined> {
    try {
      return { info: await this.client.workflow.getHandle(id).describe() };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  private async factsOf(info: ExecutionSummary): Promise<JobFacts> {
    const closed = info.status.name !== 'RUNNING';
    const progress = await this.progress(info.workflowId, closed);
    const name = info.memo?.name;
    return {
      id: info.workflowId,
      progress,
      executionStatus: info.status.name as ExecutionStatus,
      searchStatus: info.typedSearchAttributes.get(jobStatusKey),
      createdAt: info.startTime,
      closedAt: info.closeTime,
      labels: labelsFromKeywords(info.typedSearchAttributes.get(labelsKey)),
      name: typeof name === 'string' ? name : undefined,
      batchId: info.typedSearchAttributes.get(batchIdKey),
    };
  }
}
