// The SUBSCRIBE stream: one long-lived POST on its own connection, read
// record by record, each record turned into a typed event. It ends without
// an error only when our side ended it (close(), the abort signal, breaking
// out of the loop, or a TEARDOWN we sent); every other end is an error the
// caller can act on (resubscribe, give up).
import type { Agent } from 'undici';
import type { SchedulerClientConfig } from './config.js';
import type { Event, SubscribedEvent } from '../schemas/index.js';
import { decodeEventRecord, errorMessage, isError, isSubscribed } from './codec.js';
import { createDispatcher, headerValue, postToLeader, readText } from './http.js';
import type { MesosResponse } from './http.js';
import {
  FrameworkErrorEventError,
  HeartbeatTimeoutError,
  MesosClientError,
  MesosUnexpectedStatusError,
  StreamClosedError,
  StreamConnectionError,
  SubscribeRefusedError,
  httpErrorFor,
} from './errors.js';
import { RecordIODecoder, RecordIOError } from '../recordio.js';

/** How many bytes of a malformed record go into the log. */
const LOGGED_RECORD_PREFIX = 256;

export interface SubscriptionHooks {
  /** The 200 answer arrived: the stream id and the leader that answered. */
  opened(info: { streamId: string | undefined; leaderUrl: string }): void;
  subscribed(event: SubscribedEvent): void;
  /** The subscription is over (any way). */
  closed(): void;
  /** True when a TEARDOWN of ours is under way, so the master ending the stream is expected. */
  expectingEnd(): boolean;
  /** Offers that failed their schema (the rest of their event was delivered); the client declines them. */
  rejectedOffers(offerIds: string[]): void;
}

export interface SubscriptionParams {
  config: SchedulerClientConfig;
  /** Base URLs to try, in order (the last known leader first). */
  masters: string[];
  /** When set, asked for the masters to try when the request is sent (the leader read from ZooKeeper). */
  resolveMasters?: ((signal: AbortSignal) => Promise<string[]>) | undefined;
  /** The serialized SUBSCRIBE call. */
  body: string;
  /** The framework id we subscribe with, if any (for error messages until SUBSCRIBED). */
  frameworkId: string | undefined;
  signal?: AbortSignal | undefined;
  hooks: SubscriptionHooks;
}

/**
 * An open (or about to open) subscription. Iterate it once with `for await`;
 * the request is sent when iteration starts.
 */
export class Subscription implements AsyncIterable<Event> {
  private readonly params: SubscriptionParams;
  private readonly closer = new AbortController();
  private iterator: AsyncGenerator<Event, void, undefined> | undefined;
  private finished = false;

  constructor(params: SubscriptionParams) {
    const closed = params.hooks.closed;
    this.params = {
      ...params,
      hooks: {
        ...params.hooks,
        closed: () => {
          this.finished = true;
          closed();
        },
      },
    };
  }

  /** True from the start of iteration until the stream has ended (any way) — i.e. while it holds a connection. */
  get live(): boolean {
    return this.iterator !== undefined && !this.finished && !this.closer.signal.aborted;
  }

  /** Ends the subscription: the iteration finishes without an error and the connection is closed. */
  close(): void {
    this.closer.abort(new DOMException('subscription closed', 'AbortError'));
  }

  get closed(): boolean {
    return this.closer.signal.aborted;
  }

  [Symbol.asyncIterator](): AsyncGenerator<Event, void, undefined> {
    if (this.iterator) throw new Error('a Subscription can be iterated only once; call subscribe() again for a new one');
    this.iterator = run(this.params, this.closer.signal);
    return this.iterator;
  }
}

