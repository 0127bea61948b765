// A ZooKeeper session for the few operations leader detection and master
// registration need, as promises over node-zookeeper-client (a pure-JS
// client): getChildren/exists with a one-shot watch, getData, create
// (ephemeral sequential), remove, and the session's life (connected,
// disconnected, expired). An expired session is dead for good: the owner
// makes a new one (ZooKeeper's rule, which Mesos follows too).
import { EventEmitter } from 'node:events';
import zookeeper from 'node-zookeeper-client';
import type { Client, Event as ZkEvent } from 'node-zookeeper-client';

export const { CreateMode } = zookeeper;

export type ZkSessionEvent = 'connected' | 'disconnected' | 'expired';

export interface ZkSessionOptions {
  /** `host:port[,host:port…]` */
  connectString: string;
  /** Requested session timeout; the server clamps it to [2, 20] × its tickTime. */
  sessionTimeoutMs: number;
  /** Digest credentials (`user:password`). */
  auth?: { user: string; password: string };
  /** Wait between connection attempts across the servers. */
  spinDelayMs?: number;
}

/** A ZooKeeper error with the operation and path it came from. */
export class ZkOperationError extends Error {
  constructor(
    readonly operation: string,
    readonly path: string,
    readonly code: number | undefined,
    cause: unknown,
  ) {
    super(`ZooKeeper ${operation} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ZkOperationError';
  }
  get noNode(): boolean {
    return this.code === zookeeper.Exception.NO_NODE;
  }
}

function codeOf(err: unknown): number | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'number' ? c : undefined;
}

export class ZkSession extends EventEmitter<{ connected: []; disconnected: []; expired: [] }> {
  private readonly client: Client;
  private closed = false;

  constructor(readonly options: ZkSessionOptions) {
    super();
    this.client = zookeeper.createClient(options.connectString, {
      sessionTimeout: options.sessionTimeoutMs,
      spinDelay: options.spinDelayMs ?? 500,
      retries: 0,
    });
    this.client.on('state', (state) => {
      if (this.closed) return;
      if (state === zookeeper.State.SYNC_CONNECTED) {
        if (options.auth) this.client.addAuthInfo('digest', Buffer.from(`${options.auth.user}:${options.auth.password}`));
        this.emit('connected');
      } else if (state === zookeeper.State.DISCONNECTED) this.emit('disconnected');
      else if (state === zookeeper.State.EXPIRED) this.emit('expired');
    });
  }

  connect(): void {
    this.client.connect();
  }

  get connected(): boolean {
    const s = this.client.getState();
    return s === zookeeper.State.SYNC_CONNECTED || s === zookeeper.State.CONNECTED_READ_ONLY;
  }

  /** Session id as hex (what ZooKeeper logs and `ephemeralOwner` shows). */
  get sessionId(): string {
    return `0x${this.client.getSessionId().toString('hex').replace(/^0+/, '')}`;
  }

  /** The id and password another client needs to take over (and so expire) this session: tests only. */
  credentials(): { sessionId: Buffer; sessionPassword: Buffer } {
    return { sessionId: this.client.getSessionId(), sessionPassword: this.client.getSessionPassword() };
  }

  private call<T>(operation: string, path: string, run: (cb: (err: unknown, value: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      run((err, value) => (err ? reject(new ZkOperationError(operation, path, codeOf(err), err)) : resolve(value)));
    });
  }

  /** Children of `path`; `watch` (once) is told when they change or the node goes. */
  getChildren(path: string, watch?: (e: ZkEvent) => void): Promise<string[]> {
    return this.call('getChildren', path, (cb) => (watch ? this.client.getChildren(path, watch, (e, c) => cb(e, c)) : this.client.getChildren(path, (e, c) => cb(e, c))));
  }

  /** Whether `path` exists; `watch` (once) is told when it is created, changed or deleted. */
  exists(path: string, watch?: (e: ZkEvent) => void): Promise<boolean> {
    return this.call('exists', path, (cb) => (watch ? this.client.exists(path, watch, (e, s) => cb(e, Boolean(s))) : this.client.exists(path, (e, s) => cb(e, Boolean(s)))));
  }

  getData(path: string): Promise<Buffer> {
    return this.call('getData', path, (cb) => this.client.getData(path, (e, d) => cb(e, d)));
  }

  /** Creates the path's missing parents (persistent, empty). */
  mkdirp(path: string): Promise<void> {
    return this.call('mkdirp', path, (cb) => this.client.mkdirp(path, (e) => cb(e, undefined)));
  }

  /** Creates a node; resolves with its actual path (with the sequence suffix of a sequential node). */
  create(path: string, data: Buffer, mode: number): Promise<string> {
    return this.call('create', path, (cb) => this.client.create(path, data, mode, (e, p) => cb(e, p)));
  }

  remove(path: string): Promise<void> {
    return this.call('remove', path, (cb) => this.client.remove(path, -1, (e) => cb(e, undefined)));
  }

  /** Ends the session (its ephemeral nodes go at once). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.removeAllListeners();
    try {
      this.client.close();
    } catch {
      // Between two connection attempts node-zookeeper-client has no socket
      // and its close() throws writing the close request to it. The client is
      // CLOSING by then, with the request queued: a connection attempt still
      // pending either fails without a retry or sends the request.
    }
  }
}
