// Counters the tests and the benchmark read through GET /__devcluster/stats:
// calls by type and how many LAUNCH operations each ACCEPT carried.
import type { Call } from '../../mesos/schemas/index.js';
import { CallJournal } from './call-journal.js';

export class CallStats {
  readonly calls: Record<string, number> = {};
  /** key: number of LAUNCH operations in one ACCEPT; value: how many ACCEPTs had that many. */
  readonly launchOperationsPerAccept: Record<string, number> = {};
  /** Tasks named by LAUNCH operations over all ACCEPTs. */
  launchedTaskInfos = 0;
  /** Scheduler requests refused with 401 (missing or wrong credentials). */
  unauthorizedRequests = 0;

  recordUnauthorized(): void {
    this.unauthorizedRequests++;
  }

  /** Accepted LAUNCHes and ACKNOWLEDGEs in order (GET /__devcluster/journal). */
  readonly journal = new CallJournal();

  record(call: Call): void {
    this.calls[call.type] = (this.calls[call.type] ?? 0) + 1;
    if (call.type !== 'ACCEPT') return;
    const launches = (call.accept.operations ?? []).filter((o) => o.type === 'LAUNCH');
    const key = String(launches.length);
    this.launchOperationsPerAccept[key] = (this.launchOperationsPerAccept[key] ?? 0) + 1;
    for (const l of launches) this.launchedTaskInfos += l.type === 'LAUNCH' ? (l.launch?.task_infos?.length ?? 0) : 0;
  }

  toJSON(): object {
    const acceptsWithSeveralLaunches = Object.entries(this.launchOperationsPerAccept)
      .filter(([k]) => Number(k) > 1)
      .reduce((n, [, v]) => n + v, 0);
    return {
      calls: this.calls,
      launch_operations_per_accept: this.launchOperationsPerAccept,
      accepts_with_several_launches: acceptsWithSeveralLaunches,
      launched_task_infos: this.launchedTaskInfos,
      unauthorized_requests: this.unauthorizedRequests,
    };
  }
}
