// The HTTP/JSON payload codec agrees with the SDK's default payload
// converter (what the worker reads) byte for byte, and reads the API's
// shorthand and full forms alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPayloadConverter } from '@temporalio/common';
import { workflowStatusFromName } from '../../../api/temporal/access.js';
import { base64ToBytes, base64url, bytesToBase64, decodeFields, decodePayload, encodePayload } from '../../../api/temporal/payload-json.js';

const values: unknown[] = [{ spec: { command: 'echo ü ✓ 𝄞', env: { A: '1' } }, n: 1.5 }, 'text', 0, null, [1, 'two', { three: 3 }], true];

test('encodePayload writes what the SDK default converter writes (json/plain, base64)', () => {
  for (const v of values) {
    const sdk = defaultPayloadConverter.toPayload(v);
    const ours = encodePayload(v);
    assert.equal(ours.metadata.encoding, bytesToBase64(sdk.metadata?.encoding as Uint8Array));
    assert.equal(ours.data, bytesToBase64(sdk.data as Uint8Array));
    // And the SDK reads ours back as the same value.
    const back = defaultPayloadConverter.fromPayload({ metadata: { encoding: base64ToBytes(ours.metadata.encoding as string) }, data: base64ToBytes(ours.data as string) });
    assert.deepEqual(back, v);
  }
  assert.throws(() => encodePayload(undefined), /undefined/);
});

test('a search attribute payload carries its type in the metadata', () => {
  const p = encodePayload(['a=b'], 'KeywordList');
  assert.equal(new TextDecoder().decode(base64ToBytes(p.metadata.type as string)), 'KeywordList');
});

test('decodePayload reads full and shorthand forms; refuses encodings it cannot read', () => {
  for (const v of values) {
    assert.deepEqual(decodePayload(encodePayload(v)), v);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) assert.deepEqual(decodePayload(v), v, 'shorthand');
  }
  assert.equal(decodePayload({ metadata: { encoding: btoa('binary/null') } }), null);
  assert.throws(() => decodePayload({ metadata: { encoding: btoa('binary/protobuf') }, data: '' }), /binary\/protobuf/);
  assert.deepEqual(decodeFields({ a: 'x', b: encodePayload([1]) }), { a: 'x', b: [1] });
  assert.deepEqual(decodeFields(undefined), {});
});

test('base64url round trip of token bytes (all byte values, long input)', () => {
  const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
  const s = base64url(bytes);
  assert.match(s, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(base64ToBytes(s), bytes);
  assert.deepEqual(base64ToBytes(bytesToBase64(bytes)), bytes);
});

test('status names from the HTTP API map to the SDK names', () => {
  assert.equal(workflowStatusFromName('WORKFLOW_EXECUTION_STATUS_RUNNING'), 'RUNNING');
  assert.equal(workflowStatusFromName('WORKFLOW_EXECUTION_STATUS_CANCELED'), 'CANCELLED');
  assert.equal(workflowStatusFromName('WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW'), 'CONTINUED_AS_NEW');
  assert.equal(workflowStatusFromName(undefined), 'UNSPECIFIED');
});
