// What MESOS_MASTER (or a scheduler's `masters` option) may say, as Mesos's
// own `--master` flag does: comma-separated master URLs, or one
// `zk://[user:pass@]host:port[,host:port…]/path` naming the ZooKeeper
// ensemble and the path under which the masters register. Pure parsing: no
// I/O, so every process validates the setting the same way at start.

export interface ZkServer {
  host: string;
  port: number;
}

export interface ZkMasterSpec {
  kind: 'zk';
  servers: ZkServer[];
  /** Absolute znode path, without a trailing slash (`/mesos`). */
  path: string;
  /** Digest credentials (`user:pass@`), as Mesos passes them to ZooKeeper. */
  auth?: { user: string; password: string };
  /** The address with any password masked, for logs and errors. */
  display: string;
}

export interface UrlMasterSpec {
  kind: 'urls';
  urls: string[];
}

export type MesosMasterSpec = UrlMasterSpec | ZkMasterSpec;

export class MesosMasterSpecError extends Error {
  constructor(
    readonly value: string,
    readonly problem: string,
  ) {
    super(`invalid Mesos master address ${JSON.stringify(maskPassword(value))}: ${problem}`);
    this.name = 'MesosMasterSpecError';
  }
}

/** What stands for a password in anything shown (the same mask as every other secret of the settings table). */
export const PASSWORD_MASK = '********';

/** `scheme://user:password@host` → `scheme://user:********@host`, anywhere in the text (zk://, http://, https://). */
export function maskPassword(text: string): string {
  return text.replace(/(\/\/[^/@:\s,]+):[^/@\s]*@/g, `$1:${PASSWORD_MASK}@`);
}

function parseServer(text: string, whole: string): ZkServer {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(text);
  if (m === null) throw new MesosMasterSpecError(whole, `ZooKeeper server ${JSON.stringify(text)} is not host:port`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new MesosMasterSpecError(whole, `ZooKeeper port ${port} is out of range`);
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
}

function parseZk(text: string): ZkMasterSpec {
  const rest = text.slice('zk://'.length);
  const slash = rest.indexOf('/');
  if (slash === -1) throw new MesosMasterSpecError(text, 'a zk:// address needs a path (zk://host:2181/mesos)');
  let authority = rest.slice(0, slash);
  const path = rest.slice(slash).replace(/\/+$/, '');
  if (path === '' || path.includes('//') || /[\s?#]/.test(path)) {
    throw new MesosMasterSpecError(text, `znode path ${JSON.stringify(rest.slice(slash))} must be absolute, not the root, and without empty segments`);
  }
  let auth: ZkMasterSpec['auth'];
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const credentials = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = credentials.indexOf(':');
    if (colon <= 0) throw new MesosMasterSpecError(text, 'credentials must be user:password@');
    auth = { user: credentials.slice(0, colon), password: credentials.slice(colon + 1) };
  }
  const servers = authority.split(',').map((s) => parseServer(s.trim(), text));
  return { kind: 'zk', servers, path, ...(auth ? { auth } : {}), display: maskPassword(text) };
}

/**
 * Parses a master address. `zk://…` must stand alone; otherwise the text is a
 * comma-separated list of `http(s)://host:port` URLs (checked here for shape
 * only: the scheduler client keeps their origins).
 */
export function parseMesosMaster(text: string): MesosMasterSpec {
  const trimmed = text.trim();
  if (trimmed === '') throw new MesosMasterSpecError(text, 'empty');
  if (/^zk:\/\//i.test(trimmed)) return parseZk(trimmed.replace(/^zk:/i, 'zk:'));
  const urls = trimmed
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  for (const u of urls) {
    if (/^zk:\/\//i.test(u)) throw new MesosMasterSpecError(text, 'a zk:// address cannot be mixed with other masters');
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new MesosMasterSpecError(text, `${JSON.stringify(u)} is neither a URL (http://host:5050) nor zk://host:2181/path`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MesosMasterSpecError(text, `${JSON.stringify(u)}: a master URL must be http:// or https://`);
  }
  return { kind: 'urls', urls };
}

/** The ZooKeeper connection string of a spec (`h1:2181,h2:2181`). */
export function zkConnectString(spec: ZkMasterSpec): string {
  return spec.servers.map((s) => `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`).join(',');
}

/** The masters for a log line or a message: any password (zk:// or URL user:password@) masked. */
export function describeMesosMasters(masters: readonly string[]): string {
  return masters.map(maskPassword).join(',');
}
