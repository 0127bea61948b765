// /v1/batches: submit (idempotent by id, like jobs), read, list, the jobs
// of a batch, cancel, and an SSE stream of its progress.
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { parseBatchSpec } from '../../workflows/batch-spec.js';
import { BatchService, skippedJobsOf } from '../batch-service.js';
import { batchIdSchema, listBatchJobsQuerySchema, listBatchesQuerySchema, type ApiBatch } from '../batch-schemas.js';
import type { ApiContext } from '../context.js';
import { problems, sendProblem, type FieldError } from '../problem.js';
import { fieldErrors, readJsonBody } from './jobs.js';
import { streamPolledEvents } from './polled-events.js';

/** Batches carry parameter lists: a larger body than a job's. */
export const BATCH_BODY_LIMIT = 1024 * 1024;

function batchIdParam(raw: string): string {
  if (!batchIdSchema.safeParse(raw).success) throw problems.notFound(`no batch with id ${raw}`);
  return raw;
}

function queryObject(c: { req: { queries(): Record<string, string[]> } }, multi: string[] = []): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.req.queries())) q[k] = multi.includes(k) ? v : v.length === 1 ? v[0] : v;
  return q;
}

/** What a change of the batch looks like to an event stream: a new key, a new event. */
export function batchChangeKey(b: ApiBatch): string {
  const c = b.counts;
  return [b.status, c ? [c.PENDING, c.RUNNING, c.SUCCEEDED, c.FAILED, c.TIMED_OUT, c.CANCELLED, c.SKIPPED].join(',') : 'unknown', b.stopReason ?? ''].join('|');
}

export function registerBatchRoutes(app: Hono, ctx: ApiContext): BatchService {
  const service = new BatchService({
    temporal: ctx.deps.temporal,
    frameworkName: ctx.deps.frameworkName,
    taskQueue: ctx.deps.taskQueue,
    tuning: ctx.deps.tuning,
    temporalUiUrl: ctx.deps.temporalUiUrl,
  });
  const limit = Math.max(ctx.deps.bodyLimitBytes ?? 0, BATCH_BODY_LIMIT);

  app.post(
    '/v1/batches',
    bodyLimit({ maxSize: limit, onError: (c) => sendProblem(c, problems.tooLarge(limit)) }),
    async (c) => {
      const body = await readJsonBody(c.req);
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw problems.invalid('the batch spec is not valid', [{ path: '(root)', message: 'expected an object' }]);
      }
      const { id, ...rest } = body as Record<string, unknown>;
      const errors: FieldError[] = [];
      if (id !== undefined) {
        const pid = batchIdSchema.safeParse(id);
        if (!pid.success) errors.push(...fieldErrors(pid.error).map((e) => ({ ...e, path: e.path === '(root)' ? 'id' : `id.${e.path}` })));
      }
      const parsed = parseBatchSpec(rest);
      if (!parsed.ok) errors.push(...parsed.issues);
      if (errors.length > 0 || !parsed.ok) throw problems.invalid('the batch spec is not valid', errors);
      const r = await service.create(parsed.spec, id as string | undefined);
      c.header('Location', r.batch.links.self);
      return c.json(r.batch, r.created ? 201 : 200);
    },
  );

  app.get('/v1/batches', async (c) => {
    const parsed = listBatchesQuerySchema.safeParse(queryObject(c, ['label']));
    if (!parsed.success) throw problems.invalid('the query is not valid', fieldErrors(parsed.error));
    const { status, label, limit: pageSize, cursor } = parsed.data;
    const labels = label === undefined ? [] : Array.isArray(label) ? label : [label];
    return c.json(await service.list({ status, labels, limit: pageSize, cursor }));
  });

  app.get('/v1/batches/:id', async (c) => {
    const id = batchIdParam(c.req.param('id'));
    const b = await service.get(id);
    if (!b) throw problems.notFound(`no batch with id ${id}`);
    return c.json(b);
  });

  app.get('/v1/batches/:id/jobs', async (c) => {
    const id = batchIdParam(c.req.param('id'));
    const parsed = listBatchJobsQuerySchema.safeParse(queryObject(c));
    if (!parsed.success) throw problems.invalid('the query is not valid', fieldErrors(parsed.error));
    const { status, limit: pageSize, cursor } = parsed.data;
    const b = await service.get(id);
    if (!b) throw problems.notFound(`no batch with id ${id}`);
    if (status === 'SKIPPED') {
      // Never-started jobs have no workflow: they come from the batch's own counts.
      const offset = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isSafeInteger(offset) || offset < 0) throw problems.invalid('cursor is not one this API returned', [{ path: 'cursor', message: 'invalid cursor' }]);
      const page = skippedJobsOf({ batchId: id, nodes: b.nodes }, offset, pageSize);
      return c.json({ jobs: [], skipped: page.jobs, nextCursor: page.more ? String(offset + page.jobs.length) : null });
    }
    const page = await ctx.service.list({ labels: [], batchId: id, limit: pageSize, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) });
    return c.json({ jobs: page.jobs.map((f) => ctx.view(f)), skipped: [], nextCursor: page.nextCursor });
  });

  app.post('/v1/batches/:id/cancel', async (c) => {
    const id = batchIdParam(c.req.param('id'));
    const r = await service.cancel(id);
    if (r === 'not-found') throw problems.notFound(`no batch with id ${id}`);
    if (r === 'ended') throw problems.conflict(`batch ${id} has already ended`);
    return c.json({ id, cancel: r === 'requested' ? 'requested' : 'already-cancelled' }, 202);
  });

  app.get('/v1/batches/:id/events', async (c) => {
    const id = batchIdParam(c.req.param('id'));
    const first = await service.get(id);
    if (!first) throw problems.notFound(`no batch with id ${id}`);
    let closedPolls = 0;
    return streamPolledEvents(c, {
      event: 'batch',
      first,
      pollMs: ctx.deps.eventPollMs ?? 500,
      maxMs: ctx.deps.eventStreamMaxMs,
      view: (batch: ApiBatch) => batch,
      changeKey: batchChangeKey,
      // Final once the workflow's own answer says so (counts final); a
      // closed batch whose workflow cannot be asked ends the stream too.
      isFinal: (batch) => batch.status !== 'RUNNING' && (batch.counts !== null || ++closedPolls > 20),
      read: () => service.get(id),
      onReadError: (err) => ctx.logger.warn('batch events: reading the batch failed', { batchId: id, err }),
    });
  });

  return service;
}
