import { randomUUID } from 'node:crypto';

// JSON as Mesos writes and reads it. Mesos prints 64-bit integers (nanosecond
// times, uint64 ranges) as bare JSON numbers, which JSON.parse would round,
// and prints infinite doubles as the bare token `Infinity`, which JSON.parse
// rejects. parseMesosJson keeps both; stringifyMesosJson writes them back.

/** A 64-bit integer as it comes out of parseMesosJson: bigint only beyond Number.MAX_SAFE_INTEGER. */
export type Int64 = number | bigint;

export class MesosJsonError extends Error {
  override readonly name = 'MesosJsonError';
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`Invalid JSON at position ${position}: ${reason}`);
  }
}

// A run of 16+ digits is the only way a JSON text can hold an integer that is
// not safe; texts without one (and without the non-standard tokens) take the
// fast native path.
const needsSlowPath = /\d{16}|Infinity|NaN/;

/**
 * Parses a JSON text without losing 64-bit integers: an integer literal beyond
 * ±Number.MAX_SAFE_INTEGER becomes a bigint, every other number a number.
 * Also reads Mesos' bare `Infinity`, `-Infinity` and `NaN` tokens.
 * Throws MesosJsonError (with the position) on malformed input.
 */
export function parseMesosJson(text: string): unknown {
  if (!needsSlowPath.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      // Re-parse with our parser only to get a uniform error with a position.
      new Parser(text).parseDocument();
      throw err;
    }
  }
  return new Parser(text).parseDocument();
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    this.skipWs();
    let value: unknown;
    try {
      value = this.parseValue();
    } catch (err) {
      if (err instanceof RangeError) this.fail('nesting too deep');
      throw err;
    }
    this.skipWs();
    if (this.pos < this.text.length) this.fail('unexpected data after the JSON value');
    return value;
  }

  private fail(reason: string): never {
    throw new MesosJsonError(reason, this.pos);
  }

  private skipWs(): void {
    while (this.pos < this.text.length && WS.has(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private parseValue(): unknown {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case 'I':
        return this.literal('Infinity', Infinity);
      case 'N':
        return this.literal('NaN', NaN);
      case undefined:
        return this.fail('unexpected end of input');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
        return this.fail(`unexpected character ${JSON.stringify(c)}`);
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected ${word}`);
    this.pos += word.length;
    return value;
  }

  private parseObject(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.pos++;
    this.skipWs();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.parseString();
      this.skipWs();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.skipWs();
      const value = this.parseValue();
      // An own "__proto__" key, as JSON.parse makes it, instead of a prototype change.
      if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      else obj[key] = value;
      this.skipWs();
      const sep = this.text[this.pos];
      this.pos++;
      if (sep === '}') return obj;
      if (sep !== ',') {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
    }
  }

  private parseArray(): unknown[] {
    const arr: unknown[] = [];
    this.pos++;
    this.skipWs();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.skipWs();
      arr.push(this.parseValue());
      this.skipWs();
      const sep = this.text[this.pos];
      this.pos++;
      if (sep === ']') return arr;
      if (sep !== ',') {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
    }
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++;
    let simple = true;
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (Number.isNaN(code)) this.fail('unterminated string');
      if (code === 0x22) break;
      if (code < 0x20) this.fail('control character in string');
      if (code === 0x5c) {
        simple = false;
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
    this.pos++;
    const raw = this.text.slice(start, this.pos);
    if (simple) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      this.pos = start;
      return this.fail('invalid escape in string');
    }
  }

  private parseNumber(): number | bigint {
    const start = this.pos;
    if (this.text[this.pos] === '-') {
      this.pos++;
      if (this.text.startsWith('Infinity', this.pos)) {
        this.pos += 'Infinity'.length;
        return -Infinity;
      }
    }
    const digitsStart = this.pos;
    while (this.isDigit()) this.pos++;
    const intDigits = this.pos - digitsStart;
    if (intDigits === 0) this.fail('expected a digit');
    if (intDigits > 1 && this.text[digitsStart] === '0') {
      this.pos = digitsStart + 1;
      this.fail('leading zero in number');
    }
    let integer = true;
    if (this.text[this.pos] === '.') {
      integer = false;
      this.pos++;
      const f = this.pos;
      while (this.isDigit()) this.pos++;
      if (this.pos === f) this.fail('expected a digit after the decimal point');
    }
    const e = this.text[this.pos];
    if (e === 'e' || e === 'E') {
      integer = false;
      this.pos++;
      const s = this.text[this.pos];
      if (s === '+' || s === '-') this.pos++;
      const d = this.pos;
      while (this.isDigit()) this.pos++;
      if (this.pos === d) this.fail('expected a digit in the exponent');
    }
    const literal = this.text.slice(start, this.pos);
    if (integer && intDigits >= 16) {
      const big = BigInt(literal);
      if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) return big;
      return Number(big);
    }
    return Number(literal);
  }

  private isDigit(): boolean {
    const c = this.text.charCodeAt(this.pos);
    return c >= 0x30 && c <= 0x39;
  }
}

/**
 * Writes compact JSON like Mesos: bigint as bare digits. Non-finite numbers
 * become the strings "Infinity"/"-Infinity" (which Mesos accepts for doubles)
 * and NaN becomes null (field unset), so the output is always valid JSON.
 * Otherwise behaves like JSON.stringify (undefined and functions are left
 * out of objects, toJSON is honoured).
 */
export function stringifyMesosJson(value: unknown): string {
  const out = write(value, '');
  return out ?? 'null';
}

function write(value: unknown, key: string): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (k: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (Number.isFinite(value)) return JSON.stringify(value);
      if (Number.isNaN(value)) return 'null';
      return value > 0 ? '"Infinity"' : '"-Infinity"';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return '[' + value.map((v: unknown, i) => write(v, String(i)) ?? 'null').join(',') + ']';
      }
      const parts: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        const s = write(v, k);
        if (s !== undefined) parts.push(JSON.stringify(k) + ':' + s);
      }
      return '{' + parts.join(',') + '}';
    }
  }
}

// ---------------------------------------------------------------------------
// 64-bit integers, durations and times.

const NS_PER_MS = 1_000_000;

/** A 64-bit value as a number (rounding beyond 2^53, which no duration or port needs). */
export function int64ToNumber(v: Int64): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

export function int64ToBigInt(v: Int64): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
}

/** The canonical Int64 for an integer: a number when it is safe, else a bigint. */
export function normalizeInt64(v: Int64): Int64 {
  if (typeof v === 'number') return v;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

function nanosFrom(units: number, nsPerUnit: number): Int64 {
  const ns = Math.round(units * nsPerUnit);
  if (Number.isSafeInteger(ns)) return ns;
  // Beyond 2^53 ns (~104 days) the product is computed exactly in bigint.
  const whole = Math.trunc(units);
  const fracNs = Math.round((units - whole) * nsPerUnit);
  return normalizeInt64(BigInt(whole) * BigInt(nsPerUnit) + BigInt(fracNs));
}

/** Milliseconds of a DurationInfo (or TimeInfo) `{nanoseconds}`. */
export function durationToMs(d: { nanoseconds: Int64 }): number {
  if (typeof d.nanoseconds === 'number') return d.nanoseconds / NS_PER_MS;
  const ms = d.nanoseconds / BigInt(NS_PER_MS);
  const rest = d.nanoseconds % BigInt(NS_PER_MS);
  return Number(ms) + Number(rest) / NS_PER_MS;
}

export function msToDuration(ms: number): { nanoseconds: Int64 } {
  return { nanoseconds: nanosFrom(ms, NS_PER_MS) };
}

export function secondsToDuration(seconds: number): { nanoseconds: Int64 } {
  return { nanoseconds: nanosFrom(seconds, 1_000_000_000) };
}

/** Milliseconds since the epoch of a TimeInfo (same shape as DurationInfo). */
export const timeToMs = durationToMs;

/** A TimeInfo for a Date or epoch milliseconds. */
export function msToTime(ms: number | Date): { nanoseconds: Int64 } {
  return msToDuration(typeof ms === 'number' ? ms : ms.getTime());
}

// ---------------------------------------------------------------------------
// TaskStatus.uuid: 16 raw bytes, standard base64 with padding in JSON.

const B64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

export class InvalidUuidError extends Error {
  override readonly name = 'InvalidUuidError';
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`Invalid status uuid ${JSON.stringify(input)}: ${reason}`);
  }
}

/** Bytes of a base64 `uuid` field. Rejects URL-safe and other non-standard characters, as Mesos does. */
export function decodeUuid(base64: string): Uint8Array {
  const s = base64.replace(/[\s]/g, '');
  if (!B64_CHARS.test(s)) {
    const bad = /[^A-Za-z0-9+/=]/.exec(s)?.[0] ?? '=';
    throw new InvalidUuidError(base64, `invalid character ${JSON.stringify(bad)}`);
  }
  if (s.replace(/=+$/, '').length % 4 === 1) throw new InvalidUuidError(base64, 'truncated base64');
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export function encodeUuid(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * True when the base64 text decodes to what Mesos accepts in an ACKNOWLEDGE:
 * exactly 16 bytes with an RFC 4122 version nibble of 1 to 5.
 */
export function isValidStatusUuid(base64: string): boolean {
  let bytes: Uint8Array;
  try {
    bytes = decodeUuid(base64);
  } catch {
    return false;
  }
  if (bytes.length !== 16) return false;
  const version = (bytes[6] ?? 0) >> 4;
  return version >= 1 && version <= 5;
}

/** Hyphenated lower-case text form of 16 uuid bytes (for logs). */
export function uuidToString(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A fresh random (v4) status-update uuid, base64 encoded as it travels in JSON. */
export function newStatusUuid(): string {
  const hex = randomUUID().replace(/-/g, '');
  return Buffer.from(hex, 'hex').toString('base64');
}
