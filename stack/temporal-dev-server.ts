// Starts `temporal server start-dev` as a child process and stops it. Tests
// and `npm start` use this instead of the SDK's TestWorkflowEnvironment,
// which gives the server only 5 s to start and kills only its direct child.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../common/free-port.js';
import { findOrInstallTemporalCli } from './temporal-cli.js';

export interface SearchAttributeDef {
  name: string;
  type: 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';
}

export interface DevServerOptions {
  /** SQLite file to persist to; in memory when unset. */
  dbFile?: string;
  /** gRPC port; a free ephemeral port when unset. */
  port?: number;
  /** Port of the frontend's HTTP/JSON API (what the edge API talks to); a free ephemeral port when unset. */
  httpPort?: number;
  /** Web UI port; no UI when unset and `ui` is false. */
  uiPort?: number;
  ui?: boolean;
  namespace?: string;
  searchAttributes?: SearchAttributeDef[];
  /** How long to wait for the frontend to answer. */
  startTimeoutMs?: number;
  log?: (msg: string) => void;
}

export interface DevServer {
  address: string;
  /** host:port of the HTTP/JSON API (`--http-port`). */
  httpAddress: string;
  namespace: string;
  uiUrl: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class DevServerStartError extends Error {
  constructor(message: string, readonly output: string) {
    super(`${message}\n--- temporal server output (last lines) ---\n${output}`);
    this.name = 'DevServerStartError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReady(address: string, namespace: string, child: ChildProcess, deadline: number): Promise<void> {
  let lastErr: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await conn.close();
      }
    } catch (err) {
      lastErr = err;
      await sleep(200);
    }
  }
  throw new Error(`not ready in time: ${String(lastErr)}`);
}

function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    try {
      // The CLI runs in its own process group; signal the whole group.
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const bin = findOrInstallTemporalCli(options.log);
  const namespace = options.namespace ?? 'default';
  let lastError: Error | undefined;
  // A free port can be taken between picking it and the server binding it: retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freePort());
    const httpPort = options.httpPort ?? (await freePort());
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--http-port', String(httpPort), '--namespace', namespace, '--log-level', 'error'];
    let uiUrl: string | undefined;
    if (options.ui || options.uiPort !== undefined) {
      const uiPort = options.uiPort ?? (await freePort());
      args.push('--ui-port', String(uiPort));
      uiUrl = `http://127.0.0.1:${uiPort}`;
    } else {
      args.push('--headless');
    }
    if (options.dbFile) {
      mkdirSync(dirname(options.dbFile), { recursive: true });
      args.push('--db-filename', options.dbFile);
    }
    for (const sa of options.searchAttributes ?? []) args.push('--search-attribute', `${sa.name}=${sa.type}`);
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const address = `127.0.0.1:${port}`;
    try {
      await waitReady(address, namespace, child, Date.now() + (options.startTimeoutMs ?? 60_000));
    } catch (err) {
      await stopChild(child);
      lastError = new DevServerStartError(`Temporal dev server on ${address} failed to start: ${(err as Error).message}`, output);
      if (options.port !== undefined) break;
      continue;
    }
    const onParentExit = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    process.once('exit', onParentExit);
    return {
      address,
      httpAddress: `127.0.0.1:${httpPort}`,
      namespace,
      uiUrl,
      process: child,
      async stop() {
        process.off('exit', onParentExit);
        await stopChild(child);
      },
    };
  }
  throw lastError ?? new Error('Temporal dev server failed to start');
}
