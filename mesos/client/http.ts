// The HTTP mechanics of the scheduler endpoint: one POST, the 307 hop to the
// leading master (its Location is protocol-relative), the 503 answers of a
// master that knows no leader yet (retried with backoff), and the walk over
// the configured masters when one cannot be reached.
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import type { SchedulerClientConfig } from './config.js';
import { SCHEDULER_PATH } from './config.js';
import { InvalidRedirectError, MastersUnreachableError, MesosConnectionError, NoLeaderError, TooManyRedirectsError } from './errors.js';

export type ResponseBody = Dispatcher.ResponseData['body'];

export interface MesosResponse {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: ResponseBody;
  /** The URL that finally answered (after redirects). */
  url: string;
  /** Set when the body was already read here (a 503 checked for the no-leader texts). */
  bodyText?: string;
}

/** The response body as text (Mesos error bodies are text/plain). */
export async function readText(res: MesosResponse): Promise<string> {
  return res.bodyText ?? (await res.body.text());
}

export interface PostOptions {
  callType: string;
  body: string;
  /** Mesos-Stream-Id, for every call but SUBSCRIBE. */
  streamId?: string | undefined;
  dispatcher: Dispatcher;
  signal?: AbortSignal | undefined;
}

const NO_LEADER_BODIES = new Set(['No leader elected', 'Master has not finished recovery']);

/** Creates the dispatcher for calls (`stream: false`) or for one subscription's dedicated connection. */
export function createDispatcher(config: SchedulerClientConfig, stream: boolean): Agent {
  return new Agent({
    connect: {
      timeout: config.connectTimeoutMs,
      ...(config.tls?.ca !== undefined ? { ca: config.tls.ca } : {}),
      ...(config.tls?.cert !== undefined ? { cert: config.tls.cert } : {}),
      ...(config.tls?.key !== undefined ? { key: config.tls.key } : {}),
      ...(config.tls?.rejectUnauthorized !== undefined ? { rejectUnauthorized: config.tls.rejectUnauthorized } : {}),
    },
    headersTimeout: config.requestTimeoutMs,
    // The event stream is silent for up to a heartbeat interval by design; the
    // heartbeat watchdog decides when it is dead, not a socket timer.
    bodyTimeout: stream ? 0 : config.requestTimeoutMs,
    // One connection per origin for a subscription, so nothing else shares it.
    ...(stream ? { connections: 1, pipelining: 0 } : {}),
  });
}

export function requestHeaders(config: SchedulerClientConfig, streamId: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    // Exactly this: Mesos compares it byte for byte (a charset parameter → 415).
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (config.authorization) headers.authorization = config.authorization;
  if (streamId !== undefined) headers['mesos-stream-id'] = streamId;
  return headers;
}

export function headerValue(headers: MesosResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** One POST, no redirect handling. Transport failures become MesosConnectionError; aborts rethrow the signal's reason. */
export async function postOnce(config: SchedulerClientConfig, url: string, opts: PostOptions): Promise<MesosResponse> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: requestHeaders(config, opts.streamId),
      body: opts.body,
      dispatcher: opts.dispatcher,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return { status: res.statusCode, headers: res.headers, body: res.body, url };
  } catch (err) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    throw new MesosConnectionError(opts.callType, url, err);
  }
}

/**
 * Resolves a 307 Location against the URL that gave it. A Mesos follower
 * writes `//host:port/master/api/v1/scheduler?<query>` (an alias of
 * /api/v1/scheduler; recorded from Mesos 1.12), older docs and masters the
 * request's own path; the docs show a bare `host:port`; a `/redirect`-style
 * answer has no path. A Location with a path is followed as it is; one
 * without lands on `defaultPath` (the scheduler endpoint unless told otherwise).
 */
export function resolveLocation(location: string, current: string, defaultPath = SCHEDULER_PATH): string | undefined {
  const trimmed = location.trim();
  if (trimmed === '') return undefined;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || trimmed.startsWith('/') ? trimmed : `//${trimmed}`;
  let url: URL;
  try {
    url = new URL(absolute, current);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.pathname === '/' || url.pathname === '') url.pathname = defaultPath;
  return url.toString();
}

/** POSTs to `url`, following 307s (same method and body) up to config.maxRedirects. */
export async function postFollowingRedirects(config: SchedulerClientConfig, url: string, opts: PostOptions): Promise<MesosResponse> {
  const chain = [url];
  let current = url;
  for (;;) {
    const res = await postOnce(config, current, opts);
    if (res.status !== 307 && res.status !== 308) return res;
    await res.body.dump().catch(() => undefined);
    const location = headerValue(res.headers, 'location');
    const next = location === undefined ? undefined : resolveLocation(location, current);
    if (next === undefined) throw new InvalidRedirectError(opts.callType, current, location);
    chain.push(next);
    if (chain.length - 1 > config.maxRedirects) throw new TooManyRedirectsError(opts.callType, chain);
    config.logger.debug('following redirect to the leading master', { callType: opts.callType, from: current, to: next });
    current = next;
  }
}

export function backoffMs(config: SchedulerClientConfig, attempt: number): number {
  const { initialMs, maxMs } = config.noLeaderRetry;
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half random: masters that lost their leader together should not be hit in lockstep.
  return Math.round(base / 2 + (Math.random() * base) / 2);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * POSTs to the leading master, starting from each base URL in turn: a master
 * that cannot be reached is skipped; 307 is followed; when the answers say no
 * leader is elected yet, the round is repeated with backoff. Any other answer
 * (success or error status) is returned for the caller to interpret.
 */
export async function postToLeader(config: SchedulerClientConfig, bases: string[], opts: PostOptions): Promise<MesosResponse> {
  const { maxAttempts } = config.noLeaderRetry;
  for (let attempt = 1; ; attempt++) {
    const unreachable: MesosConnectionError[] = [];
    let noLeader: { body: string; url: string } | undefined;
    for (const base of bases) {
      let res: MesosResponse;
      try {
        res = await postFollowingRedirects(config, base + SCHEDULER_PATH, opts);
      } catch (err) {
        if (err instanceof MesosConnectionError) {
          config.logger.warn('master unreachable, trying the next one', { callType: opts.callType, url: err.url, err: err.cause });
          unreachable.push(err);
          continue;
        }
        throw err;
      }
      if (res.status === 503) {
        const text = await res.body.text();
        if (NO_LEADER_BODIES.has(text.trim())) {
          noLeader = { body: text, url: res.url };
          continue;
        }
        return { ...res, bodyText: text };
      }
      return res;
    }
    if (noLeader === undefined) {
      throw new MastersUnreachableError(opts.callType, unreachable);
    }
    if (attempt >= maxAttempts) throw new NoLeaderError(opts.callType, attempt, noLeader.body, noLeader.url);
    const wait = backoffMs(config, attempt);
    config.logger.info('no leading master yet, retrying', { callType: opts.callType, url: noLeader.url, answer: noLeader.body, attempt, waitMs: wait });
    await sleep(wait, opts.signal);
  }
}
