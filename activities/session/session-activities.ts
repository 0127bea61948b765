// The activities served on the session task queue by the worker holding the
// subscription: thin adapters from the job workflow to the FrameworkSession.
import { Context } from '@temporalio/activity';
import type { AwaitOfferRequest, AwaitOfferResult, KillRequest, LaunchRequest, LaunchResult, ReconcileRequest, SessionActivities } from '../contract.js';
import type { FrameworkSession } from './framework-session.js';

export function createSessionActivities(session: FrameworkSession): SessionActivities {
  return {
    async awaitOffer(req: AwaitOfferRequest): Promise<AwaitOfferResult> {
      const ctx = Context.current();
      // Heartbeats let the workflow notice a dead session worker and carry the
      // activity's cancellation (the job was cancelled) back to us.
      const every = Math.max(200, Math.floor((ctx.info.heartbeatTimeoutMs ?? 30_000) / 3));
      const timer = setInterval(() => ctx.heartbeat(session.waitingSummary(req.taskId)), every);
      try {
        return await session.awaitOffer(req, ctx.cancellationSignal);
      } finally {
        clearInterval(timer);
      }
    },
    async launchTask(req: LaunchRequest): Promise<LaunchResult> {
      const ctx = Context.current();
      // A launch normally takes a batch window; the heartbeat is what tells
      // the workflow quickly that the session worker died meanwhile.
      const every = Math.max(200, Math.floor((ctx.info.heartbeatTimeoutMs ?? 30_000) / 3));
      const timer = setInterval(() => ctx.heartbeat(), every);
      try {
        return await session.launch(req);
      } finally {
        clearInterval(timer);
      }
    },
    async killTask(req: KillRequest): Promise<void> {
      await session.kill(req);
    },
    async reconcileTask(req: ReconcileRequest): Promise<void> {
      await session.reconcile(req);
    },
  };
}
