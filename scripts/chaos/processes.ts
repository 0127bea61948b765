// Process control for the fault suite: every part of the stack runs as a real
// child process in its own process group (detached), so a fault can SIGKILL
// the whole group (node and anything it spawned) the way a crash would, and
// the harness can start it again with the same command and environment.
// Output goes to a log file per process (appended across restarts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream;
  private output = '';
  private exitWait: Promise<void> = Promise.resolve();
  /** Incarnations started so far (1 after the first start). */
  starts = 0;

  constructor(readonly spec: ProcessSpec) {
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.spec.name} is already running (pid ${this.pid})`);
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.starts++;
    this.output = '';
    this.log.write(`\n--- ${new Date().toISOString()} start #${this.starts}: ${this.spec.command} ${this.spec.args.join(' ')} (pid ${child.pid})\n`);
    const keep = (d: Buffer) => {
      this.log.write(d);
      this.output = (this.output + d.toString()).slice(-64_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exitWait = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
  }

  /** Waits until the output of the current incarnation matches `re`; fails if it exits first or the deadline passes. */
  async waitFor(re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.output);
      if (m) return m;
      if (!this.running) throw new Error(`${this.spec.name} exited before printing ${re}; last output:\n${this.output.slice(-3000)}\n(log: ${this.spec.logFile})`);
      if (Date.now() > deadline) throw new Error(`${this.spec.name} did not print ${re} within ${timeoutMs} ms (log: ${this.spec.logFile})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends `signal` to the whole process group and waits (bounded) for the exit. */
  async kill(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined || !this.running) return;
    signalGroup(pid, signal);
    const exited = await Promise.race([this.exitWait.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())]);
    if (!exited) {
      signalGroup(pid, 'SIGKILL');
      await this.exitWait;
    }
  }

  /** Graceful stop (SIGTERM, then SIGKILL after the grace), and closes the log. */
  async stop(graceMs = 15_000): Promise<void> {
    await this.kill('SIGTERM', graceMs);
    // A group member that outlived its leader (a task process) goes too.
    if (this.child?.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
    await new Promise<void>((r) => this.log.end(() => r()));
  }

  /** Whether `pid` is in this process's current process group. */
  owns(pid: number): boolean {
    const leader = this.child?.pid;
    if (leader === undefined || !this.running) return false;
    return pid === leader || processGroupOf(pid) === leader;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is gone already.
  }
}

/** The process group of `pid` (Linux /proc), or undefined. */
export function processGroupOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    return Number.isInteger(pgrp) ? pgrp : undefined;
  } catch {
    return undefined;
  }
}
