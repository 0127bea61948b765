// Reading a task's sandbox files through its agent's /files/read endpoint,
// as the Mesos web UI does, so it works against real agents as well as the
// devcluster. The agent's address comes from the master's operator API.
import { Agent, request, type Dispatcher } from 'undici';
import type { LeaderDetector } from '../mesos/leader/detector.js';
import { resolveLocation } from '../mesos/client/index.js';
import { LogReadError, sandboxPath, type LogReader } from './log-source.js';

export { LogReadError, sandboxPath };

export interface AgentAddress {
  id: string;
  /** Base URL, e.g. http://10.0.0.5:5051 */
  url: string;
}

export interface FileChunk {
  data: Buffer;
  offset: number;
  nextOffset: number;
}

/**
 * Decodes the `data` string of a /files/read answer back to the file's bytes.
 * Mesos escapes only quotes, backslashes and control characters and passes
 * every other byte through (even partial UTF-8), so offsets stay byte
 * offsets only if the string is decoded at the byte level.
 */
export function decodeFilesReadBody(raw: Buffer): { data: Buffer; offset: number } {
  const text = raw.toString('latin1');
  const offsetMatch = /"offset"\s*:\s*(-?\d+)/.exec(text);
  const start = text.search(/"data"\s*:\s*"/);
  if (offsetMatch === null || start < 0) throw new Error('not a /files/read answer');
  let i = raw.indexOf(0x22, raw.indexOf(0x3a, start)) + 1;
  const out: number[] = [];
  for (; i < raw.length; i++) {
    const b = raw[i] as number;
    if (b === 0x22) break;
    if (b !== 0x5c) {
      out.push(b);
      continue;
    }
    const e = raw[++i];
    switch (e) {
      case 0x6e: out.push(0x0a); break;
      case 0x72: out.push(0x0d); break;
      case 0x74: out.push(0x09); break;
      case 0x62: out.push(0x08); break;
      case 0x66: out.push(0x0c); break;
      case 0x75: {
        const code = parseInt(raw.subarray(i + 1, i + 5).toString('latin1'), 16);
        i += 4;
        // Mesos writes \u00XX for raw control bytes; anything wider is a real code point.
        if (code < 0x100) out.push(code);
        else out.push(...Buffer.from(String.fromCharCode(code), 'utf8'));
        break;
      }
      default:
        if (e !== undefined) out.push(e);
    }
  }
  return { data: Buffer.from(out), offset: Number(offsetMatch[1]) };
}

export interface AgentFilesClientOptions {
  /** Mesos master base URLs (any of them; a non-leader redirects). */
  masters: string[];
  /** When set, the leader it knows is asked instead (MESOS_MASTER=zk://…). */
  leaderDetector?: LeaderDetector;
  timeoutMs?: number;
  /** CA and client certificate for https:// masters (the worker's MESOS_CA_FILE, MESOS_CERT_FILE, MESOS_KEY_FILE). */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer } | undefined;
  /** Basic auth for masters and agents that authenticate their read-only endpoints (MESOS_PRINCIPAL and its secret). */
  credentials?: { principal: string; secret: string } | undefined;
}

export class AgentFilesClient implements LogReader {
  private readonly agents = new Map<string, AgentAddress>();
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly authHeaders: Record<string, string>;

  constructor(private readonly options: AgentFilesClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const tls = options.tls;
    this.dispatcher = tls === undefined ? undefined : new Agent({ connect: { ...(tls.ca !== undefined ? { ca: tls.ca } : {}), ...(tls.cert !== undefined && tls.key !== undefined ? { cert: tls.cert, key: tls.key } : {}) } });
    const c = options.credentials;
    this.authHeaders = c === undefined ? {} : { Authorization: `Basic ${Buffer.from(`${c.principal}:${c.secret}`, 'utf8').toString('base64')}` };
  }

