// /v1/schedules: create, read, list, change (spec, action, pause/unpause),
// trigger, backfill, delete. Each is a Temporal Schedule (schedule-service.ts).
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { BATCH_WORKFLOW_TYPE } from '../../workflows/job-start.js';
import { BatchService } from '../batch-service.js';
import type { ApiContext } from '../context.js';
import { problems, sendProblem } from '../problem.js';
import {
  backfillRequestSchema,
  createScheduleRequestSchema,
  listSchedulesQuerySchema,
  scheduleIdSchema,
  triggerRequestSchema,
  updateScheduleRequestSchema,
} from '../schedule-schemas.js';
import { ScheduleService } from '../schedule-service.js';
import type { ScheduleDescription } from '../temporal/access.js';
import { scheduleLink, upcoming, scheduleView, type RunFacts } from '../schedule-view.js';
import { DEFAULT_BODY_LIMIT, fieldErrors, readJsonBody } from './jobs.js';
import type { z } from 'zod';

function scheduleIdParam(raw: string): string {
  if (!scheduleIdSchema.safeParse(raw).success) throw problems.notFound(`no schedule with id ${raw}`);
  return raw;
}

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw problems.invalid(`the ${what} is not valid`, fieldErrors(r.error));
  return r.data;
}

export function registerScheduleRoutes(app: Hono, ctx: ApiContext): void {
  const { deps } = ctx;
  const service = new ScheduleService({
    temporal: deps.temporal,
    frameworkName: deps.frameworkName,
    taskQueue: deps.taskQueue,
    ...(deps.tuning ? { tuning: deps.tuning } : {}),
  });
  const batches = new BatchService({
    temporal: deps.temporal,
    frameworkName: deps.frameworkName,
    taskQueue: deps.taskQueue,
    tuning: deps.tuning,
    temporalUiUrl: deps.temporalUiUrl,
  });
  const limit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const limited = bodyLimit({ maxSize: limit, onError: (c) => sendProblem(c, problems.tooLarge(limit)) });

  /** How each recent run stands: the status /v1/jobs or /v1/batches shows for it. */
  async function runFacts(d: ScheduleDescription): Promise<Map<string, RunFacts>> {
    const out = new Map<string, RunFacts>();
    await Promise.all(
      d.info.recentActions.map(async (a) => {
        const id = a.workflowId;
        const job = await ctx.service.get(id).catch(() => undefined);
        if (job) {
          out.set(id, { kind: 'job', status: ctx.view(job).status });
          return;
        }
        const batch = await batches.get(id).catch(() => undefined);
        if (batch) {
          out.set(id, { kind: 'batch', status: batch.status });
          return;
        }
        // Neither (yet): what Temporal says of the workflow.
        const wf = await service.workflowType(id).catch(() => undefined);
        if (wf) out.set(id, { kind: wf.type === BATCH_WORKFLOW_TYPE ? 'batch' : 'job', status: wf.status });
      }),
    );
    return out;
  }
  const view = async (d: ScheduleDescription) => scheduleView(d, { temporalUiUrl: deps.temporalUiUrl, namespace: deps.namespace, runs: await runFacts(d) });
  /** Body of a POST that may be empty. */
  const optionalBody = async (req: Parameters<typeof readJsonBody>[0] & { header(n: string): string | undefined }) =>
    (req.header('content-length') ?? '0') === '0' && req.header('transfer-encoding') === undefined ? {} : readJsonBody(req);

  app.post('/v1/schedules', limited, async (c) => {
    const req = parse(createScheduleRequestSchema, await readJsonBody(c.req), 'schedule');
    const d = await service.create(req);
    c.header('Location', scheduleLink(d.scheduleId));
    return c.json(await view(d), 201);
  });

  app.get('/v1/schedules', async (c) => {
    // A repeated parameter stays an array, so `?limit=1&limit=2` is a 400 rather than its first value.
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.req.queries())) raw[k] = v.length === 1 ? v[0] : v;
    const q = parse(listSchedulesQuerySchema, raw, 'query');
    const page = await service.list(q.limit, q.cursor);
    return c.json({
      schedules: page.ids.map((s) => ({ id: s.id, paused: s.paused, note: s.note, nextRuns: upcoming(s.nextRuns, new Date()), links: { self: scheduleLink(s.id) } })),
      nextCursor: page.nextCursor,
    });
  });

  app.get('/v1/schedules/:id', async (c) => c.json(await view(await service.describe(scheduleIdParam(c.req.param('id'))))));

  app.patch('/v1/schedules/:id', limited, async (c) => {
    const id = scheduleIdParam(c.req.param('id'));
    const u = parse(updateScheduleRequestSchema, await readJsonBody(c.req), 'change');
    return c.json(await view(await service.update(id, u)));
  });

  app.post('/v1/schedules/:id/trigger', limited, async (c) => {
    const id = scheduleIdParam(c.req.param('id'));
    const t = parse(triggerRequestSchema, await optionalBody(c.req), 'trigger request');
    await service.trigger(id, t.overlap);
    return c.json({ id, triggered: true, overlap: t.overlap ?? 'allow-all' }, 202);
  });

  app.post('/v1/schedules/:id/backfill', limited, async (c) => {
    const id = scheduleIdParam(c.req.param('id'));
    const b = parse(backfillRequestSchema, await readJsonBody(c.req), 'backfill request');
    const r = await service.backfill(id, b);
    return c.json({ id, overlap: b.overlap ?? 'allow-all', ...r }, 202);
  });

  app.delete('/v1/schedules/:id', async (c) => {
    const id = scheduleIdParam(c.req.param('id'));
    await service.delete(id);
    return c.body(null, 204);
  });
}
