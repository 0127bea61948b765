// Prometheus text exposition (format 0.0.4) for the few series the API
// keeps; no client library needed for counters and one histogram.

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {
    this.counts = buckets.map(() => 0);
  }

  observe(v: number): void {
    this.sum += v;
    this.count++;
    this.buckets.forEach((b, i) => {
      if (v <= b) this.counts[i] = (this.counts[i] as number) + 1;
    });
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i] as number}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export interface Sample {
  labels?: Record<string, string>;
  value: number;
}

export function renderFamily(name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const s of samples) {
    const labels = Object.entries(s.labels ?? {});
    const l = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
    lines.push(`${name}${l} ${Number.isFinite(s.value) ? s.value : 0}`);
  }
  return lines.join('\n');
}

/** What the API measures itself. */
export class ApiMetrics {
  submitted = 0;
  readonly submitToRunning = new Histogram(
    'mesoflow_job_submit_to_running_seconds',
    'Time from the job workflow start to the first TASK_RUNNING of the job, observed once per job the API saw running',
    [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  );
  private readonly seenRunning = new Set<string>();

  /** Observes a job's latency once (bounded memory: the oldest ids are forgotten). */
  observeRunning(jobId: string, createdAt: string, runningAt: string): void {
    if (this.seenRunning.has(jobId)) return;
    if (this.seenRunning.size >= 10_000) this.seenRunning.delete(this.seenRunning.values().next().value as string);
    this.seenRunning.add(jobId);
    const s = (Date.parse(runningAt) - Date.parse(createdAt)) / 1000;
    if (Number.isFinite(s) && s >= 0) this.submitToRunning.observe(s);
  }
}