  /** Request options every call shares: timeouts, TLS, credentials. */
  private common(headers: Record<string, string> = {}): { headers: Record<string, string>; headersTimeout: number; bodyTimeout: number; dispatcher?: Dispatcher } {
    return { headers: { ...headers, ...this.authHeaders }, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs, ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}) };
  }

  /** The agent's address, from GET_AGENTS on the leading master (cached). */
  async agent(agentId: string): Promise<AgentAddress> {
    const known = this.agents.get(agentId);
    if (known) return known;
    await this.refreshAgents();
    const found = this.agents.get(agentId);
    if (!found) throw new LogReadError(`agent ${agentId} is not known to the master`, { agentId }, true);
    return found;
  }

  private async refreshAgents(): Promise<void> {
    let lastErr: unknown;
    const detector = this.options.leaderDetector;
    let masters = this.options.masters;
    if (detector) {
      try {
        masters = [await detector.leader({ timeoutMs: this.timeoutMs })];
      } catch (err) {
        throw new LogReadError(`could not list the agents: ${(err as Error).message}`, {});
      }
    }
    for (const master of masters) {
      try {
        let url = new URL('/api/v1', master).toString();
        for (let hop = 0; hop < 3; hop++) {
          const res = await request(url, {
            method: 'POST',
            body: JSON.stringify({ type: 'GET_AGENTS' }),
            ...this.common({ 'Content-Type': 'application/json', Accept: 'application/json' }),
          });
          if (res.statusCode === 307 && typeof res.headers.location === 'string') {
            await res.body.dump();
            const next = resolveLocation(res.headers.location, url, '/api/v1');
            if (next === undefined) throw new Error(`GET_AGENTS redirected to an unusable Location: ${res.headers.location}`);
            url = next;
            continue;
          }
          if (res.statusCode !== 200) throw new Error(`GET_AGENTS answered ${res.statusCode}: ${(await res.body.text()).slice(0, 200)}`);
          const json = (await res.body.json()) as { get_agents?: { agents?: Array<{ agent_info?: { id?: { value?: string }; hostname?: string; port?: number }; pid?: string }> } };
          for (const a of json.get_agents?.agents ?? []) {
            const id = a.agent_info?.id?.value;
            if (!id) continue;
            // The pid carries the address the agent bound (hostname may not resolve from here).
            const m = /@([^:]+):(\d+)$/.exec(a.pid ?? '');
            const host = m?.[1] ?? a.agent_info?.hostname;
            const port = m?.[2] ?? String(a.agent_info?.port ?? 5051);
            if (host) this.agents.set(id, { id, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` });
          }
          return;
        }
        throw new Error('too many redirects');
      } catch (err) {
        lastErr = err;
      }
    }
    throw new LogReadError(`could not list the agents from the Mesos master: ${String((lastErr as Error)?.message ?? lastErr)}`, {});
  }

  /** Bytes of a sandbox file from `offset`, at most `length`. */
  async read(agentId: string, path: string, offset: number, length: number): Promise<FileChunk> {
    const agent = await this.agent(agentId);
    const url = `${agent.url}/files/read?path=${encodeURIComponent(path)}&offset=${offset}&length=${length}`;
    let res;
    try {
      res = await request(url, this.common());
    } catch (err) {
      this.agents.delete(agentId);
      throw new LogReadError(`agent ${agentId} at ${agent.url} is unreachable: ${(err as Error).message}`, { agentId, path });
    }
    const body = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode === 404) throw new LogReadError(`no file ${path} on agent ${agentId}`, { agentId, path, status: 404 }, true);
    if (res.statusCode !== 200) throw new LogReadError(`agent ${agentId} answered ${res.statusCode}: ${body.toString('utf8').slice(0, 200)}`, { agentId, path, status: res.statusCode });
    const { data, offset: at } = decodeFilesReadBody(body);
    return { data, offset: at, nextOffset: at + data.length };
  }
}

