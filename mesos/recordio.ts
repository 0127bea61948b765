// RecordIO framing of the Mesos event stream (spec §4): `<decimal byte
// length>\n<bytes>` back to back. HTTP chunk boundaries are arbitrary, so the
// decoder is incremental and byte-oriented; the declared length is checked
// against a limit before any of the record is buffered, so a hostile or
// corrupted length cannot make us allocate gigabytes.

/** Default upper bound on one record. Real Mesos events are KiBs; big OFFERS events stay far below this. */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

// uint64 has at most 20 decimal digits; Mesos parses the length as uint64.
const MAX_LENGTH_DIGITS = 20;
const LF = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

export interface RecordIODecoderOptions {
  /** A record whose declared length exceeds this is rejected before its bytes are read. */
  maxRecordBytes?: number;
}

/** A decoded record and the stream offset of its length header. */
export interface DecodedRecord {
  data: Uint8Array;
  /** Byte offset in the stream of the first digit of this record's header. */
  offset: number;
}

export class RecordIOError extends Error {
  /** Byte offset in the stream where the problem was found. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = new.target.name;
    this.offset = offset;
  }
}

/** The length header is not a plain decimal number. The decoder stays failed afterwards. */
export class RecordIODecodeError extends RecordIOError {
  /** The header text read so far (printable rendering), including the offending byte. */
  readonly header: string;
  constructor(reason: string, offset: number, header: string) {
    super(`RecordIO: malformed record length at byte ${offset} (${reason}): ${JSON.stringify(header)}`, offset);
    this.header = header;
  }
}

/** A record declares more bytes than `maxRecordBytes`. Raised as soon as its header is complete. */
export class RecordTooLargeError extends RecordIOError {
  readonly declaredBytes: number;
  readonly maxRecordBytes: number;
  constructor(offset: number, declaredBytes: number, maxRecordBytes: number) {
    super(`RecordIO: record at byte ${offset} declares ${declaredBytes} bytes, more than the limit of ${maxRecordBytes}`, offset);
    this.declaredBytes = declaredBytes;
    this.maxRecordBytes = maxRecordBytes;
  }
}

/** The stream ended inside a record or inside its header. */
export class RecordIOTruncatedError extends RecordIOError {
  /** 'header': the length or its newline was cut; 'body': the record bytes were cut. */
  readonly phase: 'header' | 'body';
  /** Bytes that were still expected. For a cut header this is a lower bound (the newline plus any declared length). */
  readonly missingBytes: number;
  constructor(phase: 'header' | 'body', offset: number, missingBytes: number, detail: string) {
    super(`RecordIO: stream ended ${detail}; ${phase === 'header' ? 'at least ' : ''}${missingBytes} byte(s) missing (record header at byte ${offset})`, offset);
    this.phase = phase;
    this.missingBytes = missingBytes;
  }
}

function printable(bytes: number[]): string {
  return String.fromCharCode(...bytes.map((b) => (b >= 0x20 && b < 0x7f ? b : 0x3f)));
}

/**
 * Incremental decoder. `push` returns the records completed by that chunk;
 * `end` checks the stream did not stop mid-record. After an error every
 * further call throws the same error.
 *
 * A record that lies entirely inside one pushed chunk is returned as a view
 * on that chunk (no copy); do not reuse pushed buffers if records are kept.
 */
export class RecordIODecoder {
  readonly maxRecordBytes: number;
  private failure: RecordIOError | undefined;
  private ended = false;
  /** Bytes consumed so far. */
  private position = 0;
  /** Header digits read so far (bytes). */
  private header: number[] = [];
  private headerOffset = 0;
  /** The record being filled when a header has been read. */
  private body: Uint8Array | undefined;
  private filled = 0;

  constructor(options: RecordIODecoderOptions = {}) {
    const max = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`maxRecordBytes must be a non-negative safe integer, got ${max}`);
    this.maxRecordBytes = max;
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.position;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    return this.pushRecords(chunk).map((r) => r.data);
  }

