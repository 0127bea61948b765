// /healthz (the process answers), /readyz (Temporal reachable, the
// framework session held by a live worker and, with MESOS_MASTER=zk://,
// a leader known from ZooKeeper), /metrics (Prometheus).
import type { Hono } from 'hono';
import { FRAMEWORK_ID_QUERY, sessionWorkflowId } from '../../activities/contract.js';
import { jobStatuses } from '../../workflows/job-status.js';
import type { ApiContext } from '../context.js';
import { listQuery } from '../job-service.js';
import { renderFamily, type Sample } from '../metrics.js';

interface Check {
  ok: boolean;
  detail: string;
  frameworkId?: string;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });

async function temporalCheck(ctx: ApiContext): Promise<Check> {
  try {
    await ctx.deps.temporal.checkReachable(3000);
    return { ok: true, detail: 'reachable' };
  } catch (err) {
    return { ok: false, detail: `unreachable: ${(err as Error).message}` };
  }
}

/**
 * The session is live when its workflow runs and its holdSession activity
 * has been picked up by a worker (started, heartbeating). A framework id
 * proves the subscription succeeded at least once.
 */
async function sessionCheck(ctx: ApiContext): Promise<Check> {
  const id = sessionWorkflowId(ctx.deps.frameworkName);
  try {
    const d = await withTimeout(ctx.deps.temporal.describeWorkflow(id), 3000, 'describe session');
    if (d === undefined) return { ok: false, detail: `session not found or not answering: no workflow ${id}` };
    if (d.status !== 'RUNNING') return { ok: false, detail: `session workflow is ${d.status}` };
    const hold = d.pendingActivities.find((a) => a.type === 'holdSession');
    if (!hold || !hold.started) {
      return { ok: false, detail: 'no worker holds the framework session' };
    }
    const frameworkId = await ctx.deps.temporal.queryWorkflow<string | undefined>(id, FRAMEWORK_ID_QUERY, [], 3000).catch(() => undefined);
    if (!frameworkId) return { ok: false, detail: 'the framework has not subscribed yet' };
    return { ok: true, detail: 'held by a worker', frameworkId };
  } catch (err) {
    return { ok: false, detail: `session not found or not answering: ${(err as Error).message}` };
  }
}

/**
 * With MESOS_MASTER=zk://…: whether ZooKeeper names a leading master. A
 * problem while a leader is still known (ZooKeeper briefly away) is shown
 * but does not make the process unready: the session keeps its master.
 */
function mesosLeaderCheck(ctx: ApiContext): Check | undefined {
  const detector = ctx.deps.leaderDetector;
  if (detector === undefined) return undefined;
  const s = detector.status();
  if (s.leader === undefined) return { ok: false, detail: `no leading Mesos master known from ${s.source}: ${s.problem ?? 'not detected yet'}` };
  return { ok: true, detail: s.problem === undefined ? `leader ${s.leader} (from ${s.source})` : `leader ${s.leader} (from ${s.source}); ${s.problem}` };
}

export function registerHealthRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const t = await temporalCheck(ctx);
    const s = t.ok ? await sessionCheck(ctx) : { ok: false, detail: 'Temporal unreachable' };
    const m = mesosLeaderCheck(ctx);
    const ready = t.ok && s.ok && (m?.ok ?? true);
    return c.json({ status: ready ? 'ready' : 'not-ready', checks: { temporal: t, session: s, ...(m ? { mesosLeader: m } : {}) } }, ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const byStatus: Sample[] = [];
    let up = 1;
    try {
      const counts = await withTimeout(
        // The API's own statuses, counted with the list's exact filters.
        Promise.all(jobStatuses.map((s) => ctx.deps.temporal.countWorkflows(listQuery(ctx.deps.frameworkName, { status: s, labels: [] })))),
        5000,
        'Temporal visibility',
      );
      jobStatuses.forEach((s, i) => byStatus.push({ labels: { status: s }, value: counts[i] ?? 0 }));
    } catch {
      up = 0;
    }
    const families = [
      renderFamily('mesoflow_temporal_visibility_up', 'gauge', 'Whether the job counts could be read from Temporal', [{ value: up }]),
      renderFamily('mesoflow_jobs', 'gauge', 'Jobs of this framework by status (the MesoflowJobStatus search attribute)', byStatus),
      renderFamily('mesoflow_api_jobs_submitted_total', 'counter', 'Jobs created through this API process', [{ value: ctx.metrics.submitted }]),
      ctx.metrics.submitToRunning.render(),
    ];
    const stats = ctx.deps.sessionStats?.();
    if (stats) {
      const counter = (name: string, key: string, help: string) => (key in stats ? renderFamily(name, 'counter', help, [{ value: stats[key] ?? 0 }]) : '');
      const more = [
        counter('mesoflow_offers_received_total', 'offers', 'Offers received by the framework session in this process'),
        counter('mesoflow_offers_declined_total', 'declines', 'Offers declined by the framework session in this process'),
        counter('mesoflow_offers_used_total', 'accepts', 'ACCEPT calls (offers used) by the framework session in this process'),
        counter('mesoflow_tasks_launched_total', 'launches', 'Tasks launched by the framework session in this process'),
        counter('mesoflow_status_updates_total', 'updates', 'Status updates received by the framework session in this process'),
      ];
      families.push(...more.filter((f) => f !== ''));
    }
    return c.text(families.join('\n') + '\n', 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
