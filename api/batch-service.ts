// The API's view of batches in Temporal: start (idempotent by id, like
// jobs), read (the batch workflow's progress query, with visibility as the
// fallback), list through visibility, cancel. The jobs of a batch are listed
// through the MesoflowBatchId search attribute by the JobService; the jobs it
// never started (SKIPPED) from the batch's progress. Temporal is reached
// through TemporalAccess (gRPC on Node, HTTP at the edge): no Node built-ins.
import { decodeCursor, encodeCursor } from './cursor.js';
import type { BatchSpec } from '../workflows/batch-spec.js';
import { BATCH_PROGRESS_QUERY, type BatchProgress } from '../workflows/batch-progress.js';
import { BATCH_WORKFLOW_TYPE, batchStartOptions } from '../workflows/job-start.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { frameworkKey, labelsKey } from '../workflows/search-attribute-keys.js';
import { specHash } from '../workflows/spec-hash.js';
import type { ApiBatch, ApiBatchStatus, ApiSkippedJob } from './batch-schemas.js';
import { quote, searchAttributeEntries } from './job-service.js';
import { labelsFromKeywords } from './job-view.js';
import { problems } from './problem.js';
import { base64ToBytes, base64url } from './temporal/payload-json.js';
import { TemporalError, type TemporalAccess, type WorkflowSummary } from './temporal/access.js';

export interface BatchServiceOptions {
  temporal: TemporalAccess;
  frameworkName: string;
  taskQueue: string;
  tuning?: Partial<JobTuning> | undefined;
  queryTimeoutMs?: number;
  temporalUiUrl?: string | undefined;
}

type Summary = WorkflowSummary;

/** Temporal execution status of each batch status (visibility filter). */
const EXECUTION_STATUSES: Record<ApiBatchStatus, string[]> = {
  RUNNING: ['Running'],
  SUCCEEDED: ['Completed'],
  FAILED: ['Failed', 'TimedOut'],
  CANCELLED: ['Canceled', 'Terminated'],
};

function statusOfExecution(s: string): ApiBatchStatus {
  switch (s) {
    case 'COMPLETED':
      return 'SUCCEEDED';
    case 'FAILED':
    case 'TIMED_OUT':
      return 'FAILED';
    case 'CANCELLED':
    case 'TERMINATED':
      return 'CANCELLED';
    default:
      return 'RUNNING';
  }
}

export function newBatchId(): string {
  return `batch-${crypto.randomUUID()}`;
}

/** Most job ids a batch view lists inline. */
export const INLINE_JOB_IDS = 1000;

/** Job ids in submission order, from the progress's nodes (ids are derived, not stored). */
export function jobIdsOf(p: Pick<BatchProgress, 'nodes'>, limit = INLINE_JOB_IDS): string[] {
  const out: string[] = [];
  for (const n of p.nodes) {
    for (let i = 0; i < n.count && out.length < limit; i++) out.push(n.array ? `${n.jobIdPrefix}${i}` : n.jobIdPrefix);
    if (out.length >= limit) break;
  }
  return out;
}

/** The never-started jobs (from `offset`, at most `limit`) and whether more follow. */
export function skippedJobsOf(p: Pick<BatchProgress, 'nodes' | 'batchId'>, offset: number, limit: number): { jobs: ApiSkippedJob[]; more: boolean } {
  const jobs: ApiSkippedJob[] = [];
  let seen = 0;
  for (const n of p.nodes) {
    if (n.skipped === 0) continue;
    for (let i = n.count - n.skipped; i < n.count; i++, seen++) {
      if (seen < offset) continue;
      if (jobs.length >= limit) return { jobs, more: true };
      jobs.push({ id: n.array ? `${n.jobIdPrefix}${i}` : n.jobIdPrefix, batchId: p.batchId, node: n.name, index: i, status: 'SKIPPED', reason: n.skipReason ?? 'skipped' });
    }
  }
  return { jobs, more: false };
}

export class BatchService {
  private readonly temporal: TemporalAccess;
  private readonly closed = new Map<string, BatchProgress>();

  constructor(readonly options: BatchServiceOptions) {
    this.temporal = options.temporal;
  }

  async create(spec: BatchSpec, id: string | undefined): Promise<{ created: boolean; batch: ApiBatch }> {
    const batchId = id ?? newBatchId();
    const { workflowType, typedSearchAttributes, workflowIdReusePolicy, ...start } = batchStartOptions({
      batchId,
      spec,
      frameworkName: this.options.frameworkName,
      taskQueue: this.options.taskQueue,
      tuning: this.options.tuning,
    });
    const started = await this.temporal.startWorkflow({
      ...start,
      workflowType,
      searchAttributes: searchAttributeEntries(typedSearchAttributes),
      idReusePolicy: workflowIdReusePolicy,
    });
    if (started.started) {
      const now = new Date().toISOString();
      return {
        created: true,
        batch: this.view({ workflowId: batchId, status: 'RUNNING', memo: start.memo, labels: spec.labels, startTime: now, closeTime: null }, undefined, spec),
      };
    }
    const existing = await this.temporal.describeWorkflow(batchId);
    if (existing === undefined) throw problems.conflict(`the id ${batchId} is taken`);
    if (existing.type !== BATCH_WORKFLOW_TYPE || existing.memo.specHash !== specHash(spec)) {
      throw problems.conflict(`a batch with id ${batchId} exists with a different spec`);
    }
    return { created: false, batch: await this.viewOf(existing) };
  }

