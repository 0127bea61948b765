// A small stand-in for a Mesos master's scheduler endpoint, for the client's
// integration tests. It speaks HTTP/1.1 directly on a TCP socket so that the
// status lines, header lines and chunks are exactly those of the recordings
// in test/fixtures/mesos-transcripts (Node's http server would add
// `Connection`/`Keep-Alive` headers and choose chunking itself): each event
// is written as its own chunk, like libprocess does.
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RecordIODecoder, encodeRecord, recordToText } from '../../mesos/recordio.js';
import { transcriptPath } from './fixtures.js';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  /** Header lines exactly as received. */
  rawHeaders: string[];
  bodyText: string;
  /** The parsed body, when it was JSON. */
  json: unknown;
  /** `type` of the call, when the body was a JSON object with one. */
  callType: string | undefined;
  /** Which TCP connection carried it (counts from 1 per master). */
  connection: number;
}

export interface FakeResponse {
  status: number;
  body?: string;
  /** Extra header lines, e.g. [['Allow', 'POST']]. */
  headers?: Array<[string, string]>;
}

export type MasterMode =
  | { kind: 'leader' }
  /** A non-leading master that knows the leader: 307 with this Location. */
  | { kind: 'redirect'; location: string }
  /** 503 with this text ("No leader elected" / "Master has not finished recovery"). */
  | { kind: 'unavailable'; body: string };

export interface SubscribeContext {
  stream: FakeStream;
  call: Record<string, unknown>;
  master: FakeMaster;
}

export interface FakeMasterOptions {
  heartbeatIntervalSeconds?: number;
  /** Send HEARTBEAT every interval after the opening events (default true). */
  heartbeats?: boolean;
  /** Basic credentials the master requires (`--authenticate_http_frameworks`). */
  credentials?: { principal: string; secret: string };
  /**
   * What to do with a SUBSCRIBE that passed the HTTP checks. Default: the
   * opening of the recorded stream (SUBSCRIBED, HEARTBEAT, OFFERS) with this
   * master's framework id and heartbeat interval, then heartbeats.
   */
  onSubscribe?: (ctx: SubscribeContext) => void | Promise<void>;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  202: 'Accepted',
  307: 'Temporary Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

const transcript = JSON.parse(readFileSync(transcriptPath('01-subscribe.json'), 'utf8')) as {
  exchanges: Array<{ raw_recordio_first_records?: string }>;
};

/** The first three records of the recorded stream, byte for byte: SUBSCRIBED, HEARTBEAT, OFFERS. */
export const recordedOpening: string[] = (() => {
  const raw = transcript.exchanges.find((e) => e.raw_recordio_first_records)?.raw_recordio_first_records ?? '';
  const d = new RecordIODecoder();
  const out = d.push(new TextEncoder().encode(raw)).map(recordToText);
  d.end();
  return out;
})();
const RECORDED_FRAMEWORK_ID = '3fd74b6a-b45a-4bd0-a26f-c3966b1a0881-0320';

function httpDate(): string {
  return new Date().toUTCString();
}

export class FakeStream {
  readonly streamId: string;
  frameworkId: string;
  readonly socket: Socket;
  readonly closed: Promise<void>;
  private heartbeat: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(socket: Socket, streamId: string, frameworkId: string) {
    this.socket = socket;
    this.streamId = streamId;
    this.frameworkId = frameworkId;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.stopHeartbeats());
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  /** Writes bytes as one HTTP chunk. */
  writeChunk(data: string | Uint8Array): void {
    if (this.finished || this.socket.destroyed) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (bytes.length === 0) return;
    this.socket.write(Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]));
  }

  /** Writes one event as one RecordIO record in one chunk. A string is sent as-is (exact bytes). */
  writeEvent(event: string | object): void {
    this.writeChunk(encodeRecord(typeof event === 'string' ? event : JSON.stringify(event)));
  }

  startHeartbeats(intervalSeconds: number): void {
    this.stopHeartbeats();
    this.heartbeat = setInterval(() => this.writeEvent('{"type":"HEARTBEAT"}'), intervalSeconds * 1000);
  }

  stopHeartbeats(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Ends the response cleanly (final chunk), as the master does after ERROR or TEARDOWN. */
  end(): void {
    this.stopHeartbeats();
    if (this.finished || this.socket.destroyed) return;
    this.finished = true;
    this.socket.end('0\r\n\r\n');
  }

  /** Drops the connection without ending the response. */
  destroy(): void {
    this.stopHeartbeats();
    this.socket.destroy();
  }
}

