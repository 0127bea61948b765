// CPU time of a process and its descendants, from /proc (Linux): what a
// benchmark can read of a child it started, which process.cpuUsage() cannot.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** pid → [ppid, utime + stime in ticks] of every live process. */
function table(): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 4 (ppid), 14 (utime), 15 (stime), counted from 1 with pid and comm first.
    out.set(Number(name), [Number(f[1]), Number(f[11]) + Number(f[12])]);
  }
  return out;
}

/** CPU milliseconds (user + system) used so far by `pid` and every live descendant. */
export function treeCpuMs(pid: number): number {
  const t = table();
  let ticks = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop() as number;
    ticks += t.get(p)?.[1] ?? 0;
    for (const [child, [ppid]] of t) if (ppid === p) stack.push(child);
  }
  return (ticks * 1000) / clockTicks();
}

export function hasProc(): boolean {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}
