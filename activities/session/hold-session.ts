// holdSession: the long-running activity that is the framework session. It
// subscribes to Mesos (with the framework id kept in its heartbeat details
// and in the session workflow), serves the session task queue while it
// holds the subscription, and heartbeats so that, if this worker dies,
// Temporal runs it again on another worker.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Logger } from '../../common/logger.js';
import type { WorkerConfig } from '../../worker/config.js';
import type { HoldSessionRequest, RouteUpdate, SessionHostActivities, TaskUpdateSignal } from '../contract.js';
import { FRAMEWORK_ID_SIGNAL, TASK_UPDATE_SIGNAL, sessionTaskQueue, sessionWorkflowId } from '../contract.js';
import { FrameworkSession } from './framework-session.js';
import type { SessionSettings } from './session-settings.js';
import { createSessionActivities } from './session-activities.js';
import { createPlaceAndLaunch } from './place-and-launch.js';

export interface HoldSessionDeps {
  connection: NativeConnection;
  client: Client;
  config: WorkerConfig;
  /** The sessions' settings, compiled once by the worker (sessionSettings(config)). */
  settings: SessionSettings;
  logger: Logger;
  /** Live sessions of this process, so that shutdown can end them first. */
  live: Set<FrameworkSession>;
  /** Told about every framework id this process learns (ensureSession answers from it). */
  onFrameworkId?: (frameworkName: string, frameworkId: string) => void;
}

interface HoldDetails {
  frameworkId?: string;
}

export function createHoldSession(deps: HoldSessionDeps): SessionHostActivities {
  const { config, client } = deps;
  return {
    async holdSession(req: HoldSessionRequest): Promise<void> {
      const ctx = Context.current();
      const details = (ctx.info.heartbeatDetails ?? {}) as HoldDetails;
      let frameworkId = details.frameworkId ?? req.frameworkId;
      const log = deps.logger.child({ framework: req.frameworkName, activityAttempt: ctx.info.attempt });
      let signalledId: string | undefined = req.frameworkId;
      // placeAndLaunch records the updates of its open attempts itself
      // (activities/contract.ts); set once those activities exist.
      let routeUpdate: RouteUpdate = () => Promise.resolve('not-mine');
      const session = new FrameworkSession({
        frameworkName: req.frameworkName,
        frameworkId,
        settings: deps.settings,
        logger: log,
        async signalJob(workflowId: string, update: TaskUpdateSignal) {
          if ((await routeUpdate(workflowId, update)) === 'recorded') return 'delivered';
          try {
            await client.workflow.getHandle(workflowId).signal(TASK_UPDATE_SIGNAL, update);
            return 'delivered';
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) return 'not-found';
            throw err;
          }
        },
        async onFrameworkId(id: string) {
          frameworkId = id;
          deps.onFrameworkId?.(req.frameworkName, id);
          ctx.heartbeat({ frameworkId: id } satisfies HoldDetails);
          if (signalledId === id) return;
          await client.workflow.getHandle(sessionWorkflowId(req.frameworkName)).signal(FRAMEWORK_ID_SIGNAL, id);
          signalledId = id;
        },
      });
      const attempts = createPlaceAndLaunch(session, { client, log, stats: session.stats });
      routeUpdate = attempts.routeUpdate;
      deps.live.add(session);
      const every = Math.max(200, Math.floor((ctx.info.heartbeatTimeoutMs ?? 20_000) / 4));
      const beat = setInterval(() => ctx.heartbeat({ ...(frameworkId ? { frameworkId } : {}) } satisfies HoldDetails), every);
      const abort = new AbortController();
      const onCancel = () => abort.abort();
      ctx.cancellationSignal.addEventListener('abort', onCancel);
      let worker: Worker | undefined;
      try {
        worker = await Worker.create({
          connection: deps.connection,
          namespace: config.temporalNamespace,
          taskQueue: sessionTaskQueue(req.frameworkName),
          activities: { ...createSessionActivities(session), ...attempts.activities },
          // awaitOffer holds its slot while the job waits: the limit must stay
          // far above the number of waiting jobs, or launches would starve.
          maxConcurrentActivityTaskExecutions: 100_000,
          shutdownGraceTime: '2s',
        });
        const running = worker.run();
        log.info('holding the framework session', { frameworkId, taskQueue: sessionTaskQueue(req.frameworkName) });
        const ended = await Promise.race([
          session.run(abort.signal).then(() => 'session' as const),
          running.then(() => 'worker' as const),
        ]);
        log.info('framework session ending', { ended, cancelled: ctx.cancellationSignal.aborted });
      } finally {
        clearInterval(beat);
        ctx.cancellationSignal.removeEventListener('abort', onCancel);
        abort.abort();
        deps.live.delete(session);
        await session.close();
        if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      }
      // Never "complete": the session workflow (or Temporal's retry) starts it again wherever a worker is.
      throw new Error(`framework session of ${req.frameworkName} ended here`);
    },
  };
}
