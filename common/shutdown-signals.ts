// What SIGINT/SIGTERM mean to every mesoflow process: the first one starts a
// graceful stop; a second one forces the exit, EXCEPT the same signal again
// within a short window: under `npm start` one Ctrl-C reaches the process
// twice (from the terminal, to the whole process group, and forwarded by npm),
// and that is still one request to stop gracefully.

export const DUPLICATE_SIGNAL_WINDOW_MS = 1000;

export interface SignalState {
  first?: { signal: NodeJS.Signals; at: number };
}

export type SignalDecision = 'stop' | 'duplicate' | 'force';

/** Pure: what a signal arriving at `now` means, given what came before. */
export function decideSignal(state: SignalState, signal: NodeJS.Signals, now: number, windowMs = DUPLICATE_SIGNAL_WINDOW_MS): SignalDecision {
  if (!state.first) {
    state.first = { signal, at: now };
    return 'stop';
  }
  if (state.first.signal === signal && now - state.first.at < windowMs) return 'duplicate';
  return 'force';
}

export interface ShutdownOptions {
  /** The graceful stop; the process exits 0 when it resolves, 1 when it rejects. */
  stop: () => Promise<void>;
  /** One line per decision, for the person or the log. */
  log: (msg: string, fields: Record<string, unknown>) => void;
  /** After this long the stop is abandoned and the process exits 1. */
  hardTimeoutMs: number;
  windowMs?: number;
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
}

export function handleShutdownSignals(options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const state: SignalState = {};
  const onSignal = (signal: NodeJS.Signals) => {
    const decision = decideSignal(state, signal, Date.now(), options.windowMs);
    if (decision === 'duplicate') {
      options.log('same signal again right away (one Ctrl-C under npm arrives twice): still stopping gracefully', { signal });
      return;
    }
    if (decision === 'force') {
      options.log(`second signal (${signal}): exiting now`, { signal });
      exit(130);
      return;
    }
    options.log('stopping gracefully (a second signal forces the exit)', { signal });
    const timer = setTimeout(() => {
      options.log('graceful stop took too long: exiting now', { signal, afterMs: options.hardTimeoutMs });
      exit(1);
    }, options.hardTimeoutMs);
    timer.unref();
    options.stop().then(
      () => exit(0),
      (err: unknown) => {
        options.log('stopping failed', { err: String((err as Error)?.message ?? err) });
        exit(1);
      },
    );
  };
  for (const s of options.signals ?? ['SIGINT', 'SIGTERM']) process.on(s, onSignal);
}
