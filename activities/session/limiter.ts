// Runs at most `limit` async jobs at a time, the rest in arrival order: a
// burst of status updates (an implicit reconciliation of thousands of tasks)
// must not become thousands of simultaneous signals to Temporal.
export class Limiter {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  get pending(): number {
    return this.queue.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    // A finishing job hands its slot straight to the next in line.
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    try {
      return await job();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}
