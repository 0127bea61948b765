// The framework session's settings, compiled once from the worker's
// configuration (worker/start-worker.ts) and handed to every session the
// worker holds: nothing in the session reads the configuration field by
// field or hard-codes a timeout of its own.
import type { SchedulerClientOptions } from '../../mesos/client/index.js';
import { mesosTlsOptions, type WorkerConfig } from '../../worker/config.js';
import type { FlushPolicy } from './flush-policy.js';

export interface SessionSettings {
  /** How the scheduler client reaches the masters (the logger is the session's own). */
  client: Omit<SchedulerClientOptions, 'logger'>;
  user: string;
  roles: string[];
  failoverTimeoutSeconds: number;
  partitionAware: boolean;
  /** Refuse filter for declined offers when no job waits or is on its way. */
  declineRefuseSeconds: number;
  /** When a held offer goes out in its ACCEPT. */
  offers: FlushPolicy;
  /** Delay before SUPPRESS once nobody waits (avoids flapping between jobs). */
  suppressDelayMs: number;
  /** Implicit reconciliation period. */
  reconcileIntervalMs: number;
  /** Wait for the master's answer when checking whether a task exists. */
  probeTimeoutMs: number;
  /** How long a kill or reconcile waits for the session to be subscribed. */
  subscribedWaitMs: number;
}

export function sessionSettings(config: WorkerConfig): SessionSettings {
  const tls = mesosTlsOptions(config);
  return {
    client: {
      masters: config.masters,
      ...(config.principal !== undefined ? { principal: config.principal, secret: config.secret ?? '' } : {}),
      ...(tls !== undefined ? { tls } : {}),
      requestTimeoutMs: config.requestTimeoutMs,
      heartbeatMissLimit: config.heartbeatMissLimit,
    },
    user: config.frameworkUser,
    roles: config.roles,
    failoverTimeoutSeconds: config.failoverTimeoutSeconds,
    partitionAware: config.partitionAware,
    declineRefuseSeconds: config.declineRefuseSeconds,
    offers: {
      leaseTimeoutMs: config.leaseTimeoutMs,
      batchWindowMs: config.batchWindowMs,
      gatherQuietMs: config.gatherQuietMs,
      gatherMaxMs: config.gatherMaxMs,
    },
    suppressDelayMs: config.suppressDelayMs,
    reconcileIntervalMs: config.reconcileIntervalSeconds * 1000,
    probeTimeoutMs: config.probeTimeoutMs,
    subscribedWaitMs: config.subscribedWaitMs,
  };
}
