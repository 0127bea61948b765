// Lets calls that need a live subscription (KILL, RECONCILE) wait for the
// next SUBSCRIBED instead of failing while the session re-subscribes.
export class SubscribedGate {
  private waiters: Array<() => void> = [];

  constructor(private readonly frameworkName: string) {}

  /** Releases everyone waiting. */
  open(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((f) => f !== done);
        reject(new Error(`framework ${this.frameworkName} is not subscribed (waited ${timeoutMs} ms)`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.waiters.push(done);
    });
  }
}
