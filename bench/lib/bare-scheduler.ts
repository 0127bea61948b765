// The baseline of the framework benchmark: a scheduler written directly on
// SchedulerClient, as small as a Mesos framework gets. It knows all its
// tasks up front, accepts every offer with as many of them as fit,
// acknowledges every update the moment it arrives, and is done when every
// task reported TASK_FINISHED.
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SchedulerClient } from '../../mesos/client/index.js';
import { isKnownEvent, type Offer, type Operation, type Resource, type TaskInfo } from '../../mesos/schemas/index.js';
import { silentLogger } from '../../common/logger.js';

export interface BareRun {
  wallMs: number;
  /** From an update's arrival to its ACKNOWLEDGE being answered, per update. */
  ackMs: number[];
}

export interface BareOptions {
  masterUrl: string;
  tasks: number;
  cpus: number;
  mem: number;
  command: string;
  user: string;
}

function scalar(resources: readonly Resource[], name: string): Resource | undefined {
  return resources.find((r) => r.name === name && r.type === 'SCALAR' && r.reservation === undefined && (r.reservations ?? []).length === 0);
}

/** How many tasks of the given size fit in the offer (unreserved cpus and mem only). */
function fits(offer: Offer, cpus: number, mem: number): number {
  const c = scalar(offer.resources ?? [], 'cpus')?.scalar?.value ?? 0;
  const m = scalar(offer.resources ?? [], 'mem')?.scalar?.value ?? 0;
  return Math.max(0, Math.min(Math.floor(c / cpus + 1e-9), Math.floor(m / mem + 1e-9)));
}

export async function runBareScheduler(o: BareOptions): Promise<BareRun> {
  const client = new SchedulerClient({ masters: [o.masterUrl], logger: silentLogger });
  const abort = new AbortController();
  const name = `bare-${process.pid}-${Date.now()}`;
  let next = 0;
  let finished = 0;
  const ackMs: number[] = [];
  const acks: Array<Promise<unknown>> = [];
  let t0 = 0;
  const launchOn = (offer: Offer): Operation | undefined => {
    const n = Math.min(fits(offer, o.cpus, o.mem), o.tasks - next);
    if (n <= 0) return undefined;
    const cpus = scalar(offer.resources ?? [], 'cpus') as Resource;
    const mem = scalar(offer.resources ?? [], 'mem') as Resource;
    const tasks: TaskInfo[] = [];
    for (let i = 0; i < n; i++) {
      const id = `${name}-${next++}`;
      tasks.push({
        name: id,
        task_id: { value: id },
        agent_id: offer.agent_id,
        resources: [
          { ...cpus, scalar: { value: o.cpus } },
          { ...mem, scalar: { value: o.mem } },
        ],
        command: { value: o.command, shell: true },
      });
    }
    return { type: 'LAUNCH', launch: { task_infos: tasks } };
  };
  const sub = client.subscribe(
    { user: o.user, name, roles: ['*'], failover_timeout: 0, hostname: hostname(), capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }] },
    { signal: abort.signal },
  );
  try {
    for await (const event of sub) {
      if (!isKnownEvent(event)) continue;
      if (event.type === 'SUBSCRIBED') t0 = performance.now();
      else if (event.type === 'OFFERS') {
        for (const offer of event.offers.offers ?? []) {
          const op = launchOn(offer);
          // Unused resources come back at the next allocation while tasks are still pending.
          if (op) void client.accept([offer.id], [op], { refuse_seconds: 0 });
          else void client.decline([offer.id], { refuse_seconds: next < o.tasks ? 0 : 5 });
        }
      } else if (event.type === 'UPDATE') {
        const status = event.update.status;
        const arrived = performance.now();
        if (status.uuid !== undefined) acks.push(client.acknowledge(status).then(() => void ackMs.push(performance.now() - arrived)));
        if (status.state === 'TASK_FINISHED' && finished + 1 === o.tasks) await Promise.allSettled(acks);
        if (status.state === 'TASK_FINISHED') finished++;
        else if (['TASK_FAILED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_KILLED'].includes(status.state)) throw new Error(`bare task ${status.task_id.value} ended ${status.state}: ${status.message ?? ''}`);
        if (finished === o.tasks) break;
      }
    }
    const wallMs = performance.now() - t0;
    // Ending the stream removes the framework (failover timeout 0): the last ACKs may find it gone.
    await Promise.allSettled(acks);
    return { wallMs, ackMs };
  } finally {
    await client.teardown().catch(() => undefined);
    abort.abort();
    await client.close();
  }
}
