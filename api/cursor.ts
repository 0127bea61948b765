// The list's opaque cursor: Temporal's page token behind a version byte and
// a short checksum over the token and the list query. A cursor this API did
// not hand out (or one from another filter) is then a 400 at once, instead
// of a made-up token reaching Temporal, which can take seconds to refuse it
// with an error that does not say so (seen as a 500 under the fuzzer).
// Edge-safe (no node:crypto, no Buffer): the Node and the edge API hand out
// and accept the same cursors.
import { sha256Hex } from '../workflows/spec-hash.js';
import { base64ToBytes, base64url } from './temporal/payload-json.js';

const VERSION = 1;
const SUM_BYTES = 8;

function checksum(token: Uint8Array, scope: string): Uint8Array {
  const hex = sha256Hex(`${scope}\n${base64url(token)}`).slice(0, SUM_BYTES * 2);
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function encodeCursor(token: Uint8Array, scope: string): string {
  const out = new Uint8Array(1 + SUM_BYTES + token.length);
  out[0] = VERSION;
  out.set(checksum(token, scope), 1);
  out.set(token, 1 + SUM_BYTES);
  return base64url(out);
}

/** Temporal's page token, or undefined when the cursor is not one encodeCursor gave for this scope. */
export function decodeCursor(cursor: string, scope: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(cursor);
  } catch {
    return undefined;
  }
  if (bytes.length <= 1 + SUM_BYTES || bytes[0] !== VERSION) return undefined;
  const token = bytes.slice(1 + SUM_BYTES);
  const sum = checksum(token, scope);
  for (let i = 0; i < SUM_BYTES; i++) if (sum[i] !== bytes[1 + i]) return undefined;
  return token;
}
