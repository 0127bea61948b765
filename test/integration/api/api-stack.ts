// The API served on an ephemeral port in front of the jobs test stack
// (shared Temporal dev server, a devcluster, an in-process worker).
import { request } from 'undici';
import { createApi, type MesoflowApi } from '../../../api/app.js';
import type { ApiDeps } from '../../../api/context.js';
import { serveApi, type ApiServer } from '../../../api/server.js';
import { fastTuning, startStack, type Stack, type StackOptions } from '../jobs/stack.js';

export interface ApiStack {
  stack: Stack;
  api: MesoflowApi;
  server: ApiServer;
  url: string;
  stop(): Promise<void>;
}

export async function startApiStack(options: StackOptions & { api?: Partial<ApiDeps> } = {}): Promise<ApiStack> {
  const stack = await startStack(options);
  const api = createApi({
    client: stack.client,
    namespace: stack.temporal.namespace,
    frameworkName: stack.frameworkName,
    taskQueue: stack.taskQueue,
    masters: [stack.cluster.masterUrl],
    tuning: fastTuning,
    logger: stack.logger,
    eventPollMs: 200,
    sessionStats: () => {
      const s = [...(stack.worker?.sessions ?? [])][0];
      return s ? { ...s.stats } : undefined;
    },
    ...options.api,
  });
  const server = await serveApi(api.app, { port: 0 });
  return {
    stack,
    api,
    server,
    url: server.url,
    async stop() {
      await server.close();
      await stack.stop();
    },
  };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export async function http(url: string, init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<HttpResult> {
  const res = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  return http(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
}

/** GET the job until `pred` holds (generous bound). */
export async function jobUntil(base: string, id: string, pred: (job: { status: string } & Record<string, unknown>) => boolean, timeoutMs = 60_000): Promise<Record<string, unknown> & { status: string }> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const r = await http(`${base}/v1/jobs/${id}`);
    last = r.json;
    if (r.status === 200 && pred(r.json as { status: string })) return r.json as Record<string, unknown> & { status: string };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`timed out waiting on job ${id}; last: ${JSON.stringify(last)}`);
}
