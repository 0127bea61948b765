// Finds the leading Mesos master in ZooKeeper and follows it, as Mesos's
// ZooKeeperMasterDetector does: list the children of the path (watching
// them), take the member with the lowest sequence (leader-choice.ts), read
// its MasterInfo, and detect again whenever the children change. A lost
// connection keeps the last leader while the client reconnects (the session
// and its watches survive); an expired session forgets the leader and starts
// a new session. Every way of not knowing the leader — ZooKeeper
// unreachable, no such path, no master registered, unreadable data — is a
// `problem` in status(), logged once when it starts and once when it ends.
import { connect as tcpConnect } from 'node:net';
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import { zkConnectString, type ZkMasterSpec } from '../master-address.js';
import type { LeaderDetector, LeaderStatus } from './detector.js';
import { LeaderUnknownError } from './detector.js';
import { chooseLeader, leaderAddress } from './leader-choice.js';
import { ZkOperationError, ZkSession } from './zk-session.js';

export interface ZkLeaderDetectorOptions {
  spec: ZkMasterSpec;
  logger?: Logger;
  /** Requested ZooKeeper session timeout; Mesos's default --zk_session_timeout is 10 s. */
  sessionTimeoutMs?: number;
  /** After this long without a session, ZooKeeper is reported unreachable. */
  connectTimeoutMs?: number;
  /** Scheme of the masters' URLs (MasterInfo has none); default http. */
  scheme?: 'http' | 'https';
  /** Makes each ZooKeeper session (tests give sessions they drive themselves). */
  newSession?: (options: ConstructorParameters<typeof ZkSession>[0]) => ZkSessionLike;
}

/** What the detector uses of a ZkSession. */
export type ZkSessionLike = Pick<ZkSession, 'on' | 'connect' | 'close' | 'connected' | 'sessionId' | 'credentials' | 'getChildren' | 'exists' | 'getData'>;

