// Where the Mesos test vectors live: copies, kept in the repository, of the
// recordings from a real Mesos 1.12 master and agent and of the behavioural
// spec whose JSON examples the schema tests parse. Kept in-tree so a clean
// clone tests the same bytes wherever it is checked out.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TRANSCRIPTS_DIR = fileURLToPath(new URL('../fixtures/mesos-transcripts/', import.meta.url));
export const SPEC_FILE = fileURLToPath(new URL('../fixtures/mesos-scheduler-api.md', import.meta.url));

export function transcriptPath(name: string): string {
  return `${TRANSCRIPTS_DIR}${name}`;
}

/** Reads a transcript with plain JSON.parse (64-bit integers rounded). */
export function readTranscript<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(transcriptPath(name), 'utf8')) as T;
}

/**
 * The transcripts in the exchange format (request, response, events), sorted;
 * 14-zookeeper-leader.json describes ZooKeeper and a follower's 307 in a
 * format of its own (see the README beside them).
 */
export function exchangeTranscripts(): string[] {
  return readdirSync(TRANSCRIPTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => Array.isArray((JSON.parse(readFileSync(transcriptPath(f), 'utf8')) as { exchanges?: unknown }).exchanges))
    .sort();
}