export class FakeMaster {
  readonly requests: RecordedRequest[] = [];
  readonly streams: FakeStream[] = [];
  mode: MasterMode = { kind: 'leader' };
  heartbeatIntervalSeconds: number;
  readonly frameworkId = `${randomUUID()}-0000`;
  /** The master's ERROR-free answers can be replaced, per call type, for the next request(s). */
  private readonly overrides: Array<{ callType: string | undefined; response: FakeResponse }> = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly waiters: Array<() => void> = [];
  private connectionCount = 0;
  private readonly options: FakeMasterOptions;
  /** Framework ids with a current stream, and that stream. */
  private readonly current = new Map<string, FakeStream>();
  port = 0;

  private constructor(options: FakeMasterOptions) {
    this.options = options;
    this.heartbeatIntervalSeconds = options.heartbeatIntervalSeconds ?? 15;
    this.server = options.tls
      ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, (socket) => this.accept(socket))
      : createServer((socket) => this.accept(socket));
  }

  static async start(options: FakeMasterOptions = {}): Promise<FakeMaster> {
    const m = new FakeMaster(options);
    await new Promise<void>((resolve, reject) => {
      m.server.once('error', reject);
      m.server.listen(0, '127.0.0.1', () => resolve());
    });
    m.port = (m.server.address() as AddressInfo).port;
    return m;
  }

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** The scheduler calls received (SUBSCRIBE included), by type. */
  calls(type?: string): RecordedRequest[] {
    return this.requests.filter((r) => type === undefined || r.callType === type);
  }

  /** Answers the next request (of this call type, or any) with `response` instead of the normal answer. */
  respondNext(callType: string | undefined, response: FakeResponse): void {
    this.overrides.push({ callType, response });
  }

  /** Resolves when `predicate` holds, re-checked after every request and stream change. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`fake master: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitForStream(n = 1): Promise<FakeStream> {
    await this.waitFor(() => this.streams.length >= n, `stream #${n}`);
    return this.streams[n - 1] as FakeStream;
  }

  async stop(): Promise<void> {
    for (const s of this.streams) s.stopHeartbeats();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private accept(socket: Socket): void {
    const connection = ++this.connectionCount;
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.notify();
    });
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let streaming = false;
    socket.on('data', (data: Buffer) => {
      if (streaming) return;
      buf = Buffer.concat([buf, data]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1').split('\r\n');
        const [method = '', path = ''] = (head[0] ?? '').split(' ');
        const rawHeaders = head.slice(1);
        const headers: Record<string, string> = {};
        for (const line of rawHeaders) {
          const i = line.indexOf(':');
          if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        const length = Number(headers['content-length'] ?? '0');
        if (buf.length < end + 4 + length) return;
        const bodyText = buf.subarray(end + 4, end + 4 + length).toString('utf8');
        buf = buf.subarray(end + 4 + length);
        let json: unknown;
        try {
          json = JSON.parse(bodyText);
        } catch {
          json = undefined;
        }
        const callType =
          typeof json === 'object' && json !== null && typeof (json as { type?: unknown }).type === 'string' ? (json as { type: string }).type : undefined;
        const req: RecordedRequest = { method, path, headers, rawHeaders, bodyText, json, callType, connection };
        this.requests.push(req);
        this.notify();
        if (this.handle(socket, req)) {
          streaming = true;
          return;
        }
      }
    });
  }

  private send(socket: Socket, res: FakeResponse): void {
    const body = Buffer.from(res.body ?? '', 'utf8');
    const lines = [`HTTP/1.1 ${res.status} ${STATUS_TEXT[res.status] ?? 'Unknown'}`, `Date: ${httpDate()}`];
    for (const [k, v] of res.headers ?? []) lines.push(`${k}: ${v}`);
    if (body.length > 0) lines.push('Content-Type: text/plain; charset=utf-8');
    lines.push(`Content-Length: ${body.length}`);
    socket.write(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]));
  }

  /** Returns true when the socket now carries an event stream. */
  private handle(socket: Socket, req: RecordedRequest): boolean {
    const auth = this.options.credentials;
    if (auth) {
      const expected = `Basic ${Buffer.from(`${auth.principal}:${auth.secret}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        this.send(socket, { status: 401, body: '401 Unauthorized.', headers: [['WWW-Authenticate', 'Basic realm="mesos-master-scheduler"']] });
        return false;
      }
    }
    if (this.mode.kind === 'redirect') {
      this.send(socket, { status: 307, headers: [['Location', this.mode.location]] });
      return false;
    }
    if (this.mode.kind === 'unavailable') {
      this.send(socket, { status: 503, body: this.mode.body });
      return false;
    }
    const i = this.overrides.findIndex((o) => o.callType === undefined || o.callType === req.callType);
    if (i >= 0) {
      const [o] = this.overrides.splice(i, 1);
      this.send(socket, (o as { response: FakeResponse }).response);
      return false;
    }
    // The checks of Master::Http::scheduler, in its order (spec §3).
    if (req.method !== 'POST') {
      this.send(socket, { status: 405, body: `405 Method Not Allowed. Expecting one of { 'POST' }, but received '${req.method}'.`, headers: [['Allow', 'POST']] });
      return false;
    }
    const contentType = req.headers['content-type'];
    if (contentType === undefined) return this.fail(socket, 400, "Expecting 'Content-Type' to be present");
    if (contentType !== 'application/json') return this.fail(socket, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
    if (req.json === undefined) return this.fail(socket, 400, 'Failed to parse body into JSON: syntax error at line 1 near: ');
    if (typeof req.json !== 'object' || req.json === null || Array.isArray(req.json)) {
      return this.fail(socket, 400, 'Failed to convert JSON into Call protobuf: Expecting a JSON object');
    }
    const call = req.json as Record<string, unknown>;
    if (req.callType === undefined) return this.fail(socket, 400, "Failed to validate scheduler::Call: Expecting 'type' to be present");
    const fid = (call.framework_id as { value?: string } | undefined)?.value;
    if (req.callType === 'SUBSCRIBE') {
      const info = (call.subscribe as { framework_info?: { id?: { value?: string } } } | undefined)?.framework_info;
      if (info === undefined) return this.fail(socket, 400, "Failed to validate scheduler::Call: Expecting 'subscribe' to be present");
      if ((fid ?? '') !== (info.id?.value ?? '')) return this.fail(socket, 400, "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'");
      if (req.headers['mesos-stream-id'] !== undefined) return this.fail(socket, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
      this.openStream(socket, call, fid ?? this.frameworkId);
      return true;
    }
    if (fid === undefined) return this.fail(socket, 400, "Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
    const stream = this.current.get(fid);
    if (stream === undefined) return this.fail(socket, 400, 'Framework cannot be found');
    if (stream.isClosed) return this.fail(socket, 403, 'Framework is not subscribed');
    const sid = req.headers['mesos-stream-id'];
    if (sid === undefined) return this.fail(socket, 400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    if (sid !== stream.streamId) {
      return this.fail(socket, 400, `The stream ID '${sid}' included in this request didn't match the stream ID currently associated with framework ID ${fid}`);
    }
    if (req.callType === 'TEARDOWN') {
      // The master ends the stream before the 202 is complete (transcript 01).
      stream.end();
      this.current.delete(fid);
    }
    this.send(socket, { status: req.callType === 'UPDATE_FRAMEWORK' ? 200 : 202 });
    return false;
  }

  private fail(socket: Socket, status: number, body: string): false {
    this.send(socket, { status, body });
    return false;
  }

  private openStream(socket: Socket, call: Record<string, unknown>, frameworkId: string): void {
    const streamId = randomUUID();
    socket.write(
      ['HTTP/1.1 200 OK', `Date: ${httpDate()}`, 'Transfer-Encoding: chunked', `Mesos-Stream-Id: ${streamId}`, 'Content-Type: application/json', '', ''].join('\r\n'),
    );
    const stream = new FakeStream(socket, streamId, frameworkId);
    const previous = this.current.get(frameworkId);
    this.current.set(frameworkId, stream);
    if (previous && !previous.isClosed) {
      previous.writeEvent('{"type":"ERROR","error":{"message":"Framework failed over"}}');
      previous.end();
    }
    this.streams.push(stream);
    this.notify();
    if (this.options.onSubscribe) {
      void Promise.resolve(this.options.onSubscribe({ stream, call, master: this }));
      return;
    }
    this.writeOpening(stream);
    if (this.options.heartbeats ?? true) stream.startHeartbeats(this.heartbeatIntervalSeconds);
  }

  /** The recorded SUBSCRIBED / HEARTBEAT / OFFERS, with this stream's framework id and this master's interval and port. */
  writeOpening(stream: FakeStream): void {
    const [subscribed = '', heartbeat = '', offers = ''] = recordedOpening;
    const fix = (s: string): string => s.split(RECORDED_FRAMEWORK_ID).join(stream.frameworkId);
    stream.writeEvent(
      fix(subscribed)
        .replace('"heartbeat_interval_seconds":15.0', `"heartbeat_interval_seconds":${formatDouble(this.heartbeatIntervalSeconds)}`)
        .split('25050')
        .join(String(this.port)),
    );
    stream.writeEvent(heartbeat);
    stream.writeEvent(fix(offers));
  }
}

/** Mesos prints integral doubles with a fraction (`15.0`). */
export function formatDouble(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}
