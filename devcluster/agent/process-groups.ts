// Every task runs in its own process group (its own session, in fact); this
// module signals whole groups and makes sure none outlives the Node process:
// one 'exit' listener SIGKILLs every group still registered.

const live = new Set<number>();
let hooked = false;

function onExit(): void {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
  live.clear();
}

export function registerGroup(pgid: number): void {
  live.add(pgid);
  if (!hooked) {
    hooked = true;
    process.on('exit', onExit);
  }
}

export function unregisterGroup(pgid: number): void {
  live.delete(pgid);
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

/** Whether a process (or group, with a negative id) still exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
