import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { transcriptPath } from '../../support/fixtures.js';
import {
  RecordIODecoder,
  RecordIODecodeError,
  RecordTooLargeError,
  RecordIOTruncatedError,
  encodeRecord,
  decodeRecordIO,
  decodeRecordIOText,
  recordToText,
} from '../../../mesos/recordio.js';
import { prng } from '../../support/prng.js';

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const texts = (records: Uint8Array[]): string[] => records.map(recordToText);

function decodeAll(chunks: Uint8Array[], max?: number): string[] {
  const d = new RecordIODecoder(max === undefined ? {} : { maxRecordBytes: max });
  const out: string[] = [];
  for (const c of chunks) out.push(...texts(d.push(c)));
  d.end();
  return out;
}

const transcript = JSON.parse(readFileSync(transcriptPath('01-subscribe.json'), 'utf8')) as {
  exchanges: Array<{ raw_recordio_first_records?: string }>;
};
const rawFirst = transcript.exchanges.find((e) => typeof e.raw_recordio_first_records === 'string')?.raw_recordio_first_records;

test('decodes the real SUBSCRIBE stream bytes in one chunk', () => {
  assert.ok(rawFirst);
  const records = decodeAll([bytes(rawFirst)]);
  assert.equal(records.length, 3);
  assert.match(records[0] as string, /^\{"type":"SUBSCRIBED"/);
  assert.equal(records[1], '{"type":"HEARTBEAT"}');
  assert.match(records[2] as string, /^\{"type":"OFFERS"/);
  assert.equal((records[0] as string).length, 451);
  assert.equal(records[1]?.length, 20);
});

test('random re-chunking of the real bytes gives identical records (seeded)', () => {
  assert.ok(rawFirst);
  const all = bytes(rawFirst);
  const expected = decodeAll([all]);
  const rand = prng(0x5eed);
  for (let round = 0; round < 300; round++) {
    const chunks: Uint8Array[] = [];
    let i = 0;
    const maxChunk = round % 3 === 0 ? 3 : round % 3 === 1 ? 40 : 700;
    while (i < all.length) {
      const n = 1 + Math.floor(rand() * maxChunk);
      chunks.push(all.slice(i, i + n));
      i += n;
    }
    assert.deepEqual(decodeAll(chunks), expected, `round ${round}`);
  }
});

test('one byte at a time', () => {
  assert.ok(rawFirst);
  const all = bytes(rawFirst);
  const chunks = Array.from(all, (b) => Uint8Array.of(b));
  assert.equal(decodeAll(chunks).length, 3);
});

test('a record split across chunks, and many records in one chunk', () => {
  const d = new RecordIODecoder();
  assert.deepEqual(d.push(bytes('20\n{"type":"HEAR')), []);
  assert.deepEqual(texts(d.push(bytes('TBEAT"}5\nhello3\nabc'))), ['{"type":"HEARTBEAT"}', 'hello', 'abc']);
  d.end();
});

test('length digits and the newline split across chunks', () => {
  assert.deepEqual(decodeAll([bytes('2'), bytes('0'), bytes('\n'), bytes('{"type":"HEARTBEAT"}')]), ['{"type":"HEARTBEAT"}']);
  assert.deepEqual(decodeAll([bytes('1'), bytes('1\nhello world1'), bytes('0'), bytes('\n0123456789')]), ['hello world', '0123456789']);
});

test('multi-byte UTF-8 characters split across chunks (the length counts bytes)', () => {
  const text = '{"message":"héllo wörld ✓ 🚀"}';
  const framed = encodeRecord(text);
  assert.equal(recordToText(framed).startsWith(`${bytes(text).length}\n`), true);
  assert.notEqual(bytes(text).length, text.length);
  for (let cut = 1; cut < framed.length; cut++) {
    assert.deepEqual(decodeAll([framed.slice(0, cut), framed.slice(cut)]), [text], `cut at ${cut}`);
  }
});

test('0\\n is an empty record', () => {
  assert.deepEqual(decodeAll([bytes('0\n')]), ['']);
  assert.deepEqual(decodeAll([bytes('0\n0\n2\nok')]), ['', '', 'ok']);
});

test('empty input yields nothing and ends cleanly', () => {
  assert.deepEqual(decodeAll([]), []);
  assert.deepEqual(decodeAll([new Uint8Array(0)]), []);
});

test('malformed headers are fatal, with offset and header text; the decoder stays failed', () => {
  const cases: Array<[string, RegExp, number, string]> = [
    ['5\nhelloab\n', /not a decimal digit/, 7, 'a'],
    ['+5\nhello', /sign not allowed/, 0, '+'],
    ['-5\nhello', /sign not allowed/, 0, '-'],
    ['\nhello', /empty length/, 0, '\n'],
    [' 5\nhello', /not a decimal digit/, 0, ' '],
    ['123456789012345678901\n', /more than 20 digits/, 0, '123456789012345678901'],
  ];
  for (const [input, reason, offset, header] of cases) {
    const d = new RecordIODecoder();
    let caught: unknown;
    try {
      d.push(bytes(input));
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof RecordIODecodeError, `${JSON.stringify(input)}: ${String(caught)}`);
    assert.match(caught.message, reason);
    assert.equal(caught.offset, offset, JSON.stringify(input));
    assert.equal(caught.header, header);
    assert.throws(() => d.push(bytes('5\nhello')), (e) => e === caught);
    assert.throws(() => d.end(), (e) => e === caught);
  }
});

test('a malformed header split across chunks reports the offset of its first byte', () => {
  const d = new RecordIODecoder();
  assert.deepEqual(texts(d.push(bytes('3\nabc1'))), ['abc']);
  assert.throws(() => d.push(bytes('2x\n')), (e: unknown) => e instanceof RecordIODecodeError && e.offset === 5 && e.header === '12x');
});

test('an oversized record is rejected as soon as its header is read, without buffering its body', () => {
  const d = new RecordIODecoder({ maxRecordBytes: 1000 });
  assert.deepEqual(texts(d.push(bytes('3\nabc'))), ['abc']);
  // Only the header arrives: the error must not wait for the body.
  assert.throws(
    () => d.push(bytes('1001\n')),
    (e: unknown) => e instanceof RecordTooLargeError && e.declaredBytes === 1001 && e.maxRecordBytes === 1000 && e.offset === 5,
  );
  assert.throws(() => d.push(bytes('x')), RecordTooLargeError);
  // A huge declared length (beyond memory) is the same error, not an allocation.
  const d2 = new RecordIODecoder();
  assert.throws(() => d2.push(bytes('99999999999999999999\n')), RecordTooLargeError);
  // Exactly at the limit is fine.
  const d3 = new RecordIODecoder({ maxRecordBytes: 4 });
  assert.deepEqual(texts(d3.push(bytes('4\nabcd'))), ['abcd']);
});

test('a stream cut mid-record says how many bytes were missing', () => {
  const d = new RecordIODecoder();
  assert.deepEqual(texts(d.push(bytes('2\nok20\n{"type":"HEA'))), ['ok']);
  assert.throws(
    () => d.end(),
    (e: unknown) => e instanceof RecordIOTruncatedError && e.phase === 'body' && e.missingBytes === 8 && e.offset === 4 && /8 byte\(s\) missing/.test(e.message),
  );
});

test('a stream cut mid-header (digits, or before the newline)', () => {
  const d = new RecordIODecoder();
  d.push(bytes('2\nok45'));
  assert.throws(() => d.end(), (e: unknown) => e instanceof RecordIOTruncatedError && e.phase === 'header' && e.missingBytes === 46 && e.offset === 4);
});

test('encodeRecord frames strings and bytes', () => {
  assert.equal(recordToText(encodeRecord('{"type":"HEARTBEAT"}')), '20\n{"type":"HEARTBEAT"}');
  assert.equal(recordToText(encodeRecord(Uint8Array.of(0x61, 0x62))), '2\nab');
  assert.equal(recordToText(encodeRecord('')), '0\n');
});

test('pushRecords reports the stream offset of each record', () => {
  const d = new RecordIODecoder();
  const first = d.pushRecords(bytes('2\nok3\nab'));
  const second = d.pushRecords(bytes('c1\nz'));
  assert.deepEqual([...first, ...second].map((r) => r.offset), [0, 4, 9]);
  assert.equal(d.bytesRead, 12);
});

test('async adapters decode a stream and surface truncation', async () => {
  async function* source(parts: string[]): AsyncGenerator<Uint8Array> {
    for (const p of parts) yield bytes(p);
  }
  const out: string[] = [];
  for await (const t of decodeRecordIOText(source(['5\nhel', 'lo2\n', 'hi']))) out.push(t);
  assert.deepEqual(out, ['hello', 'hi']);
  const raw: Uint8Array[] = [];
  await assert.rejects(async () => {
    for await (const r of decodeRecordIO(source(['5\nhello9\nabc']))) raw.push(r);
  }, RecordIOTruncatedError);
  assert.deepEqual(texts(raw), ['hello']);
  await assert.rejects(async () => {
    for await (const _ of decodeRecordIO(source(['5\nhello6\nabcdef']), { maxRecordBytes: 5 })) {
      // drain
    }
  }, RecordTooLargeError);
});
