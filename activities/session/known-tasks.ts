// The tasks this session launched or heard of while their attempt runs: for
// explicit reconciliation after a subscribe, for UNIQUE placement, and to
// answer a retried launch. The one owner of that map: every change goes
// through a method here, and only the framework session calls them.
import type { TaskStatus } from '../../mesos/schemas/index.js';
import { endsAttempt, TERMINAL_STATES } from '../../workflows/task-states.js';

export interface KnownTask {
  agentId: string | undefined;
  hostname: string | undefined;
  state: string;
  uniqueGroups: string[];
}

export class KnownTasks {
  private readonly tasks = new Map<string, KnownTask>();

  get(taskId: string): Readonly<KnownTask> | undefined {
    return this.tasks.get(taskId);
  }

  get size(): number {
    return this.tasks.size;
  }

  /** The task goes out in an ACCEPT. */
  launching(taskId: string, t: { agentId: string; hostname: string; uniqueGroups: string[] }): void {
    this.tasks.set(taskId, { agentId: t.agentId, hostname: t.hostname, state: 'TASK_STAGING', uniqueGroups: t.uniqueGroups });
  }

  /** The master refused the ACCEPT: the task never existed. */
  notLaunched(taskId: string): void {
    this.tasks.delete(taskId);
  }

  /**
   * A status update of a task we know: the hostname the session knows for
   * it, and whether this update ended a task the master held resources
   * for (they are free again now).
   */
  updated(status: TaskStatus): { hostname: string | undefined; freed: boolean } {
    const known = this.tasks.get(status.task_id.value);
    if (!known) return { hostname: undefined, freed: false };
    const freed = !TERMINAL_STATES.has(known.state) && TERMINAL_STATES.has(status.state);
    known.state = status.state;
    if (status.agent_id) known.agentId = status.agent_id.value;
    return { hostname: known.hostname, freed };
  }

  /** The update that ended the attempt was acknowledged: nothing to reconcile or place around any more. */
  ended(taskId: string): void {
    this.tasks.delete(taskId);
  }

  /** Every task believed live, as a reconciliation entry. */
  liveRefs(): Array<{ task_id: string; agent_id: string | undefined }> {
    return liveTaskRefs(this.tasks);
  }

  /** For each UNIQUE group, the hosts a live task of the group occupies. */
  hostsInUse(): Map<string, Set<string>> {
    const m = new Map<string, Set<string>>();
    for (const t of this.tasks.values()) {
      if (endsAttempt(t.state) || !t.hostname) continue;
      for (const g of t.uniqueGroups) {
        let s = m.get(g);
        if (!s) m.set(g, (s = new Set()));
        s.add(t.hostname);
      }
    }
    return m;
  }
}

/** Every task believed live, as a reconciliation entry. */
export function liveTaskRefs(tasks: ReadonlyMap<string, KnownTask>): Array<{ task_id: string; agent_id: string | undefined }> {
  return [...tasks.entries()].filter(([, t]) => !endsAttempt(t.state)).map(([taskId, t]) => ({ task_id: taskId, agent_id: t.agentId }));
}
