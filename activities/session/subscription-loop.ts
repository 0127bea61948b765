// The loop that keeps the one subscription alive: subscribe, feed every
// event to the session, and after any disconnect subscribe again (same
// framework id) with backoff and jitter — unless another holder took the
// framework over.
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../common/logger.js';
import { FrameworkErrorEventError, MesosUnauthorizedError, SubscribeRefusedError, type SchedulerClient } from '../../mesos/client/index.js';
import type { Event, FrameworkInfo } from '../../mesos/schemas/index.js';

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
/**
 * Refused credentials do not fix themselves in a quarter second: the master
 * is asked again from 2 s, doubling up to a minute, so a wrong secret costs
 * the master a handful of requests, not a storm (a fixed master-side
 * credentials file, or a secret rotated there, is still picked up).
 */
export const UNAUTHORIZED_FIRST_BACKOFF_MS = 2_000;
export const UNAUTHORIZED_MAX_BACKOFF_MS = 60_000;

/** taken-over: give the session up; forgotten: subscribe as a new framework; unauthorized: the master refused our credentials; retry: the same again. */
export type SubscribeFailure = 'taken-over' | 'forgotten' | 'unauthorized' | 'retry';

export function classifySubscribeFailure(err: unknown, hasFrameworkId: boolean): SubscribeFailure {
  if (err instanceof FrameworkErrorEventError && /failed over/i.test(err.mesosMessage)) return 'taken-over';
  if (err instanceof MesosUnauthorizedError) return 'unauthorized';
  if (err instanceof SubscribeRefusedError && /has been removed|cannot be found/i.test(err.mesosMessage) && hasFrameworkId) return 'forgotten';
  return 'retry';
}

export function nextBackoff(backoffMs: number): number {
  return Math.min(backoffMs * 2, MAX_BACKOFF_MS);
}

/** The wait before the n-th (1-based) SUBSCRIBE after consecutive 401s, before jitter. */
export function unauthorizedBackoff(consecutive: number): number {
  return Math.min(UNAUTHORIZED_FIRST_BACKOFF_MS * 2 ** Math.max(0, consecutive - 1), UNAUTHORIZED_MAX_BACKOFF_MS);
}

/** What an operator reads when the master refuses the credentials: who, where, and which settings to check. */
export function unauthorizedMessage(err: MesosUnauthorizedError, principal: string | undefined): string {
  const who = principal === undefined ? 'no credentials were sent' : `principal '${principal}'`;
  const fix = principal === undefined
    ? 'the master requires HTTP authentication of frameworks: set MESOS_PRINCIPAL and MESOS_SECRET_FILE (or MESOS_SECRET)'
    : 'check MESOS_PRINCIPAL and the secret in MESOS_SECRET_FILE (or MESOS_SECRET) against the master\'s --http_credentials';
  return `the Mesos master at ${err.url} refused the framework's credentials with HTTP 401 (${who}): ${fix}`;
}

export function withJitter(backoffMs: number, random: () => number = Math.random): number {
  return backoffMs + random() * backoffMs * 0.3;
}

export interface SubscriptionLoopDeps {
  client: SchedulerClient;
  /** The principal the client authenticates as (named in the 401 message). */
  principal: string | undefined;
  signal: AbortSignal;
  log: Logger;
  frameworkInfo(): FrameworkInfo;
  frameworkId(): string | undefined;
  forgetFrameworkId(): void;
  onEvent(event: Event): void;
  onDisconnected(): void;
  /** Why the last SUBSCRIBE failed, in words for a waiting job (undefined once subscribed). */
  onSubscribeProblem?(problem: string | undefined): void;
}

/** Runs until `signal` aborts or another scheduler takes the framework over. */
export async function keepSubscribed(d: SubscriptionLoopDeps): Promise<void> {
  let backoffMs = FIRST_BACKOFF_MS;
  let unauthorized = 0;
  while (!d.signal.aborted) {
    let waitMs: number | undefined;
    try {
      const sub = d.client.subscribe(d.frameworkInfo(), { signal: d.signal });
      for await (const event of sub) {
        if (event.type === 'SUBSCRIBED') {
          backoffMs = FIRST_BACKOFF_MS;
          unauthorized = 0;
          d.onSubscribeProblem?.(undefined);
        }
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
      } else if (failure === 'unauthorized' && err instanceof MesosUnauthorizedError) {
        unauthorized++;
        waitMs = unauthorizedBackoff(unauthorized);
        const message = unauthorizedMessage(err, d.principal);
        // The error itself carries the master's text only, never the Authorization header.
        d.log.error(message, { attempt: unauthorized, retryInMs: waitMs, master: err.url });
        d.onSubscribeProblem?.(`not subscribed to Mesos: ${message}`);
      } else {
        d.log.warn('subscription failed; re-subscribing', { err, backoffMs });
        d.onSubscribeProblem?.(`not subscribed to Mesos: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    d.onDisconnected();
    // An abort ends the wait early; the loop then sees the signal and stops.
    await delay(withJitter(waitMs ?? backoffMs), undefined, { signal: d.signal }).catch(() => undefined);
    if (waitMs === undefined) backoffMs = nextBackoff(backoffMs);
  }
}
