// Texts the Mesos command executor produces: its glog lines at the top of a
// task's stderr (mesos-transcripts 02 and 05 show them), the wait-status
// wording of its terminal messages ("Command exited with status 3",
// "Command terminated with signal Killed") and stout's Duration format.
import { appendFileSync } from 'node:fs';

// glibc's strsignal() texts on Linux, which Mesos puts in its messages.
const SIGNAL_TEXT: Record<string, string> = {
  SIGHUP: 'Hangup',
  SIGINT: 'Interrupt',
  SIGQUIT: 'Quit',
  SIGILL: 'Illegal instruction',
  SIGTRAP: 'Trace/breakpoint trap',
  SIGABRT: 'Aborted',
  SIGBUS: 'Bus error',
  SIGFPE: 'Floating point exception',
  SIGKILL: 'Killed',
  SIGUSR1: 'User defined signal 1',
  SIGSEGV: 'Segmentation fault',
  SIGUSR2: 'User defined signal 2',
  SIGPIPE: 'Broken pipe',
  SIGALRM: 'Alarm clock',
  SIGTERM: 'Terminated',
  SIGSTKFLT: 'Stack fault',
  SIGCHLD: 'Child exited',
  SIGCONT: 'Continued',
  SIGSTOP: 'Stopped (signal)',
  SIGTSTP: 'Stopped',
  SIGTTIN: 'Stopped (tty input)',
  SIGTTOU: 'Stopped (tty output)',
  SIGURG: 'Urgent I/O condition',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'File size limit exceeded',
  SIGVTALRM: 'Virtual timer expired',
  SIGPROF: 'Profiling timer expired',
  SIGWINCH: 'Window changed',
  SIGIO: 'I/O possible',
  SIGPOLL: 'I/O possible',
  SIGPWR: 'Power failure',
  SIGSYS: 'Bad system call',
};

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOEXEC: 'Exec format error',
  ENOTDIR: 'Not a directory',
  E2BIG: 'Argument list too long',
  ENOMEM: 'Cannot allocate memory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  ETXTBSY: 'Text file busy',
  EISDIR: 'Is a directory',
};

/** strerror() of a Node system error, or its message. */
export function errnoText(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined ? ERRNO_TEXT[code] : undefined) ?? err.message;
}

export function signalDescription(signal: string): string {
  return SIGNAL_TEXT[signal] ?? `Unknown signal ${signal}`;
}

/** stout's WSTRINGIFY, prefixed with "Command " as the command executor does. */
export function commandExitMessage(code: number | null, signal: string | null): string {
  if (signal !== null) return `Command terminated with signal ${signalDescription(signal)}`;
  return `Command exited with status ${code ?? 0}`;
}

/** stout's Duration output for whole milliseconds: 3secs, 500ms, 1mins, 1500ms. */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  const units: Array<[number, string]> = [
    [7 * 24 * 3600_000, 'weeks'],
    [24 * 3600_000, 'days'],
    [3600_000, 'hrs'],
    [60_000, 'mins'],
    [1000, 'secs'],
  ];
  for (let i = 0; i < units.length; i++) {
    const [size, name] = units[i] as [number, string];
    if (whole < size) continue;
    if (whole % size === 0) return `${whole / size}${name}`;
    // Not a whole number of this unit: the next smaller unit that is whole.
    for (let j = i + 1; j < units.length; j++) {
      const [s2, n2] = units[j] as [number, string];
      if (whole % s2 === 0) return `${whole / s2}${n2}`;
    }
    return `${whole}ms`;
  }
  return `${whole}ms`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** One glog line: `I1124 15:02:30.783770 24100 executor.cpp:722] Starting task t1`. */
export function glogLine(where: string, message: string, level: 'I' | 'W' | 'E' = 'I', now = new Date()): string {
  const stamp =
    `${pad(now.getMonth() + 1, 2)}${pad(now.getDate(), 2)} ` +
    `${pad(now.getHours(), 2)}:${pad(now.getMinutes(), 2)}:${pad(now.getSeconds(), 2)}.${pad(now.getMilliseconds() * 1000, 6)}`;
  return `${level}${stamp} ${process.pid} ${where}] ${message}\n`;
}

/** Appends glog lines to a sandbox file (O_APPEND, so they interleave with the task's own writes). */
export class ExecutorLog {
  constructor(private readonly path: string) {}

  write(where: string, message: string, level: 'I' | 'W' | 'E' = 'I'): void {
    this.raw(glogLine(where, message, level));
  }

  /** A line without the glog prefix (what mesos-containerizer prints with cerr). */
  raw(text: string): void {
    try {
      appendFileSync(this.path, text);
    } catch {
      // A sandbox removed under us must not take the agent down.
    }
  }
}
