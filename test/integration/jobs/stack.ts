// A real stack for the job tests: the shared Temporal dev server, a fresh
// devcluster on loopback with short intervals, and a worker with its own
// framework name and task queue (so test files never see each other's jobs).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { createLogger, type Logger } from '../../../common/logger.js';
import { startDevCluster, type DevCluster, type DevClusterOptions } from '../../../devcluster/index.js';
import { sessionWorkflowId } from '../../../activities/contract.js';
import { startWorker, type RunningWorker } from '../../../worker/start-worker.js';
import type { WorkerConfigInput } from '../../../worker/config.js';
import { jobProgress, startJob, type StartJobOptions } from '../../../worker/job-client.js';
import type { JobTuning } from '../../../workflows/job-workflow.js';
import type { JobProgress } from '../../../workflows/progress.js';
import { useTemporal, type TestTemporal } from '../../support/temporal.js';
import { resultWithin } from '../../support/wait.js';

export const fastTuning: Partial<JobTuning> = {
  offerPollSeconds: 2,
  reconcileAfterSeconds: 5,
  unreachableBoundSeconds: 5,
  killWaitMarginSeconds: 5,
  sessionActivityHeartbeatSeconds: 4,
};

export interface Stack {
  temporal: TestTemporal;
  cluster: DevCluster;
  /** The in-process worker (undefined with `noWorker`). */
  worker: RunningWorker | undefined;
  client: Client;
  frameworkName: string;
  taskQueue: string;
  workerConfig: WorkerConfigInput;
  logger: Logger;
  start(spec: StartJobOptions['spec'], jobId?: string): Promise<WorkflowHandle>;
  progress(handle: WorkflowHandle): Promise<JobProgress>;
  stop(): Promise<void>;
}

export interface StackOptions {
  cluster?: DevClusterOptions;
  worker?: Partial<WorkerConfigInput>;
  /** Do not start a worker in this process (the test spawns one). */
  noWorker?: boolean;
  logger?: Logger;
  /** The master URLs the worker is given (default: the leader). */
  lateMasters?: (cluster: DevCluster) => string[];
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const logger = options.logger ?? createLogger({ level: process.env.MESOFLOW_LOG_LEVEL === 'debug' ? 'debug' : 'warn' });
  const temporal = await useTemporal();
  const cluster = await startDevCluster({
    agents: 2,
    resources: 'cpus:4;mem:4096;disk:4096;ports:[31000-31999]',
    heartbeatIntervalMs: 1000,
    allocationIntervalMs: 100,
    statusUpdateRetryMs: 500,
    ...options.cluster,
  });
  const frameworkName = `t-${randomUUID().slice(0, 8)}`;
  const taskQueue = `mesoflow-${frameworkName}`;
  const workerConfig: WorkerConfigInput = {
    temporalAddress: temporal.address,
    temporalNamespace: temporal.namespace,
    masters: options.lateMasters ? options.lateMasters(cluster) : [cluster.masterUrl],
    frameworkName,
    taskQueue,
    sessionHeartbeatTimeoutSeconds: 3,
    declineRefuseSeconds: 1,
    leaseTimeoutMs: 2000,
    suppressDelayMs: 300,
    failoverTimeoutSeconds: 600,
    heartbeatMissLimit: 3,
    ...options.worker,
  };
  const worker = options.noWorker ? undefined : await startWorker(workerConfig, { logger });
  const connection = worker ? undefined : await Connection.connect({ address: temporal.address });
  const client = worker?.client ?? new Client({ connection: connection as Connection, namespace: temporal.namespace });
  return {
    temporal,
    cluster,
    worker,
    client,
    frameworkName,
    taskQueue,
    workerConfig,
    logger,
    start: (spec, jobId) => startJob(client, { spec, frameworkName, taskQueue, tuning: fastTuning, ...(jobId ? { jobId } : {}) }),
    progress: (h) => jobProgress(h),
    async stop() {
      await client.workflow.getHandle(sessionWorkflowId(frameworkName)).terminate('test over').catch(() => undefined);
      await worker?.stop();
      await connection?.close();
      await cluster.stop();
      await temporal.release();
    },
  };
}

/** The failure a job ended with (ApplicationFailure type and details), or throws if it succeeded. */
export async function jobFailure(handle: WorkflowHandle): Promise<{ type: string | undefined; details: unknown[] }> {
  try {
    await resultWithin(handle);
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      const cause = err.cause as { type?: string; details?: unknown[] } | undefined;
      return { type: cause?.type, details: cause?.details ?? [] };
    }
    throw err;
  }
  throw new Error('the job succeeded');
}

export interface MasterTask {
  task_id: { value: string };
  state: string;
}

/** Every task the devcluster's master knows (active, completed, unreachable), from the operator API's GET_TASKS. */
export async function masterTasks(stack: Pick<Stack, 'cluster'>): Promise<MasterTask[]> {
  const res = await request(`${stack.cluster.masterUrl}/api/v1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ type: 'GET_TASKS' }),
  });
  const body = (await res.body.json()) as { get_tasks?: { tasks?: MasterTask[]; completed_tasks?: MasterTask[]; unreachable_tasks?: MasterTask[] } };
  const t = body.get_tasks ?? {};
  return [...(t.tasks ?? []), ...(t.completed_tasks ?? []), ...(t.unreachable_tasks ?? [])];
}

/**
 * Checks, for each job, that the master knows exactly one task per attempt
 * the job launched, and no other task with the job's prefix: no attempt ran
 * twice, and no task ran that the job does not know about. Returns the
 * master's tasks of each job.
 */
export async function assertOneTaskPerAttempt(stack: Stack, handles: readonly WorkflowHandle[]): Promise<MasterTask[][]> {
  const tasks = await masterTasks(stack);
  const out: MasterTask[][] = [];
  for (const h of handles) {
    const progress = await stack.progress(h);
    const mine = tasks.filter((x) => x.task_id.value.startsWith(`${h.workflowId}.`));
    const ids = mine.map((x) => x.task_id.value);
    assert.equal(new Set(ids).size, ids.length, `one task per attempt for ${h.workflowId}: ${ids.join(',')}`);
    const launched = progress.attempts.filter((x) => x.agentId !== undefined).map((x) => x.taskId);
    assert.deepEqual([...ids].sort(), [...launched].sort(), `tasks the master knows are the attempts the job launched (${h.workflowId})`);
    out.push(mine);
  }
  return out;
}
