// The loop that keeps the one subscription alive: subscribe, feed every
// event to the session, and after any disconnect subscribe again (same
// framework id) with backoff and jitter — unless another holder took the
// framework over.
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../common/logger.js';
import { FrameworkErrorEventError, SubscribeRefusedError, type SchedulerClient } from '../../mesos/client/index.js';
import type { Event, FrameworkInfo } from '../../mesos/schemas/index.js';

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

/** taken-over: give the session up; forgotten: subscribe as a new framework; retry: the same again. */
export type SubscribeFailure = 'taken-over' | 'forgotten' | 'retry';

export function classifySubscribeFailure(err: unknown, hasFrameworkId: boolean): SubscribeFailure {
  if (err instanceof FrameworkErrorEventError && /failed over/i.test(err.mesosMessage)) return 'taken-over';
  if (err instanceof SubscribeRefusedError && /has been removed|cannot be found/i.test(err.mesosMessage) && hasFrameworkId) return 'forgotten';
  return 'retry';
}

export function nextBackoff(backoffMs: number): number {
  return Math.min(backoffMs * 2, MAX_BACKOFF_MS);
}

export function withJitter(backoffMs: number, random: () => number = Math.random): number {
  return backoffMs + random() * backoffMs * 0.3;
}

export interface SubscriptionLoopDeps {
  client: SchedulerClient;
  signal: AbortSignal;
  log: Logger;
  frameworkInfo(): FrameworkInfo;
  frameworkId(): string | undefined;
  forgetFrameworkId(): void;
  onEvent(event: Event): void;
  onDisconnected(): void;
}

/** Runs until `signal` aborts or another scheduler takes the framework over. */
export async function keepSubscribed(d: SubscriptionLoopDeps): Promise<void> {
  let backoffMs = FIRST_BACKOFF_MS;
  while (!d.signal.aborted) {
    try {
      const sub = d.client.subscribe(d.frameworkInfo(), { signal: d.signal });
      for await (const event of sub) {
        if (event.type === 'SUBSCRIBED') backoffMs = FIRST_BACKOFF_MS;
        d.onEvent(event);
      }
      if (!d.signal.aborted) d.log.warn('event stream ended; re-subscribing');
    } catch (err) {
      if (d.signal.aborted) break;
      const failure = classifySubscribeFailure(err, Boolean(d.frameworkId()));
      if (failure === 'taken-over') {
        // Another holder subscribed with our framework id: it is the
        // session now. Subscribing again would steal it back and forth.
        d.log.warn('another scheduler took the framework over; giving the session up', { frameworkId: d.frameworkId() });
        break;
      }
      if (failure === 'forgotten' && err instanceof SubscribeRefusedError) {
        // The master forgot the framework (failover timeout passed, torn
        // down): its tasks are gone. Start afresh; the jobs learn of their
        // tasks' fate through reconciliation and retry.
        d.log.error('the master no longer knows the framework id; subscribing as a new framework', { frameworkId: d.frameworkId(), message: err.mesosMessage });
        d.forgetFrameworkId();
      } else {
        d.log.warn('subscription failed; re-subscribing', { err, backoffMs });
      }
    }
    d.onDisconnected();
    // An abort ends the wait early; the loop then sees the signal and stops.
    await delay(withJitter(backoffMs), undefined, { signal: d.signal }).catch(() => undefined);
    backoffMs = nextBackoff(backoffMs);
  }
}
