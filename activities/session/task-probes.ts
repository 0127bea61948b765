// Callers waiting for the master's answer to an explicit reconciliation of
// one task: the next status update of that task answers them all; a lost
// subscription or the timeout answers "don't know" (undefined).
import type { TaskStatus } from '../../mesos/schemas/index.js';

/**
 * True when a reconciliation answer says the master never heard of the task
 * (as opposed to a task that existed and was lost).
 */
export function masterDoesNotKnow(status: TaskStatus): boolean {
  return status.reason === 'REASON_RECONCILIATION' && /unknown/i.test(status.message ?? '') && ['TASK_LOST', 'TASK_UNKNOWN', 'TASK_GONE', 'TASK_DROPPED'].includes(status.state);
}

export class TaskProbes {
  private readonly waiting = new Map<string, Array<(status: TaskStatus | undefined) => void>>();

  /** Registers now; resolves with the next update of the task, or undefined after `timeoutMs`. */
  wait(taskId: string, timeoutMs: number): Promise<TaskStatus | undefined> {
    return new Promise<TaskStatus | undefined>((resolve) => {
      const list = this.waiting.get(taskId) ?? [];
      list.push(resolve);
      this.waiting.set(taskId, list);
      setTimeout(() => resolve(undefined), timeoutMs).unref();
    });
  }

  answer(status: TaskStatus): void {
    const taskId = status.task_id.value;
    const list = this.waiting.get(taskId);
    if (!list) return;
    this.waiting.delete(taskId);
    for (const resolve of list) resolve(status);
  }

  /** The subscription ended: nobody will answer the probes in flight. */
  abandonAll(): void {
    for (const list of this.waiting.values()) for (const resolve of list) resolve(undefined);
    this.waiting.clear();
  }
}
