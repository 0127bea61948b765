// The CLI's SSE reader: a multi-byte character split across chunks arrives
// whole, events split anywhere are reassembled, comments and keep-alives are
// skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sseMessages } from '../../../cli/sse.js';

async function* chunks(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}

async function read(parts: Uint8Array[]) {
  const out = [];
  for await (const m of sseMessages(chunks(parts))) out.push(m);
  return out;
}

test('a character split across two chunks is decoded whole', async () => {
  const text = 'event: job\ndata: {"message":"naïve € 🚀"}\n\n';
  const bytes = Buffer.from(text, 'utf8');
  // Split inside each multi-byte sequence in turn: ï (2 bytes), € (3), 🚀 (4).
  for (const ch of ['ï', '€', '🚀']) {
    const at = bytes.indexOf(Buffer.from(ch, 'utf8')) + 1;
    const messages = await read([bytes.subarray(0, at), bytes.subarray(at)]);
    assert.deepEqual(messages.map((m) => [m.event, JSON.parse(m.data)]), [['job', { message: 'naïve € 🚀' }]], `split inside ${ch}`);
  }
});

test('events split at every byte, comments and several data lines', async () => {
  const text = ': keep-alive\n\nevent: job\nid: 1\ndata: {"a":\ndata: 1}\n\nevent: job\ndata: {"b":2}\n\n';
  const bytes = Buffer.from(text, 'utf8');
  const messages = await read([...bytes].map((b) => Uint8Array.of(b)));
  assert.deepEqual(
    messages.map((m) => [m.event, m.id, m.data]),
    [
      ['job', '1', '{"a":\n1}'],
      ['job', undefined, '{"b":2}'],
    ],
  );
});
