// Running mesoflow's own processes (`mesoflow api`, `mesoflow worker`, …) as
// a deployment would: separate OS processes, configured only through the
// environment, with everything they write kept for the assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const bin = fileURLToPath(new URL('../../../cli/bin.js', import.meta.url));

export interface MesoflowProcess {
  name: string;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `re` in the output (its first group, or the whole match). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
}

export function spawnMesoflow(name: string, args: string[], env: NodeJS.ProcessEnv, track: Set<MesoflowProcess>): MesoflowProcess {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const p: MesoflowProcess = {
    name,
    child,
    output: () => out,
    exited,
    async waitFor(re, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(out);
        if (m) return m[1] ?? m[0];
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before printing ${re}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`${name} did not print ${re} within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  track.add(p);
  return p;
}

export function killAll(track: Set<MesoflowProcess>): void {
  for (const p of track) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
}
