// The frameworks an agent has tasks for, and the completed tasks and
// frameworks it keeps for /state and /files after they are over, as many as
// Mesos keeps.
import type { FrameworkInfo } from '../../mesos/schemas/index.js';
import type { TaskRecord } from './task-record.js';

export type FrameworkInfoWithId = FrameworkInfo & { id: { value: string } };

export interface FrameworkRecord {
  info: FrameworkInfoWithId;
  tasks: Map<string, TaskRecord>;
  removed: boolean;
}

/** Mesos's --max_completed_executors_per_framework default and MAX_COMPLETED_FRAMEWORKS. */
const MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK = 150;
const MAX_COMPLETED_FRAMEWORKS = 50;

export function hasCapability(fw: FrameworkInfo, cap: string): boolean {
  return (fw.capabilities ?? []).some((c) => c.type === cap);
}

export class FrameworkRegistry {
  private readonly frameworks = new Map<string, FrameworkRecord>();
  /** Frameworks removed and then seen again under the same id (kept for /state). */
  private readonly pastFrameworks: FrameworkRecord[] = [];

  /** The framework's record for a new task: a fresh one if it was never seen or was removed. */
  admit(framework: FrameworkInfoWithId): FrameworkRecord {
    const frameworkId = framework.id.value;
    let fw = this.frameworks.get(frameworkId);
    if (!fw || fw.removed) {
      if (fw) this.pastFrameworks.push(fw);
      fw = { info: framework, tasks: new Map(), removed: false };
      this.frameworks.set(frameworkId, fw);
    } else {
      fw.info = framework;
    }
    return fw;
  }

  get(frameworkId: string): FrameworkRecord | undefined {
    return this.frameworks.get(frameworkId);
  }

  findTask(frameworkId: string, taskId: string): TaskRecord | undefined {
    return this.frameworks.get(frameworkId)?.tasks.get(taskId);
  }

  /** Past frameworks first, then the current ones. */
  all(): FrameworkRecord[] {
    return [...this.pastFrameworks, ...this.frameworks.values()];
  }

  /**
   * Keeps what Mesos keeps: 150 completed executors per framework, 50
   * completed frameworks; `forget` drops what else refers to a task.
   */
  prune(forget: (fw: FrameworkRecord, rec: TaskRecord) => void): void {
    for (const fw of this.frameworks.values()) {
      const completed = [...fw.tasks.values()].filter((r) => r.phase === 'done' && (r.stream.drained || fw.removed));
      for (const rec of completed.slice(0, Math.max(0, completed.length - MAX_COMPLETED_EXECUTORS_PER_FRAMEWORK))) forget(fw, rec);
    }
    // Only frameworks whose processes are all gone: stop() must still be able to wait for the others.
    const removed = [...this.pastFrameworks, ...[...this.frameworks.values()].filter((f) => f.removed)].filter((f) =>
      [...f.tasks.values()].every((r) => r.phase === 'done'),
    );
    for (const fw of removed.slice(0, Math.max(0, removed.length - MAX_COMPLETED_FRAMEWORKS))) {
      for (const rec of fw.tasks.values()) forget(fw, rec);
      const i = this.pastFrameworks.indexOf(fw);
      if (i !== -1) this.pastFrameworks.splice(i, 1);
      else this.frameworks.delete(fw.info.id.value);
    }
  }
}