async function* run(p: SubscriptionParams, closeSignal: AbortSignal): AsyncGenerator<Event, void, undefined> {
  const { config, hooks } = p;
  const log = config.logger.child({ component: 'mesos-subscription' });
  const watchdog = new AbortController();
  const signals = [closeSignal, watchdog.signal];
  if (p.signal) signals.push(p.signal);
  const signal = AbortSignal.any(signals);
  const endedByUs = (): boolean => closeSignal.aborted || (p.signal?.aborted ?? false);
  const dispatcher: Agent = createDispatcher(config, true);
  let frameworkId = p.frameworkId;
  let url = p.masters[0] ?? '';
  let timer: NodeJS.Timeout | undefined;
  let intervalSeconds = config.defaultHeartbeatIntervalSeconds;

  const disarm = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  // Counts only time spent waiting for the socket: while the consumer holds an
  // event the stream is not read, and buffered heartbeats must not look missed.
  const arm = (): void => {
    disarm();
    const ms = Math.round(config.heartbeatMissLimit * intervalSeconds * 1000);
    timer = setTimeout(() => watchdog.abort(new HeartbeatTimeoutError(frameworkId, ms, intervalSeconds, config.heartbeatMissLimit)), ms);
  };

  try {
    let res: MesosResponse;
    try {
      const masters = p.resolveMasters ? await p.resolveMasters(signal) : p.masters;
      url = masters[0] ?? url;
      res = await postToLeader(config, masters, { callType: 'SUBSCRIBE', body: p.body, dispatcher, signal });
    } catch (err) {
      if (endedByUs()) return;
      throw err;
    }
    url = res.url;
    if (res.status !== 200) {
      const text = await readText(res).catch(() => '');
      if (res.status >= 200 && res.status < 300) throw new MesosUnexpectedStatusError(res.status, text, 'SUBSCRIBE', url);
      throw httpErrorFor(res.status, text, 'SUBSCRIBE', url, headerValue(res.headers, 'www-authenticate'));
    }
    const streamId = headerValue(res.headers, 'mesos-stream-id');
    if (streamId === undefined) log.warn('SUBSCRIBE answer without a Mesos-Stream-Id header', { url });
    hooks.opened({ streamId, leaderUrl: new URL(url).origin });
    log.debug('subscription stream open', { url, streamId });

    const decoder = new RecordIODecoder({ maxRecordBytes: config.maxRecordBytes });
    let subscribed = false;
    try {
      arm();
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        for (const record of decoder.pushRecords(chunk)) {
          const decoded = decodeEventRecord(record.data);
          if (!decoded.ok) {
            // One bad record must not cost the subscription: report it with
            // enough context to find it, and keep reading.
            log.warn('skipping malformed event record', {
              url,
              frameworkId,
              recordOffset: record.offset,
              recordLength: record.data.length,
              firstBytes: Buffer.from(record.data.subarray(0, LOGGED_RECORD_PREFIX)).toString('utf8'),
              stage: decoded.stage,
              error: decoded.message,
              paths: decoded.paths,
            });
            continue;
          }
          const event = decoded.event;
          if (decoded.rejectedOffers) {
            for (const r of decoded.rejectedOffers) {
              log.warn('malformed offer in an OFFERS event; declining it', { url, frameworkId, offerId: r.offerId, error: r.message, paths: r.paths });
            }
            const ids = decoded.rejectedOffers.flatMap((r) => (r.offerId === undefined ? [] : [r.offerId]));
            if (ids.length > 0) hooks.rejectedOffers(ids);
          }
          if (isError(event)) {
            throw subscribed ? new FrameworkErrorEventError(errorMessage(event), frameworkId) : new SubscribeRefusedError(errorMessage(event), url);
          }
          if (isSubscribed(event)) {
            subscribed = true;
            frameworkId = event.subscribed.framework_id.value;
            const interval = Number(event.subscribed.heartbeat_interval_seconds);
            if (Number.isFinite(interval) && interval > 0) intervalSeconds = interval;
            hooks.subscribed(event);
          }
          // Records already decoded from this chunk must not outlive close().
          if (endedByUs()) return;
          disarm();
          yield event;
        }
        arm();
      }
      decoder.end();
    } catch (err) {
      const reason: unknown = watchdog.signal.reason;
      if (reason instanceof HeartbeatTimeoutError) throw reason;
      if (endedByUs()) return;
      if (err instanceof MesosClientError || err instanceof RecordIOError) throw err;
      if (hooks.expectingEnd()) return;
      throw new StreamConnectionError(frameworkId, url, err);
    }
    if (endedByUs() || hooks.expectingEnd()) return;
    throw new StreamClosedError(frameworkId, url);
  } finally {
    disarm();
    watchdog.abort();
    hooks.closed();
    await dispatcher.destroy().catch(() => undefined);
    log.debug('subscription closed', { url, frameworkId });
  }
}
