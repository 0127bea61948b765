// Offers (spec §11): each allocation gives all of an agent's free resources
// for one role to one framework (one offer per agent per role), skipping
// suppressed roles, resources below the minimum allocatable (cpus 0.01 or
// mem 32) and resources a decline filter covers (a filter withholds only
// offers whose resources are a subset of the refused ones, until
// max(refuse_seconds, allocation interval) has passed). Frameworks take turns
// in round-robin order, a simple stand-in for DRF that gives each a fair share.
import { isIPv4 } from 'node:net';
import type { Filters, Resource } from '../../mesos/schemas/index.js';
import { addResources, containsResources, subtractResources, sumScalar } from '../../mesos/resources.js';
import type { MasterContext } from './context.js';
import type { AgentEntry, FrameworkEntry, OfferEntry } from './model.js';
import { forArithmetic, fromArithmetic, offerForm } from './resource-format.js';

interface DeclineFilter {
  agentId: string;
  role: string;
  resources: Resource[];
  expiresAtMs: number;
}

const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

export function plus(a: readonly Resource[], b: readonly Resource[]): Resource[] {
  return fromArithmetic(addResources(forArithmetic(a), forArithmetic(b)));
}

export function minus(a: readonly Resource[], b: readonly Resource[]): Resource[] {
  return fromArithmetic(subtractResources(forArithmetic(a), forArithmetic(b)));
}

export function contains(a: readonly Resource[], b: readonly Resource[]): boolean {
  return containsResources(forArithmetic(a), forArithmetic(b));
}

/** Marks resources of the agent as used (by an offer or a task). */
export function allocateOn(agent: AgentEntry, resources: readonly Resource[]): void {
  for (const r of forArithmetic(resources)) agent.allocated.add(r);
  agent.version++;
}

/**
 * Returns resources (normalized: one entry per identity, as accountingForm
 * gives them) to the agent's free pool. False when some were not
 * allocated (an accounting bug): what was there is released, nothing throws.
 */
export function releaseOn(agent: AgentEntry, resources: readonly Resource[]): boolean {
  let consistent = true;
  for (const r of forArithmetic(resources)) {
    try {
      agent.allocated.subtract(r);
    } catch {
      consistent = false;
    }
  }
  agent.version++;
  return consistent;
}

export function freeOf(agent: AgentEntry): Resource[] {
  const cached = agent.freeCache;
  if (cached !== undefined && cached.version === agent.version) return cached.free;
  const free = minus(agent.total, fromArithmetic(agent.allocated.toResources()));
  agent.freeCache = { version: agent.version, free };
  return free;
}

function allocatable(resources: readonly Resource[]): boolean {
  const r = forArithmetic(resources);
  return sumScalar(r, 'cpus') >= 0.01 || sumScalar(r, 'mem') >= 32;
}

/** The address an agent is reached at, as Mesos reports it (never a wildcard). */
export function agentIp(host: string): string {
  return isIPv4(host) && host !== '0.0.0.0' ? host : '127.0.0.1';
}

export class Allocator {
  private readonly filters = new Map<string, DeclineFilter[]>();
  private turn = 0;
  private periodic: NodeJS.Timeout | undefined;
  private pending: NodeJS.Immediate | undefined;
  /** Allocation rounds run so far: tests wait for rounds to pass before they check that no offer came. */
  rounds = 0;

  constructor(private readonly ctx: MasterContext) {}

  start(): void {
    this.periodic = setInterval(() => this.allocateSafely(), this.ctx.settings.allocationIntervalMs);
    this.periodic.unref();
  }

  /** A timer-driven allocation must never take the process down: a failure is logged and the next run tries again. */
  private allocateSafely(): void {
    try {
      this.allocate();
    } catch (err) {
      this.ctx.logger.error('allocation failed', { err });
    }
  }

  stop(): void {
    if (this.periodic !== undefined) clearInterval(this.periodic);
    if (this.pending !== undefined) clearImmediate(this.pending);
    this.periodic = undefined;
    this.pending = undefined;
  }

