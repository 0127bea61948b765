// The devcluster: a Mesos-compatible master (plus optional non-leading
// masters) and its agents in one process (README.md, "The devcluster").
// startDevCluster is what `npm start` without MESOS_MASTER, the tests and
// `mesoflow devcluster` use.
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../common/logger.js';
import type { Attribute, Resource } from '../mesos/schemas/index.js';
import type { AgentInfoView, AgentSink, DevAgent } from './agent/contract.js';
import { createAgent, type AgentOptions } from './agent/agent.js';
import type { MasterSettings } from './master/context.js';
import type { AddAgentRequest, DevClusterFaults } from './master/faults.js';
import { createMasterHttpServer, type MasterTls, type RouteContext } from './master/http-server.js';
import { buildMasterInfo, Master, type RecoveredState } from './master/master.js';
import { ZkRegistration } from './master/zk-registration.js';
import { parseMesosMaster } from '../mesos/master-address.js';
import type { AgentRemovalMode } from './master/model.js';
import { CallStats } from './master/stats.js';

export type { DevClusterFaults, AddAgentRequest } from './master/faults.js';
export type { AgentRemovalMode } from './master/model.js';
export type { MasterTls } from './master/http-server.js';

export const MESOS_VERSION = '1.12.0';

export interface AgentSpec {
  /** Mesos `--resources` syntax (`cpus:4;mem:8192;ports:[31000-32000]`) or Resource[]; missing ones get Mesos's defaults. */
  resources?: string | Resource[];
  /** Mesos `--attributes` syntax (`rack:r1;zone:a`) or Attribute[]. */
  attributes?: string | Attribute[];
}

export type AgentFactory = (options: AgentOptions, sink: AgentSink) => Promise<DevAgent>;

export interface DevClusterOptions {
  /** Address every server binds to; default 127.0.0.1. */
  host?: string;
  /** Hostname the masters and agents report; default the host. */
  hostname?: string;
  /** Port of the (first) leading master; 0 (default) = ephemeral. The CLI defaults to 5050. */
  port?: number;
  /** Number of agents; default 1. */
  agents?: number;
  /** Resources/attributes for every agent (overridden per agent by `agentSpecs`). */
  resources?: string | Resource[];
  attributes?: string | Attribute[];
  agentSpecs?: AgentSpec[];
  /** Base directory for the agents' work dirs; default a new temporary directory (removed by stop()). */
  workDir?: string;
  /** Mesos default 15000. */
  heartbeatIntervalMs?: number;
  /** Mesos default 1000. */
  allocationIntervalMs?: number;
  /** First status-update retry of the agents; Mesos default 10000. */
  statusUpdateRetryMs?: number;
  /** Filters.refuse_seconds when a DECLINE/ACCEPT gives none; Mesos default 5. */
  defaultRefuseSeconds?: number;
  /** Offers are rescinded after this long; Mesos default: never. */
  offerTimeoutMs?: number;
  /** Extra non-leading masters that redirect to the leader. */
  followers?: number;
  /**
   * `zk://host:port[,…]/path`: every master registers in this ZooKeeper as
   * Mesos masters do (`--zk`), the leader with the lowest sequence; leadership
   * changes (faults.failover) update the entries.
   */
  zk?: string;
  /** ZooKeeper session timeout of the registrations; Mesos's default --zk_session_timeout is 10 s. */
  zkSessionTimeoutMs?: number;
  /** Turns on HTTP framework authentication (basic auth) with these principals; default off, as in Mesos. */
  credentials?: Array<{ principal: string; secret: string }>;
  /** Serve the masters over HTTPS (their URLs become https://); the agents stay plain HTTP. */
  tls?: MasterTls;
  logger?: Logger;
  /** Clock of the master (timestamps, filter expiry); default Date.now. */
  now?: () => number;
  /** Creates agents; default the real agent of devcluster/agent (tests and benchmarks may pass in-process fakes). */
  agentFactory?: AgentFactory;
}

export interface DevCluster {
  /** Base URL of the leading master (`http://127.0.0.1:5050`); after a failover, the new leader's. */
  readonly masterUrl: string;
  /** Id of the current leading master (a new one after every failover). */
  readonly masterId: string;
  /** Base URLs of every master server, leader and followers; indices are those of faults.failover. */
  readonly masterUrls: string[];
  /** Index of the leading master in masterUrls, or null when no leader is elected. */
  readonly leaderIndex: number | null;
  readonly agents: DevAgent[];
  /** GET /__devcluster/stats as an object. */
  stats(): object;
  readonly faults: DevClusterFaults;
  /** The leading master's state (for tests that look inside); undefined without a leader. */
  readonly master: Master | undefined;
  /** Stops every server, every agent and every task process. */
  stop(): Promise<void>;
}

