// Server-Sent Events from a byte stream, with the maintained
// eventsource-parser. The bytes are decoded as one UTF-8 stream, so a
// character split across two network chunks arrives whole.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export async function* sseMessages(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<EventSourceMessage> {
  const decoder = new TextDecoder('utf-8');
  const ready: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (m) => ready.push(m) });
  for await (const chunk of body) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    yield* ready.splice(0);
  }
  parser.feed(decoder.decode());
  yield* ready.splice(0);
}
