// The agent's /files endpoints (Mesos src/files/files.cpp): /files/read,
// /files/browse and /files/download over the directories the agent has
// attached (each sandbox under its real path, its runs/latest path and the
// virtual /frameworks/<fid>/executors/<eid>/runs/latest). Status codes, texts
// and JSON shapes are those of mesos-transcripts/02 and of files.cpp.
import { open, readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, extname } from 'node:path';
import { groupName, userName } from './posix-users.js';

export interface FilesResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Bytes per /files/read answer at most: 16 pages of 4 KiB. */
export const MAX_READ_BYTES = 16 * 4096;

const TEXT = 'text/plain; charset=utf-8';

function text(status: number, body: string): FilesResponse {
  return { status, headers: { 'Content-Type': TEXT }, body };
}

function okJson(json: Buffer | string, jsonp: string | undefined): FilesResponse {
  if (jsonp !== undefined) {
    return { status: 200, headers: { 'Content-Type': 'text/javascript' }, body: Buffer.concat([Buffer.from(`${jsonp}(`), Buffer.from(json), Buffer.from(')')]) };
  }
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: json };
}

/**
 * A JSON string literal of raw bytes as Mesos writes it (rapidjson without
 * encoding validation): quotes, backslashes and control characters escaped,
 * every other byte — including partial UTF-8 sequences — passed through, so
 * `data` keeps exactly the file's bytes and offsets stay byte offsets.
 */
export function jsonStringFromBytes(bytes: Buffer): Buffer {
  const out: number[] = [0x22];
  const hex = '0123456789ABCDEF';
  for (const b of bytes) {
    if (b === 0x22) out.push(0x5c, 0x22);
    else if (b === 0x5c) out.push(0x5c, 0x5c);
    else if (b === 0x08) out.push(0x5c, 0x62);
    else if (b === 0x0c) out.push(0x5c, 0x66);
    else if (b === 0x0a) out.push(0x5c, 0x6e);
    else if (b === 0x0d) out.push(0x5c, 0x72);
    else if (b === 0x09) out.push(0x5c, 0x74);
    else if (b < 0x20) out.push(0x5c, 0x75, 0x30, 0x30, hex.charCodeAt(b >> 4), hex.charCodeAt(b & 15));
    else out.push(b);
  }
  out.push(0x22);
  return Buffer.from(out);
}

type Resolved = { kind: 'found'; path: string } | { kind: 'none' } | { kind: 'error'; message: string };

/** The attached directories and their virtual names (FilesProcess::paths). */
export class FilesRegistry {
  private readonly paths = new Map<string, string>();

  /** Attaches `realDir` (canonicalised) under `name`. */
  async attach(realDir: string, name: string): Promise<void> {
    const canonical = await realpath(realDir);
    this.paths.set(name.replace(/\/+$/, ''), canonical);
  }

  detach(name: string): void {
    this.paths.delete(name.replace(/\/+$/, ''));
  }

  attached(): Array<[string, string]> {
    return [...this.paths.entries()];
  }

  /** Longest attached prefix of `path`, then the rest below it, kept inside the attached directory. */
  async resolve(requested: string): Promise<Resolved> {
    const tokens = requested.replace(/\/+$/, '').split('/');
    const suffix: string[] = [];
    while (tokens.length > 0) {
      const prefix = tokens.join('/');
      const base = this.paths.get(prefix);
      if (base === undefined) {
        suffix.unshift(tokens.pop() as string);
        continue;
      }
      const st = await stat(base).catch(() => undefined);
      if (st === undefined) return { kind: 'none' };
      if (!st.isDirectory()) return suffix.length === 0 ? { kind: 'found', path: base } : { kind: 'none' };
      const joined = [base, ...suffix].join('/');
      let real: string;
      try {
        real = await realpath(joined);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'none' };
        return { kind: 'error', message: `Failed to determine canonical path of '${joined}': ${(err as Error).message}` };
      }
      if (real !== base && !real.startsWith(base.endsWith('/') ? base : base + '/')) {
        return { kind: 'error', message: `'${joined}' is inaccessible` };
      }
      return { kind: 'found', path: real };
    }
    return { kind: 'none' };
  }
}

/** stout's numify<int64>: decimal with optional sign, or hex with 0x. */
function parseInteger(s: string): number | string {
  let v: bigint | undefined;
  if (/^[+-]?\d+$/.test(s)) v = BigInt(s);
  else if (/^-?0[xX][0-9a-fA-F]+$/.test(s)) v = s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s);
  if (v === undefined || v > 9223372036854775807n || v < -9223372036854775808n) return `Failed to convert '${s}' to number`;
  // Offsets beyond 2^53 only ever mean "past the end"; a number keeps them ordered.
  return Number(v);
}

function lastParam(q: URLSearchParams, name: string): string | undefined {
  const all = q.getAll(name);
  return all.length === 0 ? undefined : all[all.length - 1];
}

function fromUri(path: string): string {
  return path.startsWith('file://') ? path.slice('file://'.length) : path;
}

