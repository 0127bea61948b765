// One task's status-update stream, as Mesos's task status update manager
// keeps it (slave/task_status_update_manager.cpp): only the oldest
// unacknowledged update is in flight, later ones queue behind it; the one in
// flight is re-sent (same uuid, retry flag) after `retryMs`, then after twice
// that, and so on up to `maxRetryMs`, forever; an ACK with its uuid releases
// the next update at once; any other ACK is ignored.
import type { TaskState, TaskStatus } from '../../mesos/schemas/index.js';
import type { AgentStatusUpdate } from './contract.js';

export interface StatusUpdateStreamOptions {
  frameworkId: string;
  taskId: string;
  retryMs: number;
  maxRetryMs: number;
  send: (update: AgentStatusUpdate) => void;
  /** Called when an update is acknowledged (after the stream has advanced). */
  onAcknowledged?: (status: TaskStatus) => void;
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
}

export type AckResult = 'acknowledged' | 'ignored';

function defaultSetTimer(fn: () => void, ms: number): { cancel(): void } {
  const t = setTimeout(fn, ms);
  // Retries must not keep a process alive on their own: the agent's server does.
  t.unref();
  return { cancel: () => clearTimeout(t) };
}

export class StatusUpdateStream {
  private readonly queue: TaskStatus[] = [];
  private timer: { cancel(): void } | undefined;
  private nextDelayMs: number;
  private latest: TaskState | undefined;
  private closed = false;
  /** Every update the stream has taken, in order (for /state). */
  readonly history: TaskStatus[] = [];
  /** The state and uuid of the last update that was acknowledged. */
  lastAcknowledged: TaskStatus | undefined;

  constructor(private readonly opts: StatusUpdateStreamOptions) {
    this.nextDelayMs = opts.retryMs;
  }

  /** The newest state handed to the stream (Mesos's latest_state). */
  get latestState(): TaskState | undefined {
    return this.latest;
  }

  /** The update in flight, if any. */
  get inFlight(): TaskStatus | undefined {
    return this.queue[0];
  }

  get pending(): number {
    return this.queue.length;
  }

  /** True when every update has been acknowledged. */
  get drained(): boolean {
    return this.queue.length === 0;
  }

  enqueue(status: TaskStatus): void {
    if (this.closed) return;
    this.history.push(status);
    this.latest = status.state;
    this.queue.push(status);
    if (this.queue.length === 1) this.sendHead(false);
  }

  acknowledge(uuid: string): AckResult {
    const head = this.queue[0];
    if (this.closed || head === undefined || head.uuid !== uuid) return 'ignored';
    this.timer?.cancel();
    this.timer = undefined;
    this.queue.shift();
    this.lastAcknowledged = head;
    this.nextDelayMs = this.opts.retryMs;
    if (this.queue.length > 0) this.sendHead(false);
    this.opts.onAcknowledged?.(head);
    return 'acknowledged';
  }

  /** Stops retrying and forgets pending updates (framework removed, agent stopped). */
  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.queue.length = 0;
  }

  private sendHead(retry: boolean): void {
    const head = this.queue[0];
    if (head === undefined || this.closed) return;
    // A copy per send: what the receiver does with it cannot change the agent's record.
    this.opts.send({ frameworkId: this.opts.frameworkId, status: structuredClone(head), latestState: this.latest ?? head.state, retry });
    const delay = this.nextDelayMs;
    this.nextDelayMs = Math.min(delay * 2, this.opts.maxRetryMs);
    const setTimer = this.opts.setTimer ?? defaultSetTimer;
    this.timer = setTimer(() => {
      this.timer = undefined;
      this.sendHead(true);
    }, delay);
  }
}