  async get(id: string): Promise<ApiBatch | undefined> {
    const d = await this.temporal.describeWorkflow(id);
    if (d === undefined || d.type !== BATCH_WORKFLOW_TYPE) return undefined;
    return this.viewOf(d);
  }

  /** The batch's progress query; undefined when it cannot be answered in time. */
  async progress(id: string, closed: boolean): Promise<BatchProgress | undefined> {
    const cached = this.closed.get(id);
    if (cached) return cached;
    try {
      const p = await this.temporal.queryWorkflow<BatchProgress>(id, BATCH_PROGRESS_QUERY, [], this.options.queryTimeoutMs ?? 10_000);
      if (closed && p.status !== 'RUNNING') {
        if (this.closed.size >= 200) this.closed.delete(this.closed.keys().next().value as string);
        this.closed.set(id, p);
      }
      return p;
    } catch {
      return undefined;
    }
  }

  async list(f: { status?: ApiBatchStatus | undefined; labels: string[]; limit: number; cursor?: string | undefined }): Promise<{ batches: ApiBatch[]; nextCursor: string | null }> {
    const parts = [`WorkflowType = ${quote(BATCH_WORKFLOW_TYPE)}`, `${frameworkKey.name} = ${quote(this.options.frameworkName)}`];
    if (f.status) parts.push(`ExecutionStatus IN (${EXECUTION_STATUSES[f.status].map(quote).join(', ')})`);
    for (const l of f.labels) parts.push(`${labelsKey.name} = ${quote(l)}`);
    const query = parts.join(' AND ');
    const invalidCursor = () => problems.invalid('cursor is not one this API returned', [{ path: 'cursor', message: 'invalid cursor' }]);
    let pageToken: string | undefined;
    if (f.cursor) {
      // A cursor is checked against the query it was handed out for (api/cursor.ts); an empty one is the first page.
      const token = decodeCursor(f.cursor, query);
      if (token === undefined) throw invalidCursor();
      pageToken = base64url(token);
    }
    const res = await this.temporal.listWorkflows({ query, pageSize: f.limit, ...(pageToken !== undefined ? { pageToken } : {}) }).catch((err: unknown) => {
      // Our own token refused (one from before a server restart, say): the cursor's fault, unless Temporal is unreachable (a 503).
      if (pageToken !== undefined && err instanceof TemporalError && err.kind !== 'unavailable' && err.kind !== 'timeout') throw invalidCursor();
      throw err;
    });
    const batches: ApiBatch[] = [];
    // A few at a time: each asks its workflow for progress (a replay when closed).
    for (let i = 0; i < res.executions.length; i += 8) batches.push(...(await Promise.all(res.executions.slice(i, i + 8).map((x) => this.viewOf(x)))));
    return { batches, nextCursor: res.nextPageToken ? encodeCursor(base64ToBytes(res.nextPageToken), query) : null };
  }

  async cancel(id: string): Promise<'requested' | 'already-cancelled' | 'ended' | 'not-found'> {
    const d = await this.temporal.describeWorkflow(id);
    if (d === undefined || d.type !== BATCH_WORKFLOW_TYPE) return 'not-found';
    const s = d.status;
    if (s === 'CANCELLED' || s === 'TERMINATED') return 'already-cancelled';
    if (s !== 'RUNNING') return 'ended';
    await this.temporal.cancelWorkflow(id);
    return 'requested';
  }

  private async viewOf(info: Summary): Promise<ApiBatch> {
    const closed = info.status !== 'RUNNING';
    const p = await this.progress(info.workflowId, closed);
    const labels = info.searchAttributes[labelsKey.name];
    return this.view(
      {
        workflowId: info.workflowId,
        status: info.status,
        memo: info.memo,
        labels: labelsFromKeywords(Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : undefined),
        startTime: info.startTime.toISOString(),
        closeTime: info.closeTime?.toISOString() ?? null,
      },
      p,
    );
  }

  private view(
    x: { workflowId: string; status: string; memo: Record<string, unknown> | undefined; labels: Record<string, string>; startTime: string; closeTime: string | null },
    p: BatchProgress | undefined,
    spec?: BatchSpec,
  ): ApiBatch {
    const self = `/v1/batches/${encodeURIComponent(x.workflowId)}`;
    const ui = this.options.temporalUiUrl;
    const memoName = x.memo?.name;
    // The workflow's own status, unless it closed without reaching its end (terminated).
    const execStatus = statusOfExecution(x.status);
    const status = p && p.status !== 'RUNNING' ? p.status : execStatus;
    return {
      id: x.workflowId,
      name: p?.name ?? (typeof memoName === 'string' ? memoName : null),
      status,
      counts: p?.counts ?? null,
      maxParallel: p?.maxParallel ?? spec?.maxParallel ?? null,
      failurePolicy: p?.failurePolicy ?? spec?.failurePolicy ?? null,
      labels: x.labels,
      nodes: p?.nodes ?? [],
      stopReason: p?.stopReason ?? null,
      jobIds: p ? jobIdsOf(p) : [],
      // The progress knows the first run's start; visibility the latest run's (after continue-as-new).
      createdAt: p?.createdAt ?? x.startTime,
      endedAt: x.closeTime ?? p?.endedAt ?? null,
      continuedAsNew: p?.continuedAsNew ?? 0,
      links: {
        self,
        jobs: `${self}/jobs`,
        events: `${self}/events`,
        temporal: ui ? `${ui.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(this.temporal.namespace)}/workflows/${encodeURIComponent(x.workflowId)}` : null,
      },
    };
  }
}
