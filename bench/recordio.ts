// RecordIO decoding throughput on the recorded stream opening (SUBSCRIBED,
// HEARTBEAT, OFFERS) repeated, under three chunkings: one chunk per record
// (what libprocess writes), 16 KiB chunks (a proxy re-chunking), and 7-byte
// chunks (worst case: nearly every record split, headers split).
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { RecordIODecoder, encodeRecord } from '../mesos/recordio.js';

const transcript = JSON.parse(readFileSync(new URL('../test/fixtures/mesos-transcripts/01-subscribe.json', import.meta.url), 'utf8')) as {
  exchanges: Array<{ raw_recordio_first_records?: string }>;
};
const raw = transcript.exchanges.find((e) => e.raw_recordio_first_records)?.raw_recordio_first_records ?? '';

function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

interface Rate {
  mbPerS: number;
  recordsPerS: number;
}

function bestMs(rounds: number, fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function measure(label: string, chunks: Uint8Array[], totalBytes: number, expectedRecords: number): Rate {
  const ms = bestMs(20, () => {
    const d = new RecordIODecoder();
    let n = 0;
    for (const c of chunks) n += d.push(c).length;
    d.end();
    if (n !== expectedRecords) throw new Error(`${label}: decoded ${n} records, expected ${expectedRecords}`);
  });
  return { mbPerS: totalBytes / 1e6 / (ms / 1000), recordsPerS: expectedRecords / (ms / 1000) };
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
  // Baseline: copying the same chunks into one buffer, the memory-bandwidth
  // floor any decoder that looks at every byte pays.
  const copyMs = bestMs(20, () => Buffer.concat(framed, total));
  const perRecord = measure('chunk per record', framed, total, records.length);
  const tiny = measure('7-byte chunks', chunksOf(all, 7), total, records.length);
  const large = measure('16 KiB chunks', chunksOf(all, 16 * 1024), total, records.length);
  const baseline = total / 1e6 / (copyMs / 1000);
  console.log(`records: ${records.length}`);
  console.log(`input_mb: ${(total / 1e6).toFixed(1)}`);
  console.log(`baseline_concat_copy_mb_per_s: ${baseline.toFixed(0)}`);
  console.log(`chunks_7_byte_mb_per_s: ${tiny.mbPerS.toFixed(0)}`);
  console.log(`chunks_16_kib_mb_per_s: ${large.mbPerS.toFixed(0)}`);
  console.log(`chunk_per_record_records_per_s: ${Math.round(perRecord.recordsPerS)}`);
  console.log(`chunk_per_record_over_copy_ratio: ${(perRecord.mbPerS / baseline).toFixed(2)}`);
  console.log(`chunk_per_record_mb_per_s: ${perRecord.mbPerS.toFixed(0)}`);
  return Promise.resolve();
}