/** Why a TCP connection to one server fails (for the "unreachable" message), or undefined when it connects. */
function probe(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (why: string | undefined) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

export class ZkLeaderDetector implements LeaderDetector {
  private readonly log: Logger;
  private readonly source: string;
  private session: ZkSessionLike | undefined;
  private current: LeaderStatus;
  private readonly listeners = new Set<(s: LeaderStatus) => void>();
  /** The session generation whose detection is running, if any. */
  private detecting: number | undefined;
  private detectAgain = false;
  private connectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Bumped per session, so late answers of an old session are ignored. */
  private generation = 0;

  constructor(private readonly options: ZkLeaderDetectorOptions) {
    this.source = options.spec.display;
    this.log = (options.logger ?? silentLogger).child({ component: 'zk-leader-detector', zk: this.source });
    this.current = { leader: undefined, problem: 'connecting to ZooKeeper', source: this.source };
    this.startSession();
  }

  status(): LeaderStatus {
    return { ...this.current };
  }

  onChange(listener: (s: LeaderStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  leader(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
    if (this.current.leader !== undefined) return Promise.resolve(this.current.leader);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const finish = (err: Error | undefined, url?: string) => {
        clearTimeout(timer);
        off();
        options.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(url as string);
      };
      const off = this.onChange((s) => {
        if (s.leader !== undefined) finish(undefined, s.leader);
      });
      const timer = setTimeout(() => finish(new LeaderUnknownError(this.source, this.current.problem ?? 'no leader')), timeoutMs);
      const onAbort = () => finish(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** ZooKeeper session id and password of the current session, so a test can expire it. */
  sessionCredentials(): { sessionId: Buffer; sessionPassword: Buffer } | undefined {
    return this.session?.credentials();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.connectTimer);
    this.session?.close();
    this.session = undefined;
    this.listeners.clear();
  }

  // ---- state ----------------------------------------------------------------

  private set(leader: string | undefined, problem: string | undefined): void {
    const before = this.current;
    this.current = { leader, problem, source: this.source };
    if (problem !== before.problem) {
      // Without a leader the session cannot subscribe: an error. With one still known (ZooKeeper briefly away) a warning.
      if (problem !== undefined && leader === undefined) this.log.error('cannot tell the leading Mesos master', { problem, lastLeader: before.leader });
      else if (problem !== undefined) this.log.warn('ZooKeeper trouble; keeping the last known leading master', { problem, leader });
      else if (before.problem !== undefined) this.log.info('leading Mesos master known again', { leader, was: before.problem });
    }
    if (leader !== before.leader) {
      this.log.info('leading Mesos master changed', { leader: leader ?? null, previous: before.leader ?? null });
      for (const l of [...this.listeners]) l(this.status());
    }
  }

  // ---- session ----------------------------------------------------------------

  private startSession(): void {
    if (this.closed) return;
    const generation = ++this.generation;
    const spec = this.options.spec;
    const sessionOptions = {
      connectString: zkConnectString(spec),
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 10_000,
      ...(spec.auth ? { auth: spec.auth } : {}),
    };
    const session = this.options.newSession ? this.options.newSession(sessionOptions) : new ZkSession(sessionOptions);
    this.session = session;
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 5000;
    const armConnectTimer = () => {
      clearTimeout(this.connectTimer);
      this.connectTimer = setTimeout(() => void this.reportUnreachable(generation), connectTimeoutMs);
      this.connectTimer.unref();
    };
    session.on('connected', () => {
      clearTimeout(this.connectTimer);
      this.log.debug('ZooKeeper session connected', { sessionId: session.sessionId });
      this.detect(generation);
    });
    session.on('disconnected', () => {
      // The session (and its watches) may survive: keep the leader, say why it may be stale.
      this.set(this.current.leader, `ZooKeeper connection lost; reconnecting (the last known leader is kept until the session expires)`);
      armConnectTimer();
    });
    session.on('expired', () => {
      this.log.warn('ZooKeeper session expired; starting a new one', { sessionId: session.sessionId });
      session.close();
      this.set(undefined, 'ZooKeeper session expired; reconnecting');
      this.startSession();
    });
    armConnectTimer();
    session.connect();
  }

  private async reportUnreachable(generation: number): Promise<void> {
    if (generation !== this.generation || this.closed || this.session?.connected) return;
    const reasons = await Promise.all(this.options.spec.servers.map(async (s) => `${s.host}:${s.port} ${(await probe(s.host, s.port, 2000)) ?? 'accepts TCP but gave no session'}`));
    if (generation !== this.generation || this.closed || this.session?.connected) return;
    const stale = this.current.leader !== undefined ? ' (the last known leader is kept until the session expires)' : '';
    this.set(this.current.leader, `ZooKeeper unreachable: ${reasons.join(', ')}${stale}`);
  }

  // ---- detection ----------------------------------------------------------------

  /**
   * Runs one detection at a time per session; a change seen meanwhile runs
   * another right after. A detection still waiting on an expired session
   * does not hold up the new session's: the old client may never answer its
   * queued requests, and while it waited the new session would never be read.
   */
  private detect(generation: number): void {
    if (this.detecting === generation) {
      this.detectAgain = true;
      return;
    }
    this.detecting = generation;
    this.detectAgain = false;
    void this.detectOnce(generation).finally(() => {
      if (this.detecting !== generation) return;
      this.detecting = undefined;
      if (this.detectAgain && generation === this.generation && !this.closed) {
        this.detectAgain = false;
        this.detect(generation);
      }
    });
  }

  private async detectOnce(generation: number): Promise<void> {
    const session = this.session;
    if (session === undefined || this.closed) return;
    const path = this.options.spec.path;
    const watch = () => {
      if (generation === this.generation && !this.closed) this.detect(generation);
    };
    try {
      let children: string[];
      try {
        children = await session.getChildren(path, watch);
      } catch (err) {
        if (err instanceof ZkOperationError && err.noNode) {
          // Watch for the path to appear (the masters create it when they start).
          const exists = await session.exists(path, watch);
          if (exists) return this.detect(generation);
          if (generation === this.generation) this.set(undefined, `no Mesos master registered: ${path} does not exist in ZooKeeper`);
          return;
        }
        throw err;
      }
      const member = chooseLeader(children);
      if (member === undefined) {
        if (generation === this.generation) this.set(undefined, `no Mesos master registered under ${path} (children: ${children.length === 0 ? 'none' : children.join(', ')})`);
        return;
      }
      let data: Buffer;
      try {
        data = await session.getData(`${path}/${member.name}`);
      } catch (err) {
        // The leader's node went between the two reads: the children watch fires and we detect again.
        if (err instanceof ZkOperationError && err.noNode) return;
        throw err;
      }
      const address = leaderAddress(member, data, this.options.scheme ?? 'http');
      if (generation === this.generation) this.set(address.url, undefined);
    } catch (err) {
      if (generation !== this.generation || this.closed) return;
      const message = err instanceof Error ? err.message : String(err);
      // A connection loss is reported by the session events; anything else is a problem of its own.
      if (session.connected) this.set(undefined, `cannot read the masters from ZooKeeper: ${message}`);
      else this.log.debug('detection interrupted by a lost connection', { err: message });
    }
  }
}

/** A detector for a parsed zk:// spec. */
export function createZkLeaderDetector(options: ZkLeaderDetectorOptions): LeaderDetector {
  return new ZkLeaderDetector(options);
}
