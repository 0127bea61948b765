// Runs a bundled Worker (dist-edge/worker.js) in workerd locally — the
// runtime Cloudflare Workers use, from the `workerd` npm package; no account,
// no network — with the given text bindings, on an ephemeral loopback port.
// Outbound fetches may reach loopback and private addresses (the dev server,
// an internal API), which the default "internet" service would refuse.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../common/free-port.js';

export interface LocalWorker {
  url: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const capnpString = (s: string) => JSON.stringify(s);

function configText(bindings: Record<string, string>): string {
  const b = Object.entries(bindings)
    .map(([k, v]) => `(name = ${capnpString(k)}, text = ${capnpString(v)})`)
    .join(',\n    ');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .mainWorker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const mainWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-09-01",
  bindings = [
    ${b}
  ],
  globalOutbound = "internet",
);
`;
}

/** The command running workerd: the package's install step replaces its bin/workerd (a node script) by the native binary when it can. */
function workerdCommand(): string[] {
  const bin = join(createRequire(import.meta.url).resolve('workerd/package.json'), '..', 'bin', 'workerd');
  const head = Buffer.alloc(4);
  const fd = openSync(bin, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString('latin1') === '\x7fELF' ? [bin] : [process.execPath, bin];
}

export async function startLocalWorker(bundleFile: string, bindings: Record<string, string>, timeoutMs = 60_000): Promise<LocalWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'mesoflow-workerd-'));
  copyFileSync(bundleFile, join(dir, 'worker.js'));
  writeFileSync(join(dir, 'config.capnp'), configText(bindings));
  let lastErr = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const [cmd, ...pre] = workerdCommand() as [string, ...string[]];
    const child = spawn(cmd, [...pre, 'serve', join(dir, 'config.capnp'), '--socket-addr', `http=127.0.0.1:${port}`, '--verbose'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    const stop = () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) {
          return {
            url,
            process: child,
            output: () => out,
            async stop() {
              await stop();
              rmSync(dir, { recursive: true, force: true });
            },
          };
        }
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    lastErr = out;
    await stop();
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`workerd did not serve the Worker in time\n--- workerd output ---\n${lastErr}`);
}
