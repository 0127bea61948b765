// Fault injection for tests, under /__devcluster/ (a prefix no Mesos endpoint
// uses). POST with a JSON body (may be empty):
//   /__devcluster/frameworks/<id>/disconnect   drop the framework's SUBSCRIBE connection
//   /__devcluster/frameworks/<id>/stall        keep that connection open but write nothing more to it
//   /__devcluster/agents/<id>/remove           {"mode": "unreachable" | "gone"}
//   /__devcluster/agents                       {"resources": "...", "attributes": "..."} add an agent
//   /__devcluster/offers/<id>/rescind          RESCIND one offer
//   /__devcluster/leader                       {"to": <master index> | null} master failover
// GET /__devcluster/stats (calls by type, LAUNCH operations per ACCEPT), GET /__devcluster/journal (every
// accepted LAUNCH and ACKNOWLEDGE with its time, across failovers) and GET /__devcluster (topology).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentInfoView } from '../agent/contract.js';
import { readBody, sendJsonText, sendText } from './http-util.js';
import { toMesosJson } from './json-out.js';
import type { AgentRemovalMode } from './model.js';

export interface AddAgentRequest {
  resources?: string;
  attributes?: string;
}

export interface DevClusterFaults {
  /** Drops the framework's event stream connection (the framework becomes disconnected). */
  disconnectFramework(frameworkId: string): boolean;
  /**
   * Missed heartbeats: the framework's current stream stays open but gets
   * nothing more (no HEARTBEAT, offer, update, not even the "Framework failed
   * over" ERROR of a re-SUBSCRIBE, which still closes it). The framework stays
   * connected until its client closes the connection or re-subscribes; status
   * updates sent meanwhile are not delivered, so agents keep retrying them.
   */
  stallFramework(frameworkId: string): boolean;
  /** Removes an agent: its tasks are reported lost, frameworks get FAILURE, its offers are rescinded, its processes killed. */
  removeAgent(agentId: string, mode?: AgentRemovalMode): Promise<boolean>;
  addAgent(request?: AddAgentRequest): Promise<AgentInfoView>;
  rescindOffer(offerId: string): boolean;
  /**
   * Master failover: leadership moves to master `to` (an index into masterUrls;
   * the same index restarts the leader in place), or to nobody with `null`.
   */
  failover(to?: number | null): Promise<{ leader: string | null; masterId: string | null }>;
}

export interface FaultRouteDeps {
  faults: DevClusterFaults;
  stats(): object;
  journal(): object;
  topology(): object;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  sendJsonText(res, status, toMesosJson(value));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  const v: unknown = JSON.parse(text);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export async function handleFaultRequest(req: IncomingMessage, res: ServerResponse, path: string, deps: FaultRouteDeps): Promise<void> {
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  // parts[0] === '__devcluster'
  if (req.method === 'GET') {
    if (parts.length === 1) return json(res, 200, deps.topology());
    if (parts[1] === 'stats' && parts.length === 2) return json(res, 200, deps.stats());
    if (parts[1] === 'journal' && parts.length === 2) return json(res, 200, deps.journal());
    return sendText(res, 404, 'Unknown devcluster endpoint');
  }
  if (req.method !== 'POST') return sendText(res, 405, 'Expecting POST', { Allow: 'POST' });
  let body: Record<string, unknown>;
  try {
    body = await readJson(req);
  } catch {
    return sendText(res, 400, 'Expecting a JSON object body');
  }
  const [, kind, id, action] = parts;
  if (kind === 'frameworks' && id !== undefined && action === 'disconnect' && parts.length === 4) {
    return deps.faults.disconnectFramework(id) ? json(res, 200, {}) : sendText(res, 404, `Framework ${id} has no open stream`);
  }
  if (kind === 'frameworks' && id !== undefined && action === 'stall' && parts.length === 4) {
    return deps.faults.stallFramework(id) ? json(res, 200, {}) : sendText(res, 404, `Framework ${id} has no open stream`);
  }
  if (kind === 'agents' && id !== undefined && action === 'remove' && parts.length === 4) {
    const mode = body.mode === 'gone' ? 'gone' : 'unreachable';
    return (await deps.faults.removeAgent(id, mode)) ? json(res, 200, {}) : sendText(res, 404, `Agent ${id} is not registered`);
  }
  if (kind === 'agents' && parts.length === 2) {
    const request: AddAgentRequest = {};
    if (typeof body.resources === 'string') request.resources = body.resources;
    if (typeof body.attributes === 'string') request.attributes = body.attributes;
    const info = await deps.faults.addAgent(request);
    return json(res, 200, { id: info.id, hostname: info.hostname, url: info.url });
  }
  if (kind === 'offers' && id !== undefined && action === 'rescind' && parts.length === 4) {
    return deps.faults.rescindOffer(id) ? json(res, 200, {}) : sendText(res, 404, `Offer ${id} is not outstanding`);
  }
  if (kind === 'leader' && parts.length === 2) {
    const to = body.to === null ? null : typeof body.to === 'number' ? body.to : undefined;
    try {
      return json(res, 200, await deps.faults.failover(to));
    } catch (err) {
      return sendText(res, 400, err instanceof Error ? err.message : String(err));
    }
  }
  return sendText(res, 404, 'Unknown devcluster endpoint');
}
