// Reads the offers recorded from real Mesos 1.12 (test/fixtures/mesos-transcripts)
// through the project's offer schema, for use as test inputs.
import { readFileSync } from 'node:fs';
import { offerSchema, type Offer, type Resource } from '../../../mesos/schemas/index.js';
import { TRANSCRIPTS_DIR } from '../../support/fixtures.js';

const TRANSCRIPTS = TRANSCRIPTS_DIR;

interface Transcript {
  exchanges: Array<{ events?: Array<{ type?: string; offers?: { offers?: unknown[] } }> }>;
}

/** Every offer in the file's OFFERS events, in recorded order. */
export function transcriptOffers(file: string): Offer[] {
  const t = JSON.parse(readFileSync(`${TRANSCRIPTS}/${file}`, 'utf8')) as Transcript;
  const out: Offer[] = [];
  for (const ex of t.exchanges) for (const ev of ex.events ?? []) if (ev.type === 'OFFERS') for (const o of ev.offers?.offers ?? []) out.push(offerSchema.parse(o));
  return out;
}

/** An offer's resources (the schema makes the field optional: empty lists are left out on the wire). */
export function resourcesOf(offer: Offer): Resource[] {
  return offer.resources ?? [];
}
