// The API's view of batches in Temporal: start (idempotent by id, like
// jobs), read (the batch workflow's progress query, with visibility as the
// fallback), list through visibility, cancel. The jobs of a batch are listed
// through the MesoflowBatchId search attribute by the JobService; the jobs it
// never started (SKIPPED) from the batch's progress.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decodeCursor, encodeCursor } from './cursor.js';
import { summaryFromRaw, type ExecutionSummary } from './execution-summary.js';
import type { BatchSpec } from '../workflows/batch-spec.js';
import { BATCH_PROGRESS_QUERY, type BatchProgress } from '../workflows/batch-progress.js';
import { BATCH_WORKFLOW_TYPE, batchStartOptions } from '../workflows/job-start.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import { frameworkKey, labelsKey } from '../workflows/search-attribute-keys.js';
import { specHash } from '../workflows/spec-hash.js';
import type { ApiBatch, ApiBatchStatus, ApiSkippedJob } from './batch-schemas.js';
import { quote } from './job-service.js';
import { labelsFromKeywords } from './job-view.js';
import { problems } from './problem.js';
import { randomUUID } from 'node:crypto';

export interface BatchServiceOptions {
  client: Client;
  namespace: string;
  frameworkName: string;
  taskQueue: string;
  tuning?: Partial<JobTuning> | undefined;
  queryTimeoutMs?: number;
  temporalUiUrl?: string | undefined;
}

type Summary = ExecutionSummary;

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
  return `batch-${randomUUID()}`;
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
  private readonly client: Client;
  private readonly closed = new Map<string, BatchProgress>();

  constructor(readonly options: BatchServiceOptions) {
    this.client = options.client;
  }

  async create(spec: BatchSpec, id: string | undefined): Promise<{ created: boolean; batch: ApiBatch }> {
    const batchId = id ?? newBatchId();
    const { workflowType, ...start } = batchStartOptions({ batchId, spec, frameworkName: this.options.frameworkName, taskQueue: this.options.taskQueue, tuning: this.options.tuning });
    try {
      await this.client.workflow.start(workflowType, { ...start, workflowIdConflictPolicy: 'FAIL' });
      const now = new Date().toISOString();
      return {
        created: true,
        batch: this.view({ workflowId: batchId, status: 'RUNNING', memo: start.memo, labels: spec.labels, startTime: now, closeTime: null }, undefined, spec),
      };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const existing = await this.describe(batchId);
    if (existing === undefined) throw problems.conflict(`the id ${batchId} is taken`);
    if (existing.type !== BATCH_WORKFLOW_TYPE || existing.memo?.specHash !== specHash(spec)) {
      throw problems.conflict(`a batch with id ${batchId} exists with a different spec`);
    }
    return { created: false, batch: await this.viewOf(existing) };
  }

  async get(id: string): Promise<ApiBatch | undefined> {
    const d = await this.describe(id);
    if (d === undefined || d.type !== BATCH_WORKFLOW_TYPE) return undefined;
    return this.viewOf(d);
  }

  /** The batch's progress query; undefined when it cannot be answered in time. */
  async progress(id: string, closed: boolean): Promise<BatchProgress | undefined> {
    const cached = this.closed.get(id);
    if (cached) return cached;
    try {
      const p = await this.client.withDeadline(Date.now() + (this.options.queryTimeoutMs ?? 10_000), () =>
        this.client.workflow.getHandle(id).query<BatchProgress>(BATCH_PROGRESS_QUERY),
      );
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
    let nextPageToken: Uint8Array | undefined;
    if (f.cursor) {
      // A cursor is checked against the query it was handed out for (api/cursor.ts); an empty one is the first page.
      nextPageToken = decodeCursor(f.cursor, query);
      if (nextPageToken === undefined) throw problems.invalid('cursor is not one this API returned', [{ path: 'cursor', message: 'invalid cursor' }]);
    }
    const res = await this.client.workflowService
      .listWorkflowExecutions({ namespace: this.options.namespace, pageSize: f.limit, query, ...(nextPageToken ? { nextPageToken } : {}) })
      .catch((err: unknown) => {
        if (f.cursor !== undefined && /token|cursor|invalid/i.test(String((err as Error).message))) {
          throw problems.invalid('cursor is not one this API returned', [{ path: 'cursor', message: 'invalid cursor' }]);
        }
        throw err;
      });
    const converter = this.client.options.loadedDataConverter.payloadConverter;
    const infos = (res.executions ?? []).map((raw) => summaryFromRaw(raw, converter));
    const batches: ApiBatch[] = [];
    // A few at a time: each asks its workflow for progress (a replay when closed).
    for (let i = 0; i < infos.length; i += 8) batches.push(...(await Promise.all(infos.slice(i, i + 8).map((x) => this.viewOf(x)))));
    const token = res.nextPageToken;
    return { batches, nextCursor: token && token.length > 0 ? encodeCursor(token, query) : null };
  }

  async cancel(id: string): Promise<'requested' | 'already-cancelled' | 'ended' | 'not-found'> {
    const d = await this.describe(id);
    if (d === undefined || d.type !== BATCH_WORKFLOW_TYPE) return 'not-found';
    const s = d.status.name;
    if (s === 'CANCELLED' || s === 'TERMINATED') return 'already-cancelled';
    if (s !== 'RUNNING') return 'ended';
    await this.client.workflow.getHandle(id).cancel();
    return 'requested';
  }

  private async describe(id: string): Promise<Summary | undefined> {
    try {
      return await this.client.workflow.getHandle(id).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  private async viewOf(info: Summary): Promise<ApiBatch> {
    const closed = info.status.name !== 'RUNNING';
    const p = await this.progress(info.workflowId, closed);
    return this.view(
      {
        workflowId: info.workflowId,
        status: info.status.name,
        memo: info.memo,
        labels: labelsFromKeywords(info.typedSearchAttributes.get(labelsKey)),
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
        temporal: ui ? `${ui.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(this.options.namespace)}/workflows/${encodeURIComponent(x.workflowId)}` : null,
      },
    };
  }
}
