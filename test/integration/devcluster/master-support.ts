// Raw HTTP helpers for the devcluster master tests: exact requests (a correct
// client would never send some of them) and a SUBSCRIBE stream reader that
// keeps every record (parsed and raw) for assertions.
import { request, Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import { RecordIODecoder } from '../../../mesos/recordio.js';
import { parseMesosJson } from '../../../mesos/json.js';
import { startDevCluster, type DevCluster, type DevClusterOptions } from '../../../devcluster/index.js';
import { TRANSCRIPTS_DIR } from '../../support/fixtures.js';

export const TRANSCRIPTS = TRANSCRIPTS_DIR;

export interface TranscriptExchange {
  comment?: string;
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
  events?: Array<Record<string, unknown>>;
}

export function transcript(name: string): { exchanges: TranscriptExchange[] } {
  return JSON.parse(readFileSync(`${TRANSCRIPTS}${name}`, 'utf8')) as { exchanges: TranscriptExchange[] };
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

const keepAlive = new HttpAgent({ keepAlive: true, maxSockets: 8 });

export function http(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers ?? {}, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** POST a call with exactly Content-Type and Accept application/json (+ a stream id when given). */
export function call(url: string, body: unknown, streamId?: string): Promise<HttpResult> {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (streamId !== undefined) headers['Mesos-Stream-Id'] = streamId;
  return http(`${url}/api/v1/scheduler`, { headers, body: JSON.stringify(body) });
}

export type Event = Record<string, unknown> & { type: string };

export class EventStreamReader {
  status = 0;
  headers: IncomingHttpHeaders = {};
  readonly events: Event[] = [];
  readonly raw: string[] = [];
  private readonly taken = new Set<number>();
  private waiters: Array<() => void> = [];
  ended = false;
  private req!: ReturnType<typeof request>;
  readonly opened: Promise<void>;

  constructor(url: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) {
    const decoder = new RecordIODecoder();
    this.opened = new Promise((resolve, reject) => {
      this.req = request(`${url}/api/v1/scheduler`, { method: 'POST', headers, agent: false }, (res) => {
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        resolve();
        res.on('data', (chunk: Buffer) => {
          for (const rec of decoder.push(chunk)) {
            const text = Buffer.from(rec).toString('utf8');
            this.raw.push(text);
            this.events.push(parseMesosJson(text) as Event);
          }
          this.notify();
        });
        const done = () => {
          this.ended = true;
          this.notify();
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      });
      this.req.on('error', (err) => {
        this.ended = true;
        this.notify();
        reject(err);
      });
      this.req.end(JSON.stringify(body));
    });
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private wait(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** The next not-yet-taken event matching `pred`; fails after `timeoutMs`. */
  async next(pred: (e: Event) => boolean = () => true, timeoutMs = 15_000): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = 0; i < this.events.length; i++) {
        const e = this.events[i] as Event;
        if (!this.taken.has(i) && pred(e)) {
          this.taken.add(i);
          return e;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) throw new Error(`no matching event within ${timeoutMs} ms (ended: ${this.ended}); got ${this.events.map((e) => e.type).join(', ')}`);
      await this.wait(left);
    }
  }

  /** Resolves true if an event matching `pred` arrives within `ms`, without taking it. */
  async sees(pred: (e: Event) => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (this.events.some((e, i) => !this.taken.has(i) && pred(e))) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.wait(left);
    }
  }

  async waitEnd(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('stream did not end');
      await this.wait(left);
    }
  }

  get streamId(): string {
    return String(this.headers['mesos-stream-id']);
  }

  close(): void {
    this.req.destroy();
  }
}

export interface Subscription {
  stream: EventStreamReader;
  frameworkId: string;
  streamId: string;
  call(body: Record<string, unknown>): Promise<HttpResult>;
}

export function frameworkInfo(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { user: 'root', name, roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }], ...extra };
}

export async function subscribe(url: string, info: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Subscription> {
  const id = (info.id as { value: string } | undefined)?.value;
  const body: Record<string, unknown> = { type: 'SUBSCRIBE', subscribe: { framework_info: info, ...extra } };
  if (id !== undefined) body.framework_id = { value: id };
  const stream = new EventStreamReader(url, body);
  await stream.opened;
  const subscribed = await stream.next((e) => e.type === 'SUBSCRIBED' || e.type === 'ERROR');
  if (subscribed.type !== 'SUBSCRIBED') throw new Error(`SUBSCRIBE refused: ${JSON.stringify(subscribed)}`);
  const frameworkId = ((subscribed.subscribed as Record<string, unknown>).framework_id as { value: string }).value;
  const streamId = stream.streamId;
  return {
    stream,
    frameworkId,
    streamId,
    call: (b) => call(url, { framework_id: { value: frameworkId }, ...b }, streamId),
  };
}

export type Offer = Record<string, unknown> & { id: { value: string }; agent_id: { value: string }; resources: Array<Record<string, unknown>> };

export async function nextOffer(s: Subscription, timeoutMs = 15_000): Promise<Offer> {
  const e = await s.stream.next((ev) => ev.type === 'OFFERS', timeoutMs);
  return ((e.offers as Record<string, unknown>).offers as Offer[])[0] as Offer;
}

export type Status = Record<string, unknown> & { task_id: { value: string }; state: string; uuid?: string; message?: string; reason?: string; source?: string; agent_id?: { value: string } };

export async function nextUpdate(s: Subscription, taskId: string, state?: string, timeoutMs = 20_000): Promise<Status> {
  const e = await s.stream.next((ev) => {
    if (ev.type !== 'UPDATE') return false;
    const st = (ev.update as { status: Status }).status;
    return st.task_id.value === taskId && (state === undefined || st.state === state);
  }, timeoutMs);
  return (e.update as { status: Status }).status;
}

export async function ack(s: Subscription, status: Status): Promise<void> {
  const r = await s.call({
    type: 'ACKNOWLEDGE',
    acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
  });
  if (r.status !== 202) throw new Error(`ACKNOWLEDGE answered ${r.status} ${r.body}`);
}

export function task(id: string, agentId: string, command: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: id,
    task_id: { value: id },
    agent_id: { value: agentId },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
    ],
    command: { value: command },
    ...extra,
  };
}

export function launch(offerIds: string[], tasks: Array<Record<string, unknown>>, filters?: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'ACCEPT',
    accept: {
      offer_ids: offerIds.map((value) => ({ value })),
      operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }],
      ...(filters !== undefined ? { filters } : {}),
    },
  };
}

/** The agent shape of the recordings (offers list ports, cpus, mem, disk). */
export const TRANSCRIPT_RESOURCES = 'ports:[31000-32000];cpus:2;mem:1024;disk:1024';

export async function cluster(options: DevClusterOptions = {}): Promise<DevCluster> {
  return startDevCluster({ resources: TRANSCRIPT_RESOURCES, allocationIntervalMs: 100, ...options });
}
