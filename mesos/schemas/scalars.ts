// Scalar field types with the input leniency of Mesos' JSON → protobuf
// conversion (numeric strings for numbers, "true"/"false" for bools) and
// output types that are easy to use: doubles are numbers, 64-bit integers are
// number | bigint (bigint only when the value is not a safe integer, which is
// what parseMesosJson produces).
import { z } from 'zod';
import { normalizeInt64, type Int64 } from '../json.js';

const numericString = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const integerString = /^\s*[-+]?\d+\s*$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

function isInt64Like(v: unknown): v is number | bigint | string {
  if (typeof v === 'number') return Number.isInteger(v);
  if (typeof v === 'bigint') return v >= INT64_MIN && v <= UINT64_MAX;
  if (typeof v === 'string' && integerString.test(v)) {
    const b = BigInt(v.trim());
    return b >= INT64_MIN && b <= UINT64_MAX;
  }
  return false;
}

function toInt64(v: number | bigint | string): Int64 {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return normalizeInt64(v);
  return normalizeInt64(BigInt(v.trim()));
}

/** int64/uint64 (TimeInfo.nanoseconds, Range.begin, ...): number | bigint out; numbers, bigints or integer strings in. */
export const int64Schema = z
  .custom<number | bigint | string>(isInt64Like, { error: 'expected a 64-bit integer (number, bigint or integer string)' })
  .transform(toInt64);

function isDoubleLike(v: unknown): v is number | bigint | string {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  if (typeof v === 'string') return numericString.test(v) || v === 'Infinity' || v === '-Infinity' || v === 'NaN';
  return false;
}

/** double/float: number out; numbers, bigints, numeric strings and "Infinity"/"-Infinity" in. */
export const doubleSchema = z
  .custom<number | bigint | string>(isDoubleLike, { error: 'expected a number' })
  .transform((v) => Number(typeof v === 'string' ? v.trim() : v));

function intSchema(min: number, max: number, what: string) {
  return z
    .custom<number | string>(
      (v) => {
        const n = typeof v === 'number' ? v : typeof v === 'string' && integerString.test(v) ? Number(v) : NaN;
        return Number.isInteger(n) && n >= min && n <= max;
      },
      { error: `expected ${what}` },
    )
    .transform((v) => Number(v));
}

export const int32Schema = intSchema(-(2 ** 31), 2 ** 31 - 1, 'a 32-bit integer');
export const uint32Schema = intSchema(0, 2 ** 32 - 1, 'an unsigned 32-bit integer');

/** bool: true/false, or the strings "true"/"false" as Mesos accepts them. */
export const boolSchema = z
  .custom<boolean | 'true' | 'false'>((v) => typeof v === 'boolean' || v === 'true' || v === 'false', { error: 'expected a boolean' })
  .transform((v) => v === true || v === 'true');

/**
 * A `bytes` field: standard base64 (alphabet `+/`, `=` padding). Kept as the
 * string it was, so a TaskStatus uuid can be echoed unchanged in ACKNOWLEDGE.
 */
export const bytesSchema = z.string().regex(/^[A-Za-z0-9+/=\s]*$/, { error: 'expected standard base64 (A-Z a-z 0-9 + / =)', abort: true });

/**
 * An enum field that is optional in the proto: Mesos may add values in newer
 * versions, so any string is accepted and kept; the known names are in the type.
 * A JSON number is rejected, as Mesos does.
 */
export function openEnum<const T extends readonly string[]>(values: T) {
  return z.custom<T[number] | (string & {})>((v) => typeof v === 'string', {
    error: `expected an enum name (string), e.g. ${values.slice(0, 3).join(', ')}`,
  });
}
