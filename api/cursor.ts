// The list's opaque cursor: Temporal's page token behind a version byte and
// a short checksum over the token and the list query. A cursor this API did
// not hand out (or one from another filter) is then a 400 at once, instead
// of a made-up token reaching Temporal, which can take seconds to refuse it
// with an error that does not say so (seen as a 500 under the fuzzer).
import { createHash } from 'node:crypto';

const VERSION = 1;
const SUM_BYTES = 8;

function checksum(token: Uint8Array, scope: string): Buffer {
  return createHash('sha256').update(scope, 'utf8').update(token).digest().subarray(0, SUM_BYTES);
}

export function encodeCursor(token: Uint8Array, scope: string): string {
  return Buffer.concat([Buffer.from([VERSION]), checksum(token, scope), token]).toString('base64url');
}

/** Temporal's page token, or undefined when the cursor is not one encodeCursor gave for this scope. */
export function decodeCursor(cursor: string, scope: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length <= 1 + SUM_BYTES || bytes[0] !== VERSION) return undefined;
  const token = bytes.subarray(1 + SUM_BYTES);
  return checksum(token, scope).equals(bytes.subarray(1, 1 + SUM_BYTES)) ? new Uint8Array(token) : undefined;
}
