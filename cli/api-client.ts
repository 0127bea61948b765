// The CLI's client of the mesoflow HTTP API. Failures become CliError with
// one clear line: the API's problem title/detail and field paths, or why
// the API could not be reached.
import { request } from 'undici';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface ApiTarget {
  api: string;
  token?: string | undefined;
}

export interface ApiJob {
  id: string;
  name: string | null;
  status: string;
  phase: string;
  exitCode: number | null;
  message: string | null;
  waiting: { reason: string } | null;
  attempts: Array<{ attempt: number; taskId: string; agentId: string | null; hostname: string | null; state: string | null; exitCode: number | null }>;
  labels: Record<string, string>;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  links: { temporal: string | null };
}

export const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

interface Problem {
  title?: string;
  detail?: string;
  status?: number;
  errors?: Array<{ path: string; message: string }>;
}

function describeProblem(status: number, text: string): string {
  try {
    const p = JSON.parse(text) as Problem;
    const fields = (p.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ');
    const head = p.detail && p.title ? `${p.title}: ${p.detail}` : (p.detail ?? p.title ?? `HTTP ${status}`);
    return fields ? `${head} (${fields})` : head;
  } catch {
    return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
  }
}

export class ApiClient {
  constructor(readonly target: ApiTarget) {}

  url(path: string): string {
    return new URL(path, this.target.api.endsWith('/') ? this.target.api : `${this.target.api}/`).toString();
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.target.token ? { authorization: `Bearer ${this.target.token}` } : {}), ...extra };
  }

  async call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
    let res;
    try {
      res = await request(this.url(path), {
        method,
        headers: this.headers(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
    } catch (err) {
      const e = err as Error & { code?: string; cause?: { code?: string } };
      const why = e.code ?? e.cause?.code ?? e.message;
      throw new CliError(`cannot reach the mesoflow API at ${this.target.api} (${why}); is it running? (set --api or MESOFLOW_API)`);
    }
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new CliError(`${method} ${path}: ${describeProblem(res.statusCode, text)}`);
    return { status: res.statusCode, headers: res.headers, text };
  }

  async json<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const r = await this.call(method, path, body);
    return JSON.parse(r.text) as T;
  }

  submit(spec: Record<string, unknown>): Promise<ApiJob> {
    return this.json<ApiJob>('POST', 'v1/jobs', spec);
  }

  job(id: string): Promise<ApiJob> {
    return this.json<ApiJob>('GET', `v1/jobs/${encodeURIComponent(id)}`);
  }

  async cancel(id: string): Promise<void> {
    await this.call('POST', `v1/jobs/${encodeURIComponent(id)}/cancel`);
  }

  /** One slice of a log; `next` is where the following read starts. */
  async logs(id: string, stream: 'stdout' | 'stderr', offset: number): Promise<{ data: Buffer; next: number; status: string | undefined }> {
    let res;
    try {
      res = await request(this.url(`v1/jobs/${encodeURIComponent(id)}/logs?stream=${stream}&offset=${offset}`), { headers: this.headers(), headersTimeout: 30_000, bodyTimeout: 30_000 });
    } catch (err) {
      throw new CliError(`cannot reach the mesoflow API at ${this.target.api} (${(err as Error).message})`);
    }
    const data = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode >= 400) throw new CliError(`logs of ${id}: ${describeProblem(res.statusCode, data.toString('utf8'))}`);
    const next = Number(res.headers['x-next-offset'] ?? offset + data.length);
    const status = res.headers['x-job-status'];
    return { data, next: Number.isFinite(next) ? next : offset + data.length, status: typeof status === 'string' ? status : undefined };
  }

  /** The job's event stream; yields each `job` event until the stream ends. */
  async *events(id: string, signal?: AbortSignal): AsyncGenerator<ApiJob> {
    let res;
    try {
      res = await request(this.url(`v1/jobs/${encodeURIComponent(id)}/events`), { headers: this.headers({ accept: 'text/event-stream' }), bodyTimeout: 0, ...(signal ? { signal } : {}) });
    } catch (err) {
      throw new CliError(`cannot reach the mesoflow API at ${this.target.api} (${(err as Error).message})`);
    }
    if (res.statusCode >= 400) throw new CliError(`events of ${id}: ${describeProblem(res.statusCode, await res.body.text())}`);
    let buf = '';
    for await (const chunk of res.body) {
      buf += (chunk as Buffer).toString('utf8');
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data) yield JSON.parse(data) as ApiJob;
      }
    }
  }
}
