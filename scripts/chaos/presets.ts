// The two shapes of the fault suite: the full run behind `npm run chaos`
// and the reduced one `npm test` runs (test/integration/chaos).
import type { ChaosOptions } from './run.js';

export type ChaosPreset = Omit<ChaosOptions, 'say'>;

const agentResources = 'cpus:8;mem:8192;disk:10240;ports:[31000-32000]';

/** N jobs (default 500) of `sleep 1`; workers killed four times, the holder twice, every other fault once. */
export function fullRun(jobs = 500): ChaosPreset {
  return {
    jobs,
    command: 'sleep 1',
    counts: { 'worker-kill': 4, 'holder-kill': 2, 'temporal-restart': 1, 'master-failover': 1, 'agent-remove': 1, 'stream-stall': 1 },
    firstFaultAtMs: 10_000,
    spacingMs: 15_000,
    // 500 jobs over 150 s (3.3/s), fewer over proportionally less.
    submitOverMs: Math.max(20_000, Math.round((150_000 * jobs) / 500)),
    drainTimeoutMs: 600_000,
    sessionHeartbeatTimeoutSeconds: 20,
    masterHeartbeatMs: 15_000,
    agentResources,
  };
}

/** About 60 jobs, one fault of each kind, shorter heartbeats so takeovers and a stalled stream fit in a test. */
export function reducedRun(jobs = 60): ChaosPreset {
  return {
    jobs,
    command: 'sleep 0.5',
    counts: { 'worker-kill': 1, 'holder-kill': 1, 'temporal-restart': 1, 'master-failover': 1, 'agent-remove': 1, 'stream-stall': 1 },
    firstFaultAtMs: 4_000,
    spacingMs: 6_000,
    submitOverMs: 36_000,
    drainTimeoutMs: 150_000,
    sessionHeartbeatTimeoutSeconds: 8,
    // A stalled stream is given up after 5 missed heartbeats: 25 s instead of Mesos's 75 s.
    masterHeartbeatMs: 5_000,
    agentResources,
  };
}
