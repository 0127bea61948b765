// Response helpers with Mesos's header conventions: error bodies are
// `text/plain; charset=utf-8` without a trailing newline, 202/200 without a
// body carry `Content-Length: 0` and no Content-Type.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length) });
  res.end(body);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...headers, 'Content-Length': '0' });
  res.end();
}

export function sendJsonText(res: ServerResponse, status: number, json: string): void {
  if (res.headersSent) return;
  const body = Buffer.from(json, 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
  res.end(body);
}

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return (await readBodyBytes(req, limit)).toString('utf8');
}

/** The body's raw bytes (protobuf calls are binary). */
export function readBodyBytes(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLargeError(limit));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Reads and discards the body so the connection can be reused after an early answer. */
export function drain(req: IncomingMessage): void {
  req.resume();
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (range === undefined || range === '') continue;
    const [type = '', subtype = ''] = range.split('/');
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k === 'q' && v !== undefined) q = Number(v);
    }
    out.push({ type, subtype, q: Number.isFinite(q) ? q : 0 });
  }
  return out;
}

/** libprocess `acceptsMediaType`: the most specific matching range decides; q=0 excludes; no header accepts all. */
export function acceptsMediaType(header: string | undefined, mediaType: string): boolean {
  if (header === undefined) return true;
  const [type, subtype] = mediaType.split('/') as [string, string];
  const ranges = parseAccept(header);
  const exact = ranges.filter((r) => r.type === type && r.subtype === subtype);
  const typeWild = ranges.filter((r) => r.type === type && r.subtype === '*');
  const all = ranges.filter((r) => r.type === '*' && r.subtype === '*');
  const best = exact.length > 0 ? exact : typeWild.length > 0 ? typeWild : all;
  return best.some((r) => r.q > 0);
}

export const JSON_MEDIA_TYPE = 'application/json';
export const PROTOBUF_MEDIA_TYPE = 'application/x-protobuf';
export type MediaType = typeof JSON_MEDIA_TYPE | typeof PROTOBUF_MEDIA_TYPE;

/**
 * The media type of the answer (spec §2): JSON when the Accept header allows
 * it (no header and `*\/*` do), else protobuf when it allows that, else
 * undefined, which Mesos answers with 406.
 */
export function responseMediaType(req: IncomingMessage): MediaType | undefined {
  if (acceptsMediaType(req.headers.accept, JSON_MEDIA_TYPE)) return JSON_MEDIA_TYPE;
  if (acceptsMediaType(req.headers.accept, PROTOBUF_MEDIA_TYPE)) return PROTOBUF_MEDIA_TYPE;
  return undefined;
}

export function sendBytes(res: ServerResponse, status: number, contentType: string, body: Uint8Array): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
  res.end(body);
}

export const NOT_ACCEPTABLE_TEXT = "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'";
