// One SUBSCRIBE response: a RecordIO stream of events (spec §4): 200,
// chunked, Content-Type the records' media type (JSON, or protobuf for a
// client that accepts only that), Mesos-Stream-Id; one record per
// write (one chunk), HEARTBEAT right after SUBSCRIBED and then every interval.
// Distinguishes the master ending the stream (TEARDOWN, failover, refusal)
// from the client going away, which is what disconnects a framework.
// A stalled stream (fault injection) stays open but writes nothing more, as a
// hung master or a network partition would look to the scheduler.
import type { ServerResponse } from 'node:http';
import { encodeRecord } from '../../mesos/recordio.js';
import type { Logger } from '../../common/logger.js';
import { toMesosJson } from './json-out.js';
import { PROTOBUF_MEDIA_TYPE, type MediaType } from './http-util.js';
import { encodeFromJson } from './protobuf-codec.js';
import { newStreamId } from './ids.js';

export interface EventStreamOptions {
  /** The media type of every record (negotiated from the SUBSCRIBE's Accept header). */
  mediaType: MediaType;
  heartbeatIntervalMs: number;
  logger: Logger;
  /** Called once when the client closed the connection (not when the master ended the stream). */
  onClientClose: () => void;
}

export class EventStream {
  readonly streamId = newStreamId();
  private heartbeat: NodeJS.Timeout | undefined;
  private ended = false;
  private corked = false;
  private stalled = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: EventStreamOptions,
  ) {
    res.on('close', () => {
      const byClient = !this.ended;
      this.ended = true;
      this.stopHeartbeats();
      if (byClient) this.options.onClientClose();
    });
  }

  /** Writes the response head; the stream is open from here on. */
  open(): void {
    this.res.writeHead(200, { 'Content-Type': this.options.mediaType, 'Mesos-Stream-Id': this.streamId });
    // Flush the head now: a client waits for it before reading events.
    this.res.flushHeaders();
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  get isStalled(): boolean {
    return this.stalled;
  }

  /** From now on nothing is written (events are dropped) while the connection stays open (fault injection). */
  stall(): void {
    this.stalled = true;
    this.stopHeartbeats();
  }

  send(event: object): void {
    if (this.ended || this.stalled || this.res.destroyed) return;
    // Records written in the same tick leave in one syscall; each is still its own chunk.
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      process.nextTick(() => {
        this.corked = false;
        this.res.uncork();
      });
    }
    this.res.write(encodeRecord(this.options.mediaType === PROTOBUF_MEDIA_TYPE ? encodeFromJson('mesos.v1.scheduler.Event', event) : toMesosJson(event)));
  }

  startHeartbeats(): void {
    if (this.stalled) return;
    this.send({ type: 'HEARTBEAT' });
    this.heartbeat = setInterval(() => this.send({ type: 'HEARTBEAT' }), this.options.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  private stopHeartbeats(): void {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Ends the stream cleanly (final chunk), optionally after one last event. */
  end(lastEvent?: object): void {
    if (this.ended) return;
    if (lastEvent !== undefined) this.send(lastEvent);
    this.ended = true;
    this.stopHeartbeats();
    this.res.end();
  }

  /** Drops the connection without a final chunk, as a network failure would (fault injection). */
  destroy(): void {
    if (this.ended) return;
    this.res.destroy();
  }
}
