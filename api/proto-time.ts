// google.protobuf.Timestamp ⇄ Date for the raw Temporal service calls the
// API makes (visibility lists, schedule matching times), without the SDK's
// internal time helpers.
import type { google } from '@temporalio/proto';

type Timestamp = google.protobuf.ITimestamp;

export function timestampToDate(t: Timestamp | null | undefined): Date | undefined {
  if (!t) return undefined;
  return new Date(Number(String(t.seconds ?? 0)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));
}

export function msToTimestamp(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) } as unknown as Timestamp;
}