export async function filesRead(registry: FilesRegistry, q: URLSearchParams): Promise<FilesResponse> {
  const path = lastParam(q, 'path');
  if (path === undefined || path === '') return text(400, "Expecting 'path=value' in query.\n");
  let offset = -1;
  const offsetText = lastParam(q, 'offset');
  if (offsetText !== undefined) {
    const v = parseInteger(offsetText);
    if (typeof v === 'string') return text(400, `Failed to parse offset: ${v}.\n`);
    if (v < -1) return text(400, `Negative offset provided: ${v}.\n`);
    offset = v;
  }
  let length: number | undefined;
  const lengthText = lastParam(q, 'length');
  if (lengthText !== undefined) {
    const v = parseInteger(lengthText);
    if (typeof v === 'string') return text(400, `Failed to parse length: ${v}.\n`);
    if (v < -1) return text(400, `Negative length provided: ${v}.\n`);
    if (v > -1) length = v;
  }
  const jsonp = lastParam(q, 'jsonp');

  // offset=-1 (or none) is the pager's size probe: a read of length 0.
  let readOffset = offset;
  if (offset === -1) {
    readOffset = 0;
    length = 0;
  }

  const resolved = await registry.resolve(fromUri(path));
  if (resolved.kind === 'error') return text(400, resolved.message + '.\n');
  if (resolved.kind === 'none') return text(404, '');
  const st = await stat(resolved.path).catch(() => undefined);
  if (st === undefined) return text(404, '');
  if (st.isDirectory()) return text(400, 'Cannot read a directory.\n');

  let handle;
  try {
    handle = await open(resolved.path, 'r');
  } catch (err) {
    return text(500, `Failed to open file at '${resolved.path}': ${(err as Error).message}.\n`);
  }
  try {
    const size = (await handle.stat()).size;
    const answerOffset = offset === -1 ? size : offset;
    const answer = (data: Buffer): FilesResponse =>
      okJson(Buffer.concat([Buffer.from('{"data":'), jsonStringFromBytes(data), Buffer.from(`,"offset":${answerOffset}}`)]), jsonp);
    if (readOffset >= size) return answer(Buffer.alloc(0));
    const want = Math.min(length ?? size - readOffset, MAX_READ_BYTES);
    if (want === 0) return answer(Buffer.alloc(0));
    const buf = Buffer.alloc(want);
    const { bytesRead } = await handle.read(buf, 0, want, readOffset);
    return answer(buf.subarray(0, bytesRead));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** `-rw-r--r--` from a stat mode, as Mesos's model(FileInfo) prints it. */
export function formatMode(mode: number): string {
  const type = (mode & 0o170000) >>> 0;
  const kind =
    type === 0o100000 ? '-' : type === 0o040000 ? 'd' : type === 0o020000 ? 'c' : type === 0o060000 ? 'b' : type === 0o010000 ? 'p' : type === 0o120000 ? 'l' : type === 0o140000 ? 's' : '-';
  const bit = (mask: number, c: string): string => (mode & mask ? c : '-');
  const exec = (x: number, special: number, on: string, off: string): string => (mode & special ? (mode & x ? on : off) : mode & x ? 'x' : '-');
  return (
    kind +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    exec(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    exec(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    exec(0o001, 0o1000, 't', 'T')
  );
}

function fileInfoJson(path: string, st: Stats): string {
  // Keys in std::map order, mtime a double of whole seconds, as Mesos writes them.
  const mtime = `${Math.floor(st.mtimeMs / 1000)}.0`;
  return (
    `{"gid":${JSON.stringify(groupName(st.gid))},"mode":${JSON.stringify(formatMode(st.mode))},"mtime":${mtime},` +
    `"nlink":${st.nlink},"path":${JSON.stringify(path)},"size":${st.size},"uid":${JSON.stringify(userName(st.uid))}}`
  );
}

export async function filesBrowse(registry: FilesRegistry, q: URLSearchParams): Promise<FilesResponse> {
  const path = lastParam(q, 'path');
  if (path === undefined || path === '') return text(400, "Expecting 'path=value' in query.\n");
  const jsonp = lastParam(q, 'jsonp');
  const requested = fromUri(path);
  const resolved = await registry.resolve(requested);
  if (resolved.kind === 'error') return text(400, resolved.message + '.\n');
  if (resolved.kind === 'none') return text(404, '');
  // Listing a file (not a directory) yields an empty array, as os::ls fails there.
  const names = await readdir(resolved.path).catch(() => [] as string[]);
  const entries: Array<[string, string]> = [];
  for (const name of names) {
    const full = `${resolved.path}/${name}`;
    const st = await stat(full).catch(() => undefined);
    if (st === undefined) continue;
    entries.push([full, fileInfoJson(`${requested.replace(/\/+$/, '')}/${name}`, st)]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return okJson(`[${entries.map((e) => e[1]).join(',')}]`, jsonp);
}

const MIME: Record<string, string> = {
  '.sh': 'application/x-sh',
  '.js': 'application/x-javascript',
  '.css': 'text/css',
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.xml': 'text/xml',
  '.html': 'text/html',
  '.txt': 'text/plain',
  '.zip': 'application/zip',
  '.png': 'image/png',
  '.tar': 'application/x-tar',
  '.json': 'application/json',
  '.gz': 'application/x-gzip',
};

export interface DownloadTarget {
  path: string;
  headers: Record<string, string>;
}

/** Resolves a download: either an error response or the file to stream. */
export async function filesDownload(registry: FilesRegistry, q: URLSearchParams): Promise<FilesResponse | DownloadTarget> {
  const path = lastParam(q, 'path');
  if (path === undefined || path === '') return text(400, "Expecting 'path=value' in query.\n");
  const resolved = await registry.resolve(fromUri(path));
  if (resolved.kind === 'error') return text(400, resolved.message + '.\n');
  if (resolved.kind === 'none') return text(404, '');
  const st = await stat(resolved.path).catch(() => undefined);
  if (st === undefined) return text(404, '');
  if (st.isDirectory()) return text(400, 'Cannot download a directory.\n');
  return {
    path: resolved.path,
    headers: {
      'Content-Type': MIME[extname(resolved.path)] ?? 'application/octet-stream',
      'Content-Disposition': `attachment; filename=${basename(resolved.path)}`,
      'Content-Length': String(st.size),
    },
  };
}
