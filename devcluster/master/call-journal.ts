// What the master accepted, in order, for the fault suite (scripts/chaos):
// every task named by a LAUNCH of an accepted ACCEPT and every accepted
// ACKNOWLEDGE, with the master's clock. It lives in the cluster, not in one
// master, so it spans failovers; GET /__devcluster/journal reads it. Bounded:
// the oldest entries go first once `limit` is reached (and `dropped` says so).
import type { Call } from '../../mesos/schemas/index.js';

export interface LaunchEntry {
  /** ms since the epoch */
  at: number;
  taskId: string;
  agentId: string | undefined;
}

export interface AckEntry {
  at: number;
  taskId: string;
  /** base64, as in the call */
  uuid: string;
}

export class CallJournal {
  readonly launches: LaunchEntry[] = [];
  readonly acks: AckEntry[] = [];
  dropped = 0;

  constructor(private readonly limit = 200_000) {}

  /** Records a call the master answered with `status` (2xx only count). */
  record(call: Call, status: number, at: number): void {
    if (status < 200 || status > 299) return;
    if (call.type === 'ACKNOWLEDGE') {
      this.push(this.acks, { at, taskId: call.acknowledge.task_id.value, uuid: call.acknowledge.uuid });
    } else if (call.type === 'ACCEPT') {
      for (const op of call.accept.operations ?? []) {
        if (op.type !== 'LAUNCH') continue;
        for (const t of op.launch?.task_infos ?? []) this.push(this.launches, { at, taskId: t.task_id.value, agentId: t.agent_id?.value });
      }
    }
  }

  private push<T>(list: T[], entry: T): void {
    list.push(entry);
    if (list.length > this.limit) {
      list.shift();
      this.dropped++;
    }
  }

  toJSON(): object {
    return { launches: this.launches, acks: this.acks, dropped: this.dropped };
  }
}
