// The command executor reports how a command ended only in the status
// message ("Command exited with status 3", "Command terminated with signal
// Killed"); these read it back.

const exitedRe = /Command exited with status (-?\d+)/;
const signalRe = /Command terminated with signal (\S.*?)\s*(?:\(pid: \d+\))?$/;

export function parseExitCode(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const m = exitedRe.exec(message);
  if (!m || m[1] === undefined) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function parseTermSignal(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const m = signalRe.exec(message);
  return m?.[1];
}
