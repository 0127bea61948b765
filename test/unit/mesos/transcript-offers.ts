// Reads the offers recorded from real Mesos 1.12 (the /work/shared transcripts)
// for use as test inputs.
import { readFileSync } from 'node:fs';
import type { Offer } from '../../../mesos/resource-types.js';

const TRANSCRIPTS = process.env.MESOFLOW_TRANSCRIPTS_DIR ?? '/work/shared/mesos-transcripts';

interface Transcript {
  exchanges: Array<{ events?: Array<{ type?: string; offers?: { offers?: Offer[] } }> }>;
}

/** Every offer in the file's OFFERS events, in recorded order. */
export function transcriptOffers(file: string): Offer[] {
  const t = JSON.parse(readFileSync(`${TRANSCRIPTS}/${file}`, 'utf8')) as Transcript;
  const out: Offer[] = [];
  for (const ex of t.exchanges) for (const ev of ex.events ?? []) if (ev.type === 'OFFERS') out.push(...(ev.offers?.offers ?? []));
  return out;
}
