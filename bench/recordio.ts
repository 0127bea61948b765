// RecordIO decoding throughput on the recorded stream opening (SUBSCRIBED,
// HEARTBEAT, OFFERS) repeated, under three chunkings: one chunk per record
// (what libprocess writes), 16 KiB chunks (a proxy re-chunking), and 7-byte
// chunks (worst case: nearly every record split, headers split).
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { RecordIODecoder, encodeRecord } from '../mesos/recordio.js';

const transcript = JSON.parse(readFileSync(new URL('../../shared/mesos-transcripts/01-subscribe.json', import.meta.url), 'utf8')) as {
  exchanges: Array<{ raw_recordio_first_records?: string }>;
};
const raw = transcript.exchanges.find((e) => e.raw_recordio_first_records)?.raw_recordio_first_records ?? '';

function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

function measure(label: string, chunks: Uint8Array[], totalBytes: number, expectedRecords: number): string {
  const rounds = 20;
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const d = new RecordIODecoder();
    let n = 0;
    const t0 = performance.now();
    for (const c of chunks) n += d.push(c).length;
    d.end();
    const ms = performance.now() - t0;
    if (n !== expectedRecords) throw new Error(`${label}: decoded ${n} records, expected ${expectedRecords}`);
    best = Math.min(best, ms);
  }
  const mbps = totalBytes / 1e6 / (best / 1000);
  const rps = expectedRecords / (best / 1000);
  return `${label}: ${mbps.toFixed(0)} MB/s, ${(rps / 1e6).toFixed(2)} M records/s`;
}

export function run(): Promise<void> {
  const d = new RecordIODecoder();
  const opening = d.push(new TextEncoder().encode(raw));
  const copies = 20_000;
  const records = Array.from({ length: copies }, () => opening).flat();
  const framed = records.map((r) => encodeRecord(r));
  const total = framed.reduce((n, f) => n + f.length, 0);
  const all = new Uint8Array(total);
  let off = 0;
  for (const f of framed) {
    all.set(f, off);
    off += f.length;
  }
  console.log(`input: ${records.length} records, ${(total / 1e6).toFixed(1)} MB`);
  console.log(measure('chunk per record', framed, total, records.length));
  console.log(measure('7-byte chunks', chunksOf(all, 7), total, records.length));
  console.log(measure('16 KiB chunks', chunksOf(all, 16 * 1024), total, records.length));
  return Promise.resolve();
}
