// Registers the devcluster's masters in ZooKeeper the way Mesos masters do
// (`--zk zk://…/mesos`): each master owns an EPHEMERAL_SEQUENTIAL
// `json.info_<10 digits>` child of the path holding its MasterInfo as JSON,
// keys sorted as Mesos writes them (mesos-transcripts/14), and the member
// with the lowest sequence leads. The devcluster decides who leads (its
// failover fault), so this module makes ZooKeeper say the same: the leader's
// entry is kept lowest by re-registering the masters ahead of it, as masters
// that restarted would (a new, higher sequence and a new MasterInfo id).
// A lost session (ZooKeeper down longer than the session timeout) loses the
// entries; they are written again on the next session.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../common/logger.js';
import type { ZkMasterSpec } from '../../mesos/master-address.js';
import { zkConnectString } from '../../mesos/master-address.js';
import { parseMember } from '../../mesos/leader/leader-choice.js';
import { CreateMode, ZkOperationError, ZkSession } from '../../mesos/leader/zk-session.js';

export const MASTER_LABEL = 'json.info';

/** MasterInfo as Mesos writes it in ZooKeeper: object keys sorted at every level. */
export function masterInfoJson(info: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sorted(info));
}

interface Entry {
  /** Full znode path with its sequence. */
  path: string;
  sequence: bigint;
  /** MasterInfo.id written in it. */
  id: string;
}

export interface MasterRegistrationSource {
  /** Number of master servers (leader and followers). */
  count(): number;
  /** Index of the leading master, or null when none leads. */
  leader(): number | null;
  /** MasterInfo of master `index`; `id` is the leading master's id, or undefined for a follower (a fresh one is made). */
  info(index: number): Record<string, unknown> & { id?: string };
}

export interface ZkRegistrationOptions {
  spec: ZkMasterSpec;
  source: MasterRegistrationSource;
  logger: Logger;
  sessionTimeoutMs?: number;
  /** How long start() waits for a first session. */
  connectTimeoutMs?: number;
}

export class ZkRegistration {
  private session: ZkSession | undefined;
  private readonly entries = new Map<number, Entry>();
  private readonly log: Logger;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: ZkRegistrationOptions) {
    this.log = options.logger.child({ component: 'devcluster-zk', zk: options.spec.display });
  }

  /** Connects and registers every master; fails with a clear error when ZooKeeper cannot be reached. */
  async start(): Promise<void> {
    await this.openSession();
    await this.sync();
  }

  private openSession(): Promise<void> {
    const spec = this.options.spec;
    const session = new ZkSession({
      connectString: zkConnectString(spec),
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 10_000,
      ...(spec.auth ? { auth: spec.auth } : {}),
    });
    this.session = session;
    session.on('expired', () => {
      this.log.warn('ZooKeeper session expired: the masters\' entries are gone; registering them again', { sessionId: session.sessionId });
      session.close();
      this.entries.clear();
      if (this.closed) return;
      this.openSession().then(
        () => this.sync(),
        (err: unknown) => this.log.error('could not open a new ZooKeeper session', { err }),
      );
    });
    const timeoutMs = this.options.connectTimeoutMs ?? 15_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        session.close();
        reject(new Error(`devcluster --zk: no ZooKeeper session with ${zkConnectString(spec)} within ${timeoutMs} ms`));
      }, timeoutMs);
      session.once('connected', () => {
        clearTimeout(timer);
        // After a reconnection (ZooKeeper restarted), catch up with failovers made meanwhile.
        session.on('connected', () => void this.sync());
        resolve();
      });
      session.connect();
    });
  }

  /** Makes ZooKeeper match the devcluster's leadership; calls are serialized. */
  sync(): Promise<void> {
    const run = this.chain.then(() => this.syncNow());
    this.chain = run.catch((err: unknown) => this.log.error('could not update the masters in ZooKeeper', { err }));
    return run;
  }

  private async create(index: number, session: ZkSession): Promise<void> {
    const info = this.options.source.info(index);
    const id = info.id ?? randomUUID();
    const path = await session.create(`${this.options.spec.path}/${MASTER_LABEL}_`, Buffer.from(masterInfoJson({ ...info, id }), 'utf8'), CreateMode.EPHEMERAL_SEQUENTIAL);
    const member = parseMember(path.slice(path.lastIndexOf('/') + 1));
    this.entries.set(index, { path, sequence: member?.sequence ?? 0n, id });
    this.log.info('master registered in ZooKeeper', { index, znode: path, masterId: id });
  }

  private async remove(index: number, session: ZkSession): Promise<void> {
    const e = this.entries.get(index);
    if (e === undefined) return;
    this.entries.delete(index);
    try {
      await session.remove(e.path);
    } catch (err) {
      if (!(err instanceof ZkOperationError && err.noNode)) throw err;
    }
  }

  private async syncNow(): Promise<void> {
    const session = this.session;
    if (session === undefined || this.closed || !session.connected) return;
    await session.mkdirp(this.options.spec.path);
    const { source } = this.options;
    const leader = source.leader();
    const all = Array.from({ length: source.count() }, (_x, i) => i);
    if (leader === null) {
      // Nobody leads: no master is a member (Mesos masters without a leader abort and restart).
      for (const i of all) await this.remove(i, session);
      return;
    }
    const ordered = [...this.entries.entries()].sort((a, b) => (a[1].sequence < b[1].sequence ? -1 : 1)).map(([i]) => i);
    const mine = this.entries.get(leader);
    const leaderId = source.info(leader).id;
    if (mine === undefined) {
      // No entry (after "nobody leads" or a lost session): the leader registers first, the others after it.
      for (const i of ordered) await this.remove(i, session);
      await this.create(leader, session);
    } else if (leaderId !== undefined && mine.id !== leaderId) {
      // The leader restarted in place (a new MasterInfo id): its new entry is written before the old one goes, so
      // ZooKeeper names the same address throughout; the others register again behind it.
      for (const i of ordered) if (i !== leader) await this.remove(i, session);
      this.entries.delete(leader);
      await this.create(leader, session);
      await session.remove(mine.path).catch((err: unknown) => {
        if (!(err instanceof ZkOperationError && err.noNode)) throw err;
      });
    } else {
      // A follower took over with the id it registered under: those ahead of it step down and come back behind it.
      for (const i of ordered.slice(0, ordered.indexOf(leader))) await this.remove(i, session);
    }
    for (const i of all) if (!this.entries.has(i)) await this.create(i, session);
  }

  /** The MasterInfo id master `index` registered under (a follower that takes over leads with it, as in Mesos). */
  registeredId(index: number): string | undefined {
    return this.entries.get(index)?.id;
  }

  /** Removes the entries and ends the session. */
  async stop(): Promise<void> {
    this.closed = true;
    await this.chain;
    this.session?.close();
    this.session = undefined;
  }
}