  /** Like `push`, with the stream offset of each record (for error reports). */
  pushRecords(chunk: Uint8Array): DecodedRecord[] {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('RecordIO: push() after end()');
    const out: DecodedRecord[] = [];
    let i = 0;
    try {
      while (i < chunk.length) {
        if (this.body) {
          const take = Math.min(this.body.length - this.filled, chunk.length - i);
          this.body.set(chunk.subarray(i, i + take), this.filled);
          this.filled += take;
          i += take;
          if (this.filled === this.body.length) {
            out.push({ data: this.body, offset: this.headerOffset });
            this.body = undefined;
          }
          continue;
        }
        const byte = chunk[i] as number;
        if (byte !== LF) {
          if (this.header.length === 0) this.headerOffset = this.position + i;
          this.header.push(byte);
          i++;
          if (byte < DIGIT_0 || byte > DIGIT_9) {
            const reason = byte === 0x2b || byte === 0x2d ? 'sign not allowed' : 'not a decimal digit';
            throw new RecordIODecodeError(reason, this.headerOffset, printable(this.header));
          }
          if (this.header.length > MAX_LENGTH_DIGITS) {
            throw new RecordIODecodeError(`more than ${MAX_LENGTH_DIGITS} digits`, this.headerOffset, printable(this.header));
          }
          continue;
        }
        // Newline: the header is complete.
        if (this.header.length === 0) {
          this.headerOffset = this.position + i;
          throw new RecordIODecodeError('empty length', this.headerOffset, '\n');
        }
        i++;
        const length = Number(printable(this.header));
        this.header = [];
        if (length > this.maxRecordBytes) throw new RecordTooLargeError(this.headerOffset, length, this.maxRecordBytes);
        if (length === 0) {
          out.push({ data: new Uint8Array(0), offset: this.headerOffset });
        } else if (chunk.length - i >= length) {
          out.push({ data: chunk.subarray(i, i + length), offset: this.headerOffset });
          i += length;
        } else {
          this.body = new Uint8Array(length);
          this.filled = 0;
        }
      }
    } catch (err) {
      if (err instanceof RecordIOError) {
        this.failure = err;
        this.body = undefined;
        this.header = [];
      }
      throw err;
    }
    this.position += chunk.length;
    return out;
  }

  /** Declares the end of the stream; throws RecordIOTruncatedError if it stopped inside a record. */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.ended) return;
    this.ended = true;
    let err: RecordIOTruncatedError | undefined;
    if (this.body) {
      err = new RecordIOTruncatedError('body', this.headerOffset, this.body.length - this.filled, `after ${this.filled} of ${this.body.length} record bytes`);
    } else if (this.header.length > 0) {
      const declared = Number(printable(this.header));
      err = new RecordIOTruncatedError('header', this.headerOffset, declared + 1, `inside the record length ${JSON.stringify(printable(this.header))}`);
    }
    if (err) {
      this.failure = err;
      throw err;
    }
  }
}

const encoder = new TextEncoder();

/** Frames one record: `<byte length>\n<bytes>`. Strings are UTF-8 encoded first (the length counts bytes). */
export function encodeRecord(data: string | Uint8Array): Uint8Array {
  const body = typeof data === 'string' ? encoder.encode(data) : data;
  const header = encoder.encode(`${body.length}\n`);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a record as UTF-8 text; throws TypeError on invalid UTF-8. */
export function recordToText(record: Uint8Array): string {
  return utf8.decode(record);
}

/** Decodes a byte stream into records; throws the decoder's errors (including truncation at the end). */
export async function* decodeRecordIO(source: AsyncIterable<Uint8Array>, options: RecordIODecoderOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const decoder = new RecordIODecoder(options);
  for await (const chunk of source) {
    for (const record of decoder.push(chunk)) yield record;
  }
  decoder.end();
}

/** `decodeRecordIO`, each record decoded as UTF-8 text (JSON-mode streams). */
export async function* decodeRecordIOText(source: AsyncIterable<Uint8Array>, options: RecordIODecoderOptions = {}): AsyncGenerator<string, void, undefined> {
  for await (const record of decodeRecordIO(source, options)) yield recordToText(record);
}
