// The fault schedule (pure): which fault fires when, printed before the run
// so a reader can line the figures up with the faults.
// The agent removal comes first, while the session is healthy: an agent
// removed while one of its tasks' terminal update still waits for a session
// takeover takes that update with it (Mesos then reports the task gone, and
// the job runs it again, by Mesos's at-least-once contract). The first
// 500-job run, with the removal after two kills, had 3 such jobs.
export const faultKinds = ['agent-remove', 'worker-kill', 'holder-kill', 'temporal-restart', 'master-failover', 'stream-stall'] as const;
export type FaultKind = (typeof faultKinds)[number];

export const faultDescriptions: Record<FaultKind, string> = {
  'worker-kill': 'SIGKILL of an extra worker process that does not hold the session (alternating between the two), restarted',
  'holder-kill': 'SIGKILL of the process holding the framework session, restarted',
  'temporal-restart': 'SIGKILL of the Temporal dev server, restarted on the same database file and port',
  'master-failover': 'Mesos master failover to the other master (devcluster /__devcluster/leader)',
  'agent-remove': 'an agent removed (mode gone: its tasks end TASK_GONE_BY_OPERATOR), a fresh agent added',
  'stream-stall': "the framework's event stream stalled (no heartbeats, offers or updates until it re-subscribes)",
};

export interface ScheduledFault {
  /** ms after the first submission */
  atMs: number;
  kind: FaultKind;
  /** For worker-kill: which extra worker it prefers (0 or 1; the other one if that one holds the session). */
  worker?: number;
}

export interface ScheduleOptions {
  /** How many times each kind fires; kinds with 0 are left out. */
  counts: Partial<Record<FaultKind, number>>;
  firstAtMs: number;
  spacingMs: number;
}

/**
 * Spreads the faults evenly: round-robin over the kinds (in faultKinds order)
 * until each has fired its count, so two of a kind are never back to back
 * when others remain. Worker kills alternate between the two extra workers.
 */
export function buildSchedule(options: ScheduleOptions): ScheduledFault[] {
  const left = new Map<FaultKind, number>(faultKinds.map((k) => [k, options.counts[k] ?? 0]));
  const out: ScheduledFault[] = [];
  let workerKills = 0;
  for (;;) {
    let fired = false;
    for (const kind of faultKinds) {
      const n = left.get(kind) ?? 0;
      if (n <= 0) continue;
      left.set(kind, n - 1);
      fired = true;
      const fault: ScheduledFault = { atMs: options.firstAtMs + out.length * options.spacingMs, kind };
      if (kind === 'worker-kill') fault.worker = workerKills++ % 2;
      out.push(fault);
    }
    if (!fired) return out;
  }
}

export function describeSchedule(schedule: ScheduledFault[]): string[] {
  return schedule.map((f, i) => {
    const who = f.kind === 'worker-kill' ? ` (worker-${(f.worker ?? 0) + 1} preferred)` : '';
    return `fault ${i + 1} at +${(f.atMs / 1000).toFixed(0)} s: ${f.kind}${who}: ${faultDescriptions[f.kind]}`;
  });
}