  /** An allocation right after the current event (SUBSCRIBE, REVIVE, agent added), after what it already sent. */
  allocateSoon(): void {
    if (this.pending !== undefined || this.periodic === undefined) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      this.allocateSafely();
    });
  }

  /** Milliseconds a decline with these filters hides the resources; 0 = no filter. */
  refuseMs(filters: Filters | undefined): number {
    let seconds = filters?.refuse_seconds ?? this.ctx.settings.defaultRefuseSeconds;
    if (!Number.isFinite(seconds) || seconds < 0) seconds = this.ctx.settings.defaultRefuseSeconds;
    seconds = Math.min(seconds, MAX_REFUSE_SECONDS);
    if (seconds === 0) return 0;
    return Math.max(seconds * 1000, this.ctx.settings.allocationIntervalMs);
  }

  addFilter(fw: FrameworkEntry, agentId: string, role: string, resources: Resource[], filters: Filters | undefined): void {
    const ms = this.refuseMs(filters);
    if (ms === 0 || resources.length === 0) return;
    const list = this.filters.get(fw.id) ?? [];
    list.push({ agentId, role, resources, expiresAtMs: this.ctx.now() + ms });
    this.filters.set(fw.id, list);
  }

  clearFilters(fw: FrameworkEntry, roles: readonly string[] | undefined): void {
    if (roles === undefined) {
      this.filters.delete(fw.id);
      return;
    }
    const list = this.filters.get(fw.id);
    if (list !== undefined) this.filters.set(fw.id, list.filter((f) => !roles.includes(f.role)));
  }

  forget(frameworkId: string): void {
    this.filters.delete(frameworkId);
  }

  private filtered(fw: FrameworkEntry, agentId: string, role: string, resources: Resource[]): boolean {
    const list = this.filters.get(fw.id);
    if (list === undefined) return false;
    const now = this.ctx.now();
    const live = list.filter((f) => f.expiresAtMs > now);
    if (live.length !== list.length) this.filters.set(fw.id, live);
    return live.some((f) => f.agentId === agentId && f.role === role && contains(f.resources, resources));
  }

  /** Takes an offer back: its resources return to the agent's pool (with a filter when given). */
  removeOffer(offer: OfferEntry, filters?: Filters): void {
    const ctx = this.ctx;
    if (!ctx.offers.delete(offer.id)) return;
    if (offer.timer !== undefined) clearTimeout(offer.timer);
    const agent = ctx.agents.get(offer.agentId);
    if (agent !== undefined && !releaseOn(agent, offer.resources)) ctx.logger.error('offer resources were not allocated on their agent', { offerId: offer.id, agentId: agent.id });
    const fw = ctx.frameworks.get(offer.frameworkId);
    fw?.offers.delete(offer.id);
    if (fw !== undefined && filters !== undefined) this.addFilter(fw, offer.agentId, offer.role, offer.resources, filters);
  }

  /** RESCIND (offer timeout, agent removal, fault injection): the framework is told, resources return unfiltered. */
  rescind(offer: OfferEntry): void {
    const fw = this.ctx.frameworks.get(offer.frameworkId);
    this.removeOffer(offer);
    if (fw !== undefined) this.ctx.send(fw, { type: 'RESCIND', rescind: { offer_id: { value: offer.id } } });
  }

  allocate(): void {
    this.rounds++;
    const ctx = this.ctx;
    const candidates: Array<{ fw: FrameworkEntry; role: string }> = [];
    for (const fw of ctx.frameworks.values()) {
      if (!fw.active || !fw.connected) continue;
      for (const role of fw.roles) if (!fw.suppressedRoles.has(role)) candidates.push({ fw, role });
    }
    if (candidates.length === 0) return;
    const byFramework = new Map<FrameworkEntry, object[]>();
    for (const agent of ctx.agents.values()) {
      const free = freeOf(agent);
      if (free.length === 0 || !allocatable(free)) continue;
      for (let i = 0; i < candidates.length; i++) {
        const c = candidates[(this.turn + i) % candidates.length] as { fw: FrameworkEntry; role: string };
        if (this.filtered(c.fw, agent.id, c.role, free)) continue;
        const offer = this.makeOffer(agent, c.fw, c.role, free);
        const list = byFramework.get(c.fw) ?? [];
        list.push(offer);
        byFramework.set(c.fw, list);
        this.turn = (this.turn + i + 1) % candidates.length;
        break;
      }
    }
    for (const [fw, offers] of byFramework) ctx.send(fw, { type: 'OFFERS', offers: { offers } });
  }

  private makeOffer(agent: AgentEntry, fw: FrameworkEntry, role: string, resources: Resource[]): object {
    const ctx = this.ctx;
    const entry: OfferEntry = { id: ctx.ids.offerId(), frameworkId: fw.id, agentId: agent.id, role, resources };
    ctx.offers.set(entry.id, entry);
    fw.offers.add(entry.id);
    allocateOn(agent, resources);
    const timeout = ctx.settings.offerTimeoutMs;
    if (timeout !== undefined) {
      entry.timer = setTimeout(() => {
        try {
          if (ctx.offers.has(entry.id)) this.rescind(entry);
        } catch (err) {
          ctx.logger.error('offer timeout failed', { err, offerId: entry.id });
        }
      }, timeout);
      entry.timer.unref();
    }
    const multiRole = fw.capabilities.has('MULTI_ROLE');
    const caps = { multiRole, refinement: fw.capabilities.has('RESERVATION_REFINEMENT') };
    const offer: Record<string, unknown> = {
      id: { value: entry.id },
      framework_id: { value: fw.id },
      agent_id: { value: agent.id },
      hostname: agent.info.hostname,
      url: { scheme: 'http', address: { hostname: agent.info.hostname, ip: agentIp(agent.info.host), port: agent.info.port }, path: '/slave(1)' },
      resources: offerForm(resources, role, caps),
    };
    if (agent.info.attributes.length > 0) offer.attributes = agent.info.attributes;
    if (multiRole) offer.allocation_info = { role };
    return offer;
  }
}
