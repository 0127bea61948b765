// What the scheduler client needs from a way of finding the leading master:
// the current leader (waiting a bounded time for one), a status that says why
// there is none, and a signal when leadership moves.

export interface LeaderStatus {
  /** Base URL of the leading master, when one is known. */
  leader: string | undefined;
  /** Why no leader is known (or why the one known may be stale); undefined when all is well. */
  problem: string | undefined;
  /** Where the masters are looked up (`zk://zk1:2181/mesos`, password masked). */
  source: string;
}

export interface LeaderDetector {
  status(): LeaderStatus;
  /** The leader's base URL; waits up to `timeoutMs` for one, then rejects with a LeaderUnknownError. */
  leader(options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<string>;
  /** Called with the new status on every change of leader (including to none); returns the unsubscribe function. */
  onChange(listener: (status: LeaderStatus) => void): () => void;
  close(): Promise<void>;
}

export class LeaderUnknownError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`no leading Mesos master known from ${source}: ${problem}`);
    this.name = 'LeaderUnknownError';
  }
}
