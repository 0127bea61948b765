// The Mesos fetcher (src/launcher/fetcher.cpp) for CommandInfo.uris: each
// URI lands in the sandbox under its basename (or `output_file`); local paths
// and file:// URIs are copied, http(s) URLs downloaded; `executable` makes the
// file 0755, otherwise `extract` (default true) unpacks archives next to it
// (the archive is kept). Progress goes to the sandbox's stderr as glog lines,
// where Mesos's fetcher writes it too.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, chown, copyFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fetch } from 'undici';
import type { ExecutorLog } from './executor-log.js';

export interface FetchUri {
  value: string;
  executable?: boolean;
  extract?: boolean;
  cache?: boolean;
  output_file?: string;
}

export class UriFetchError extends Error {
  override readonly name = 'UriFetchError';
  constructor(
    readonly uri: string,
    reason: string,
  ) {
    super(`Failed to fetch '${uri}': ${reason}`);
  }
}

export interface FetchOptions {
  sandbox: string;
  log: ExecutorLog;
  /** Owner of the fetched files when the task runs as another user. */
  owner?: { uid: number; gid: number };
  /** Mesos's --frameworks_home: the base of relative URIs. */
  frameworksHome?: string;
  signal?: AbortSignal;
  stallTimeoutMs?: number;
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz|zip|gz)$/i;

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4096) err += d.toString();
    });
    child.on('error', (e) => reject(e));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${code !== null ? `exited with status ${code}` : `terminated with signal ${signal ?? '?'}`}${err ? `: ${err.trim()}` : ''}`));
    });
  });
}

async function extract(archive: string, dir: string): Promise<void> {
  if (/\.zip$/i.test(archive)) return run('unzip', ['-o', '-d', dir, archive], dir);
  if (/\.gz$/i.test(archive) && !/\.(tar\.gz|tgz)$/i.test(archive)) {
    // A lone .gz decompresses next to itself (gzip -d removes the archive, so keep a copy first).
    return run('sh', ['-c', 'gzip -dc -- "$1" > "${1%.gz}"', 'sh', archive], dir);
  }
  return run('tar', ['-C', dir, '-xf', archive], dir);
}

function sourceOf(uri: string, frameworksHome: string | undefined): { kind: 'http'; url: string } | { kind: 'file'; path: string } {
  if (/^https?:\/\//i.test(uri)) return { kind: 'http', url: uri };
  if (uri.startsWith('file://')) return { kind: 'file', path: decodeURIComponent(uri.slice('file://'.length)) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) throw new Error(`Unsupported URI scheme in '${uri}'`);
  if (isAbsolute(uri)) return { kind: 'file', path: uri };
  if (!frameworksHome) {
    throw new Error(
      'A relative path was passed for the resource but the Mesos framework home was not specified. ' +
        'Please either provide this config option or avoid using a relative path',
    );
  }
  return { kind: 'file', path: resolvePath(frameworksHome, uri) };
}

function nameOf(uri: FetchUri): string {
  if (uri.output_file) return uri.output_file;
  let path = uri.value;
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) path = decodeURIComponent(new URL(path).pathname);
  } catch {
    // Not a URL after all: use the text as a path.
  }
  const name = basename(path);
  return name === '' ? 'index.html' : name;
}

async function download(url: string, dest: string, opts: FetchOptions): Promise<void> {
  // undici's fetch follows redirects as curl -L (Mesos's fetcher) does.
  const timeout = AbortSignal.timeout(opts.stallTimeoutMs ?? 60_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const res = await fetch(url, { signal });
  if (!res.ok || res.body === null) {
    await res.body?.cancel();
    throw new Error(`Error downloading resource, received HTTP return code ${res.status}`);
  }
  await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(dest));
}

/** Fetches one URI into the sandbox; throws UriFetchError naming it. */
export async function fetchUri(uri: FetchUri, opts: FetchOptions): Promise<string> {
  const name = nameOf(uri);
  if (name.includes('/') || name === '.' || name === '..') throw new UriFetchError(uri.value, `Invalid output file name '${name}'`);
  const dest = join(opts.sandbox, name);
  opts.log.write('fetcher.cpp:562', `Fetching URI '${uri.value}'`);
  try {
    const src = sourceOf(uri.value, opts.frameworksHome);
    opts.log.write('fetcher.cpp:366', `Fetching directly into the sandbox directory`);
    if (src.kind === 'http') {
      await download(src.url, dest, opts);
      opts.log.write('fetcher.cpp:284', `Downloading resource from '${src.url}' to '${dest}'`);
    } else {
      const st = await stat(src.path).catch(() => undefined);
      if (!st) throw new Error(`Failed to find file at '${src.path}'`);
      if (st.isDirectory()) throw new Error(`Expected '${src.path}' to be a file, not a directory`);
      await copyFile(src.path, dest);
      opts.log.write('fetcher.cpp:284', `Copied resource '${src.path}' to '${dest}'`);
    }
    if (opts.owner) await chown(dest, opts.owner.uid, opts.owner.gid);
    if (uri.executable === true) {
      await chmod(dest, 0o755);
    } else if (uri.extract !== false && ARCHIVE.test(dest)) {
      await extract(dest, opts.sandbox);
      if (opts.owner) await run('chown', ['-R', `${opts.owner.uid}:${opts.owner.gid}`, opts.sandbox], opts.sandbox);
      opts.log.write('fetcher.cpp:177', `Extracted '${dest}' into '${opts.sandbox}'`);
    }
    opts.log.write('fetcher.cpp:620', `Fetched '${uri.value}' to '${dest}'`);
    return dest;
  } catch (err) {
    const e = new UriFetchError(uri.value, (err as Error).message);
    opts.log.write('fetcher.cpp:1006', e.message, 'E');
    throw e;
  }
}

export async function fetchUris(uris: readonly FetchUri[], opts: FetchOptions): Promise<void> {
  for (const uri of uris) await fetchUri(uri, opts);
}
