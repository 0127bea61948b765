// Temporal payloads as the HTTP/JSON API carries them, encoded the way the
// SDK's default payload converter writes json/plain payloads (metadata
// `encoding: json/plain`, data = UTF-8 JSON, both base64 in JSON) and
// decoded from either that full form or the API's "shorthand" (a plain JSON
// value standing for a json/plain payload). Edge-safe: btoa/atob and
// TextEncoder only, no Buffer.
import type { SearchAttributeType } from './access.js';

export interface JsonPayload {
  metadata: Record<string, string>;
  data?: string;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  // Chunked: String.fromCharCode(...all) overflows the stack on large inputs.
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export const base64url = (bytes: Uint8Array): string => bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const b64text = (s: string) => bytesToBase64(utf8.encode(s));

/** One value as a json/plain payload (the worker's default converter reads it back as the same value). */
export function encodePayload(value: unknown, type?: SearchAttributeType): JsonPayload {
  if (value === undefined) throw new TypeError('undefined cannot be a json/plain payload');
  const metadata: Record<string, string> = { encoding: b64text('json/plain') };
  if (type !== undefined) metadata.type = b64text(type);
  return { metadata, data: b64text(JSON.stringify(value)) };
}

function isFullPayload(v: unknown): v is JsonPayload {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const md = o.metadata;
  return md !== null && typeof md === 'object' && typeof (md as Record<string, unknown>).encoding === 'string' && Object.keys(o).every((k) => k === 'metadata' || k === 'data');
}

/** A payload from the HTTP API (full or shorthand) to its value. binary/null is null; other encodings are refused. */
export function decodePayload(v: unknown): unknown {
  if (!isFullPayload(v)) return v;
  const encoding = fromUtf8.decode(base64ToBytes(v.metadata.encoding as string));
  if (encoding === 'binary/null') return null;
  if (encoding !== 'json/plain') throw new TypeError(`payload encoding ${encoding} is not json/plain; mesoflow's API reads json/plain only`);
  return JSON.parse(fromUtf8.decode(base64ToBytes(v.data ?? '')));
}

/** `{fields: {k: payload}}` (memo, search attributes' indexedFields) to `{k: value}`. */
export function decodeFields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(fields ?? {})) out[k] = decodePayload(p);
  return out;
}
