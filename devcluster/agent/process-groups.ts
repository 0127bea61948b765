// Every task runs in its own process group (its own session, in fact), so
// nothing a signal to the Node process does reaches it. This module signals
// whole groups and makes sure none outlives the Node process, however it
// ends: an 'exit' listener SIGKILLs the groups still registered, and — for
// deaths that run no JavaScript (SIGKILL, an unhandled SIGTERM) — a small
// detached shell watchdog holds a pipe from this process and SIGKILLs the
// same groups when that pipe closes.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

const live = new Set<number>();
let hooked = false;
let watchdog: ChildProcess | undefined;

// Reads "+<pgid>" / "-<pgid>" lines; at end of input (this process is gone) kills what is left.
const WATCHDOG_SCRIPT = `
trap '' INT TERM HUP
groups=""
while read -r line; do
  case "$line" in
    +*) groups="$groups \${line#+}" ;;
    -*) p="\${line#-}"; kept=""; for g in $groups; do [ "$g" = "$p" ] || kept="$kept $g"; done; groups="$kept" ;;
  esac
done
for g in $groups; do kill -KILL "-$g" 2>/dev/null; done
`;

function startWatchdog(): ChildProcess | undefined {
  try {
    const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    child.on('error', () => {
      watchdog = undefined;
    });
    child.stdin?.on('error', () => undefined);
    // Neither the watchdog nor its pipe may keep this process alive.
    child.unref();
    (child.stdin as unknown as Socket | null)?.unref?.();
    return child;
  } catch {
    return undefined;
  }
}

function tellWatchdog(line: string): void {
  if (watchdog === undefined || watchdog.exitCode !== null) watchdog = startWatchdog();
  watchdog?.stdin?.write(line + '\n');
}

function onExit(): void {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
  live.clear();
}

export function registerGroup(pgid: number): void {
  live.add(pgid);
  tellWatchdog(`+${pgid}`);
  if (!hooked) {
    hooked = true;
    process.on('exit', onExit);
  }
}

export function unregisterGroup(pgid: number): void {
  if (live.delete(pgid)) tellWatchdog(`-${pgid}`);
}

/** Signals the process group led by `pgid`; false when it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
