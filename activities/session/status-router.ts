// Carries each status update to its job workflow and acknowledges it only
// once Temporal accepted the signal, so no update is lost between Mesos and
// the workflow history. Updates for tasks mesoflow did not name, or for jobs
// that no longer run, are acknowledged and dropped.
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../common/logger.js';
import type { TaskStatus } from '../../mesos/schemas/index.js';
import { parseTaskId } from '../../workflows/task-id.js';
import { endsAttempt } from '../../workflows/task-states.js';
import type { TaskUpdateSignal } from '../contract.js';
import { Limiter } from './limiter.js';

export type SignalOutcome = 'delivered' | 'not-found';

/** Recent samples of a duration (the newest `cap`), for benchmarks and logs. */
export class Samples {
  private values: number[] = [];
  constructor(private readonly cap = 100_000) {}
  push(v: number): void {
    if (this.values.length >= this.cap) this.values = this.values.slice(this.cap / 2);
    this.values.push(v);
  }
  /** The samples so far, forgotten here. */
  take(): number[] {
    const v = this.values;
    this.values = [];
    return v;
  }
}

export function toUpdateSignal(status: TaskStatus, hostname: string | undefined): TaskUpdateSignal {
  const update: TaskUpdateSignal = { taskId: status.task_id.value, state: status.state, timestamp: status.timestamp ?? Date.now() / 1000 };
  if (status.reason !== undefined) update.reason = status.reason;
  if (status.source !== undefined) update.source = status.source;
  if (status.message !== undefined) update.message = status.message;
  if (status.agent_id) update.agentId = status.agent_id.value;
  if (hostname !== undefined) update.hostname = hostname;
  if (status.uuid !== undefined) update.uuid = status.uuid;
  if (status.healthy !== undefined) update.healthy = status.healthy;
  return update;
}

export interface StatusRouterDeps {
  /** Delivers an update to the job workflow; resolves once Temporal accepted it. */
  signalJob(workflowId: string, update: TaskUpdateSignal): Promise<SignalOutcome>;
  acknowledge(status: TaskStatus): Promise<unknown>;
  isSubscribed(): boolean;
  /** The update ended the attempt and was acknowledged: the session may forget the task. */
  forget(taskId: string): void;
  stats: { acks: number };
  /** Milliseconds from an update's arrival to its acknowledgement. */
  ackLatency: Samples;
  log: Logger;
}

export class StatusRouter {
  /** Signals to job workflows in flight at once. */
  private readonly deliveries = new Limiter(256);

  constructor(private readonly deps: StatusRouterDeps) {}

  /** Queues the delivery; never throws (a failed one stays unacknowledged). */
  deliver(status: TaskStatus, hostname: string | undefined): void {
    const arrivedAt = performance.now();
    void this.deliveries.run(() => this.route(status, hostname, arrivedAt));
  }

  private async route(status: TaskStatus, hostname: string | undefined, arrivedAt: number): Promise<void> {
    const d = this.deps;
    const taskId = status.task_id.value;
    const parsed = parseTaskId(taskId);
    const update = toUpdateSignal(status, hostname);
    if (!parsed) {
      d.log.warn('status update for a task mesoflow did not name; acknowledged', { taskId, state: status.state });
    } else {
      try {
        const outcome = await d.signalJob(parsed.workflowId, update);
        if (outcome === 'not-found') d.log.info('status update for a job that no longer runs; acknowledged', { taskId, state: status.state });
      } catch (err) {
        // Not acknowledged: the agent sends it again (10 s, then backing off).
        d.log.warn('could not deliver a status update to its job; left unacknowledged', { err, taskId, state: status.state });
        return;
      }
    }
    if (status.uuid !== undefined && d.isSubscribed()) {
      try {
        await d.acknowledge(status);
        d.stats.acks++;
        d.ackLatency.push(performance.now() - arrivedAt);
      } catch (err) {
        d.log.warn('ACKNOWLEDGE failed; the agent will resend the update', { err, taskId, state: status.state });
      }
    }
    if (endsAttempt(status.state)) d.forget(taskId);
  }
}
