// The worker process, programmatically: one Temporal worker on the general
// task queue running the job and session workflows and the activities any
// worker may run (ensureSession, holdSession). Whichever worker runs
// holdSession also serves the session task queue while it holds the
// subscription (activities/session/hold-session.ts).
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import { createLogger, type Logger } from '../common/logger.js';
import { createGeneralActivities, startSessionWorkflow } from '../activities/ensure-session.js';
import { createHoldSession } from '../activities/session/hold-session.js';
import { sessionSettings } from '../activities/session/session-settings.js';
import type { FrameworkSession } from '../activities/session/framework-session.js';
import { redactCredentials } from '../config/load.js';
import { describeConnection, TemporalConnectError } from '../config/temporal-connection.js';
import { compileWorkerConfig, type WorkerConfig, type WorkerConfigInput } from './config.js';

import { workflowBundlePath } from './workflow-bundle.js';
import { applyHeapGrowth } from './heap-growth.js';

// Where the bundle comes from (never webpack in this process): workflow-bundle.ts.
export { workflowBundle, workflowBundlePath, workflowsPath } from './workflow-bundle.js';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    // The SDK logs every failed job and every ended session as a warning;
    // those are outcomes here, not problems.
    const level = process.env.MESOFLOW_TEMPORAL_LOG_LEVEL;
    // No shutdownSignals: the process's own handler (common/shutdown-signals.ts)
    // decides the order (session first, then the workers) and what a repeated
    // signal means.
    Runtime.install({ logger: new DefaultLogger(level === 'DEBUG' || level === 'INFO' || level === 'WARN' ? level : 'ERROR'), shutdownSignals: [] });
  } catch {
    // Already installed by the host (e.g. another Worker was created first).
  }
}

/**
 * Workflow-task settings of the worker (the jobs benchmark gives its bare
 * baseline worker the same). New jobs arrive on the normal queue while
 * running ones are served from sticky queues: poll both alike.
 */
export const workflowWorkerTuning = {
  maxConcurrentWorkflowTaskExecutions: 100,
  maxConcurrentWorkflowTaskPolls: 20,
  nonStickyToStickyPollRatio: 1,
} as const;

export interface RunningWorker {
  config: WorkerConfig;
  client: Client;
  /** Resolves when the worker stopped (after stop(), or on a fatal error, which it rejects with). */
  done: Promise<void>;
  /** Sessions this process currently holds (tests read their stats). */
  sessions: ReadonlySet<FrameworkSession>;
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  logger?: Logger;
}

export async function startWorker(input: WorkerConfigInput | WorkerConfig, options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const config = compileWorkerConfig(input);
  const logger = (options.logger ?? createLogger()).child({ component: 'worker', taskQueue: config.taskQueue });
  quietRuntime();
  // Before the workflow thread starts: the flag applies to its isolate too.
  applyHeapGrowth(config.heapGrowingPercent);
  const connectionOptions = { ...config.temporalConnection, address: config.temporalAddress };
  const target = { describe: describeConnection(connectionOptions) };
  const nativeConnection = await NativeConnection.connect(connectionOptions).catch((err: unknown) => {
    throw new TemporalConnectError(config.temporalAddress, target, err);
  });
  // The worker's own client calls (every open placeAndLaunch's heartbeats and
  // completion, the session's update signals) go through the same native
  // connection as its pollers: one connection, and no gRPC stack in
  // JavaScript on the path of every job.
  const client = new Client({ connection: nativeConnection, namespace: config.temporalNamespace });
  const live = new Set<FrameworkSession>();
  const frameworkIds = new Map<string, string>();
  const ensureDeps = {
    client,
    taskQueue: config.taskQueue,
    heartbeatTimeoutSeconds: config.sessionHeartbeatTimeoutSeconds,
    knownFrameworkId: (name: string) => frameworkIds.get(name),
  };
  const activities = {
    ...createGeneralActivities(ensureDeps),
    ...(config.hostSession
      ? createHoldSession({ connection: nativeConnection, client, config, settings: sessionSettings(config), logger, live, onFrameworkId: (n, id) => frameworkIds.set(n, id) })
      : {}),
  };
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    workflowBundle: { codePath: await workflowBundlePath() },
    activities,
    maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
    maxCachedWorkflows: config.maxCachedWorkflows,
    ...workflowWorkerTuning,
    // Activities still running this long after stop() are cancelled (and retried elsewhere).
    shutdownGraceTime: `${config.shutdownGraceSeconds}s`,
  });
  const done = worker.run();
  // The session exists from the start, not only once the first job arrives.
  // A Temporal that is slow or restarting must not kill the worker here (the
  // fault suite saw restarted workers exit on "Failed to start Workflow"):
  // the keeper below and every job's ensureSession start it later.
  await startSessionWorkflow(ensureDeps, config.frameworkName).catch((err: unknown) =>
    logger.warn('could not start the session workflow yet; retrying every 30 s', { err, framework: config.frameworkName }),
  );
  // Should the session workflow be terminated by hand, running jobs must not
  // wait for the next job to start it again.
  const keeper = setInterval(() => {
    startSessionWorkflow(ensureDeps, config.frameworkName).catch((err: unknown) => logger.warn('could not ensure the session workflow', { err }));
  }, 30_000);
  keeper.unref();
  logger.info('worker started', { framework: config.frameworkName, masters: config.masters.map(redactCredentials) });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(keeper);
      // End the subscription first so that another worker can take it over at once.
      await Promise.all([...live].map((s) => s.close()));
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done.catch((err: unknown) => logger.error('worker ended with an error', { err }));
      await nativeConnection.close().catch(() => undefined);
      logger.info('worker stopped');
    })();
    return stopping;
  };
  return { config, client, done, sessions: live, stop };
}
