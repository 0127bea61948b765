// How a scheduler picks the leading master among the znodes the masters
// wrote, the way Mesos's detector does (src/zookeeper/group.cpp and
// detector.cpp, src/master/detector/zookeeper.cpp): every child of the path
// named `<label>_<sequence>` (or a bare sequence) is a member; the member
// with the lowest sequence number, the oldest, leads, whatever its label;
// children whose sequence part is not a number (a replicated log's
// `log_replicas`) are not members. The leader's data is read by its label:
// `json.info` is MasterInfo as JSON (every Mesos >= 0.24). Pure functions.
import { masterInfoSchema, type MasterInfo } from '../schemas/framework.js';

export interface Member {
  /** The child's name (`json.info_0000000003`). */
  name: string;
  /** The text before the last `_`, or '' for a bare sequence. */
  label: string;
  sequence: bigint;
}

/** The member a child name stands for, or undefined when it is no member. */
export function parseMember(name: string): Member | undefined {
  const sep = name.lastIndexOf('_');
  const label = sep === -1 ? '' : name.slice(0, sep);
  const digits = sep === -1 ? name : name.slice(sep + 1);
  if (!/^\d+$/.test(digits)) return undefined;
  return { name, label, sequence: BigInt(digits) };
}

/** The leading member: the lowest sequence number; undefined when no child is a member. */
export function chooseLeader(children: readonly string[]): Member | undefined {
  let best: Member | undefined;
  for (const child of children) {
    const m = parseMember(child);
    if (m !== undefined && (best === undefined || m.sequence < best.sequence)) best = m;
  }
  return best;
}

export class LeaderDataError extends Error {
  constructor(
    readonly member: string,
    problem: string,
  ) {
    super(`znode ${member}: ${problem}`);
    this.name = 'LeaderDataError';
  }
}

export interface LeaderAddress {
  /** Base URL of the master's HTTP API (`http://10.0.0.5:5050`). */
  url: string;
  /** MasterInfo when the data was JSON. */
  info?: MasterInfo;
}

/** MasterInfo.ip is the IPv4 address packed in network order, read as a little-endian uint32 (16777343 = 127.0.0.1). */
export function ipFromPacked(ip: number): string {
  return [ip & 0xff, (ip >>> 8) & 0xff, (ip >>> 16) & 0xff, (ip >>> 24) & 0xff].join('.');
}

function urlOf(host: string, port: number, scheme: string): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The address of a member from its znode data: `json.info` → MasterInfo JSON
 * (address.hostname, else address.ip, else hostname / the packed ip; the
 * port of address, else of MasterInfo); a bare sequence → a libprocess UPID
 * `master@ip:port` (very old masters). `info` (MasterInfo as protobuf,
 * before 0.24) is refused with a clear error.
 */
export function leaderAddress(member: Member, data: Buffer | string, scheme = 'http'): LeaderAddress {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  if (member.label === 'json.info') {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new LeaderDataError(member.name, `not JSON (${(err as Error).message})`);
    }
    const parsed = masterInfoSchema.safeParse(raw);
    if (!parsed.success) throw new LeaderDataError(member.name, `not a MasterInfo: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const info = parsed.data;
    const host = info.address?.hostname ?? info.address?.ip ?? info.hostname ?? ipFromPacked(Number(info.ip));
    const port = Number(info.address?.port ?? info.port);
    return { url: urlOf(host, port, scheme), info };
  }
  if (member.label === '') {
    const m = /^[^@]+@([^:]+):(\d+)$/.exec(text.trim());
    if (m === null) throw new LeaderDataError(member.name, `not a master UPID (${JSON.stringify(text.slice(0, 80))})`);
    return { url: urlOf(m[1] as string, Number(m[2]), scheme) };
  }
  if (member.label === 'info') throw new LeaderDataError(member.name, 'MasterInfo as protobuf (Mesos < 0.24) is not supported; upgrade the masters');
  throw new LeaderDataError(member.name, `unknown label ${JSON.stringify(member.label)}`);
}