interface MasterNode {
  server: Server;
  port: number;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

class DevClusterImpl implements DevCluster, DevClusterFaults {
  readonly nodes: MasterNode[] = [];
  readonly agents: DevAgent[] = [];
  readonly callStats = new CallStats();
  private leading: Master | undefined;
  private leader: number | null = 0;
  private agentCount = 0;
  private pendingRecovery: RecoveredState | undefined;
  private stopped = false;
  private zkRegistration: ZkRegistration | undefined;
  readonly logger: Logger;
  readonly host: string;
  readonly hostname: string;
  readonly ip: string;
  private readonly sink: AgentSink = {
    statusUpdate: (update) => this.leading?.onStatusUpdate(update),
  };

  constructor(
    readonly options: DevClusterOptions,
    readonly workDir: string,
    private readonly ownsWorkDir: boolean,
  ) {
    this.logger = (options.logger ?? silentLogger).child({ component: 'devcluster' });
    this.host = options.host ?? '127.0.0.1';
    // A wildcard bind address is not an address clients can use (Location headers, offers, master_info).
    const wildcard = this.host === '0.0.0.0' || this.host === '::';
    this.hostname = options.hostname ?? (wildcard ? '127.0.0.1' : this.host);
    this.ip = isIP(this.host) === 4 && this.host !== '0.0.0.0' ? this.host : '127.0.0.1';
  }

  get faults(): DevClusterFaults {
    return this;
  }

  get master(): Master | undefined {
    return this.leading;
  }

  get leaderIndex(): number | null {
    return this.leader;
  }

  urlOf(index: number): string {
    const node = this.nodes[index] as MasterNode;
    const host = this.hostname.includes(':') ? `[${this.hostname}]` : this.hostname;
    return `${this.options.tls !== undefined ? 'https' : 'http'}://${host}:${node.port}`;
  }

  get masterUrls(): string[] {
    return this.nodes.map((_n, i) => this.urlOf(i));
  }

  get masterUrl(): string {
    return this.urlOf(this.leader ?? 0);
  }

  get masterId(): string {
    return this.leading?.masterId ?? '';
  }

  stats(): object {
    return this.callStats.toJSON();
  }

  private settingsFor(index: number): MasterSettings {
    const o = this.options;
    return {
      host: this.host,
      hostname: this.hostname,
      ip: this.ip,
      port: (this.nodes[index] as MasterNode).port,
      heartbeatIntervalMs: o.heartbeatIntervalMs ?? 15_000,
      allocationIntervalMs: o.allocationIntervalMs ?? 1000,
      defaultRefuseSeconds: o.defaultRefuseSeconds ?? 5,
      offerTimeoutMs: o.offerTimeoutMs,
      version: MESOS_VERSION,
    };
  }

  private newMaster(index: number, masterId?: string): Master {
    const master = new Master({
      settings: this.settingsFor(index),
      logger: this.logger,
      ...(masterId !== undefined ? { masterId } : {}),
      ...(this.options.now ? { now: this.options.now } : {}),
    });
    master.start();
    return master;
  }

  routeContext(index: number): RouteContext {
    const leader = this.leader;
    return {
      master: leader === index ? this.leading : undefined,
      leader: leader === null ? undefined : { hostname: this.hostname, port: (this.nodes[leader] as MasterNode).port },
      stats: this.callStats,
      faults: { faults: this, stats: () => this.stats(), journal: () => this.callStats.journal.toJSON(), topology: () => this.topology() },
      logger: this.logger,
      version: MESOS_VERSION,
      ...(this.options.credentials !== undefined ? { credentials: this.options.credentials } : {}),
    };
  }

  topology(): object {
    return {
      masters: this.masterUrls,
      leader: this.leader,
      master_id: this.leading?.masterId ?? null,
      agents: this.agents.map((a) => ({ id: a.info.id, url: a.info.url })),
    };
  }

  async start(): Promise<void> {
    const count = 1 + (this.options.followers ?? 0);
    for (let i = 0; i < count; i++) {
      const server = createMasterHttpServer(() => this.routeContext(i), this.options.tls);
      const port = await listen(server, this.host, i === 0 ? (this.options.port ?? 0) : 0);
      this.nodes.push({ server, port });
    }
    this.leading = this.newMaster(0);
    if (this.options.zk !== undefined) await this.registerInZooKeeper(this.options.zk);
    const specs = this.options.agentSpecs ?? [];
    const n = this.options.agents ?? 1;
    for (let i = 0; i < n; i++) {
      const spec = specs[i] ?? {};
      await this.startAgent(spec.resources ?? this.options.resources, spec.attributes ?? this.options.attributes);
    }
  }

