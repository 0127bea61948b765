// The CLI's client of the mesoflow HTTP API. Failures become CliError with
// one clear line: the API's problem title/detail and field paths, or why
// the API could not be reached.
import { request } from 'undici';
import type { ApiJob, ApiJobStatus } from '../api/schemas.js';
import { sseMessages } from './sse.js';

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

/** The API's job, as its schema describes it (api/schemas.ts). */
export type { ApiJob };

export const TERMINAL: ReadonlySet<string> = new Set<ApiJobStatus>(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

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
    for await (const m of sseMessages(res.body)) {
      if (m.event === 'job' && m.data !== '') yield JSON.parse(m.data) as ApiJob;
    }
  }
}
