// The loop behind the API's Server-Sent Events streams (a job's, a batch's):
// the workflow has no push channel to clients, so the stream polls the
// state, sends an event whenever what the client sees changed, keeps a quiet
// stream open with comment lines, and ends when the state is final, when the
// client goes, or after the stream's time bound (edge runtimes bound a
// request's life; EventSource reconnects and gets the current state first).
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/** A comment line this often keeps proxies from closing a quiet stream of a long job. */
const KEEPALIVE_MS = 15_000;

export interface PolledEvents<S, V> {
  /** The SSE event name. */
  event: string;
  /** The state read before the stream started (the route answered 404 without one). */
  first: S;
  pollMs: number;
  /** Bound on the stream's life (undefined: none). */
  maxMs: number | undefined;
  /** What the client sees of a state: the event's data. */
  view(state: S): V;
  /** Equal keys: nothing changed for the client, no event. */
  changeKey(view: V): string;
  /** Whether this is the last state the stream sends. */
  isFinal(view: V): boolean;
  /** The state now; undefined keeps the last one. A failed read is logged by the caller and keeps the last one too. */
  read(): Promise<S | undefined>;
  onReadError(err: unknown): void;
}

export function streamPolledEvents<S, V>(c: Context, o: PolledEvents<S, V>): Response {
  return streamSSE(c, async (stream) => {
    let aborted = false;
    stream.onAbort(() => {
      aborted = true;
    });
    let lastKey = '';
    let seq = 0;
    let state = o.first;
    let lastWrite = Date.now();
    const endBy = o.maxMs !== undefined ? Date.now() + o.maxMs : Infinity;
    while (!aborted) {
      const view = o.view(state);
      const key = o.changeKey(view);
      if (key !== lastKey) {
        lastKey = key;
        await stream.writeSSE({ event: o.event, id: String(++seq), data: JSON.stringify(view) });
        lastWrite = Date.now();
      } else if (Date.now() - lastWrite >= KEEPALIVE_MS) {
        await stream.write(': keepalive\n\n');
        lastWrite = Date.now();
      }
      if (o.isFinal(view)) break;
      if (Date.now() >= endBy) break;
      await stream.sleep(o.pollMs);
      if (aborted) break;
      const next = await o.read().catch((err: unknown) => {
        o.onReadError(err);
        return undefined;
      });
      if (next) state = next;
    }
  });
}