  private async registerInZooKeeper(zk: string): Promise<void> {
    const spec = parseMesosMaster(zk);
    if (spec.kind !== 'zk') throw new Error(`--zk must be a zk://host:port/path address, not ${zk}`);
    const registration = new ZkRegistration({
      spec,
      logger: this.logger,
      ...(this.options.zkSessionTimeoutMs !== undefined ? { sessionTimeoutMs: this.options.zkSessionTimeoutMs } : {}),
      source: {
        count: () => this.nodes.length,
        leader: () => (this.leading === undefined ? null : this.leader),
        // The leader's id is its Master's; a follower gets a fresh one per registration.
        info: (i) => {
          const { id: _id, ...info } = buildMasterInfo(this.settingsFor(i), '');
          return i === this.leader && this.leading !== undefined ? { ...info, id: this.leading.masterId } : info;
        },
      },
    });
    this.zkRegistration = registration;
    await registration.start();
  }

  private async startAgent(resources: string | Resource[] | undefined, attributes: string | Attribute[] | undefined): Promise<DevAgent> {
    const master = this.leading;
    if (master === undefined) throw new Error('Cannot add an agent while no master leads');
    const index = this.agentCount++;
    const agentOptions: AgentOptions = {
      id: master.ids.agentId(),
      host: this.host,
      hostname: this.hostname,
      workDir: join(this.workDir, `agent-${index}`),
      statusUpdateRetryMs: this.options.statusUpdateRetryMs ?? 10_000,
      masterHostname: this.hostname,
      logger: this.logger,
      ...(resources !== undefined ? { resources } : {}),
      ...(attributes !== undefined ? { attributes } : {}),
    };
    const factory = this.options.agentFactory ?? createAgent;
    const agent = await factory(agentOptions, this.sink);
    this.agents.push(agent);
    master.addAgent(agent);
    this.logger.info('agent started', { agentId: agent.info.id, url: agent.info.url });
    return agent;
  }

  // ------------------------------------------------------------ faults

  disconnectFramework(frameworkId: string): boolean {
    const fw = this.leading?.findFramework(frameworkId);
    if (fw?.stream === undefined || !fw.stream.isOpen) return false;
    fw.stream.destroy();
    return true;
  }

  stallFramework(frameworkId: string): boolean {
    const fw = this.leading?.findFramework(frameworkId);
    if (fw?.stream === undefined || !fw.stream.isOpen) return false;
    fw.stream.stall();
    this.logger.info('framework stream stalled', { frameworkId, streamId: fw.stream.streamId });
    return true;
  }

  async removeAgent(agentId: string, mode: AgentRemovalMode = 'unreachable'): Promise<boolean> {
    const index = this.agents.findIndex((a) => a.info.id === agentId);
    if (index === -1) return false;
    const agent = this.agents[index] as DevAgent;
    this.agents.splice(index, 1);
    this.leading?.removeAgent(agentId, mode);
    await agent.stop();
    return true;
  }

  async addAgent(request: AddAgentRequest = {}): Promise<AgentInfoView> {
    const agent = await this.startAgent(request.resources ?? this.options.resources, request.attributes ?? this.options.attributes);
    return agent.info;
  }

  rescindOffer(offerId: string): boolean {
    return this.leading?.rescindOffer(offerId) ?? false;
  }

  async failover(to?: number | null): Promise<{ leader: string | null; masterId: string | null }> {
    const previous = this.leading;
    const previousIndex = previous === undefined ? null : this.leader;
    if (previous !== undefined) {
      this.pendingRecovery = previous.snapshotForFailover();
      previous.stop();
    }
    this.leading = undefined;
    if (to === null) {
      this.leader = null;
      this.logger.info('devcluster has no leading master now');
      await this.zkRegistration?.sync();
      return { leader: null, masterId: null };
    }
    const target = to ?? (this.leader === null ? 0 : (this.leader + 1) % this.nodes.length);
    if (!Number.isInteger(target) || target < 0 || target >= this.nodes.length) throw new Error(`No master with index ${target}`);
    // A follower registered in ZooKeeper leads under the id it registered with; a master restarted in place gets a new one.
    const registeredId = target !== previousIndex ? this.zkRegistration?.registeredId(target) : undefined;
    const master = this.newMaster(target, registeredId);
    const recovery = this.pendingRecovery ?? { agents: [], tasks: [] };
    this.pendingRecovery = undefined;
    master.recoverFrom(recovery);
    this.leading = master;
    this.leader = target;
    this.logger.info('devcluster master failover', { leader: this.urlOf(target), masterId: master.masterId });
    await this.zkRegistration?.sync();
    return { leader: this.urlOf(target), masterId: master.masterId };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.zkRegistration?.stop();
    this.leading?.stop();
    await Promise.all(this.nodes.map((n) => closeServer(n.server)));
    await Promise.all(this.agents.map((a) => a.stop().catch((err: unknown) => this.logger.error('agent stop failed', { err, agentId: a.info.id }))));
    if (this.ownsWorkDir) await rm(this.workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

export async function startDevCluster(options: DevClusterOptions = {}): Promise<DevCluster> {
  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'mesoflow-devcluster-')));
  const cluster = new DevClusterImpl(options, workDir, ownsWorkDir);
  try {
    await cluster.start();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
