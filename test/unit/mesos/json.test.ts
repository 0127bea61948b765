import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  MesosJsonError,
  decodeUuid,
  durationToMs,
  encodeUuid,
  isValidStatusUuid,
  msToDuration,
  msToTime,
  newStatusUuid,
  parseMesosJson,
  secondsToDuration,
  stringifyMesosJson,
  timeToMs,
  uuidToString,
} from '../../../mesos/json.js';
import { TRANSCRIPTS_DIR } from '../../support/fixtures.js';

const transcriptsDir = TRANSCRIPTS_DIR;
const transcriptFiles = readdirSync(transcriptsDir).filter((f) => f.endsWith('.json'));

test('parses plain JSON like JSON.parse', () => {
  const text = '{"a":[1,2.5,-3,1e3,true,false,null,"x\\n\\u00e9\\"y"],"b":{},"c":[],"d":"é😀"}';
  assert.deepEqual(parseMesosJson(text), JSON.parse(text));
  assert.deepEqual(parseMesosJson('  [ 1 , { "k" : "v" } ]  '), [1, { k: 'v' }]);
  assert.equal(parseMesosJson('15.0'), 15);
  assert.equal(parseMesosJson('-0.5'), -0.5);
});

test('integers beyond MAX_SAFE_INTEGER become bigint, others stay numbers', () => {
  assert.deepEqual(parseMesosJson('{"n":9007199254740991}'), { n: 9007199254740991 });
  assert.deepEqual(parseMesosJson('{"n":9007199254740992}'), { n: 9007199254740992n });
  assert.deepEqual(parseMesosJson('{"n":-9007199254740992}'), { n: -9007199254740992n });
  assert.deepEqual(parseMesosJson('{"nanoseconds": 1795532473685203968}'), { nanoseconds: 1795532473685203968n });
  // 16 digits but safe, and non-integer literals, stay numbers.
  assert.deepEqual(parseMesosJson('[1000000000000000, 1795532473685203968.0, 1.795532473685203968e18]'), [
    1000000000000000, 1795532473685203968, 1.795532473685203968e18,
  ]);
  assert.deepEqual(parseMesosJson('"12345678901234567890"'), '12345678901234567890');
});

test("reads Mesos' bare Infinity/-Infinity/NaN tokens", () => {
  assert.deepEqual(parseMesosJson('{"limits":{"cpus":{"value":Infinity},"mem":{"value":-Infinity}}}'), {
    limits: { cpus: { value: Infinity }, mem: { value: -Infinity } },
  });
  assert.ok(Number.isNaN(parseMesosJson('NaN')));
});

test('a "__proto__" key becomes an own property, not a prototype', () => {
  const v = parseMesosJson('{"__proto__":{"polluted":1},"n":12345678901234567890}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.deepEqual(Object.keys(v), ['__proto__', 'n']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('malformed input throws MesosJsonError with a position', () => {
  for (const bad of ['', '{', '{"a":}', '[1,]', '01', '1.', '-', 'tru', '{"a":1} x', '"abc', '"a\u0001"', '{a:1}', '[1 2]', '"\\x"']) {
    assert.throws(
      () => parseMesosJson(bad),
      (err: unknown) => err instanceof MesosJsonError && err.position >= 0 && err.message.includes('position'),
      `expected ${JSON.stringify(bad)} to be rejected`,
    );
    // The slow path (forced by a long digit run) rejects the same texts.
    assert.throws(() => parseMesosJson(`[12345678901234567890, ${bad}]`), MesosJsonError);
  }
});

test('absurd nesting is a MesosJsonError, not a stack overflow', () => {
  const deep = '['.repeat(200_000) + '12345678901234567890' + ']'.repeat(200_000);
  assert.throws(() => parseMesosJson(deep), (e: unknown) => e instanceof MesosJsonError && /nesting too deep/.test(e.message));
});

test('agrees with JSON.parse on random documents (bigints aside)', () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const gen = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.3) {
      const k = Math.floor(rnd() * 7);
      if (k === 0) return Math.floor(rnd() * 1e6) - 5e5;
      if (k === 1) return rnd() * 1e10;
      if (k === 2) return 'str' + String.fromCharCode(32 + Math.floor(rnd() * 2000)) + '"\\';
      if (k === 3) return rnd() < 0.5;
      if (k === 4) return null;
      if (k === 5) return 1_000_000_000_000_000 + Math.floor(rnd() * 1e6); // 16 digits, safe
      return rnd() * 1e-7;
    }
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0; i < Math.floor(rnd() * 4); i++) o['k' + String(i) + (rnd() < 0.2 ? 'é' : '')] = gen(depth + 1);
    return o;
  };
  for (let i = 0; i < 300; i++) {
    const text = JSON.stringify(gen(0));
    assert.deepEqual(parseMesosJson(text), JSON.parse(text));
    assert.deepEqual(parseMesosJson(stringifyMesosJson(parseMesosJson(text))), JSON.parse(text));
  }
});

test('stringify is compact, writes bigint as bare digits and stays valid JSON', () => {
  assert.equal(stringifyMesosJson({ a: 1, b: [1n, 'x'], c: { nanoseconds: 1795532473685203968n } }), '{"a":1,"b":[1,"x"],"c":{"nanoseconds":1795532473685203968}}');
  assert.equal(stringifyMesosJson({ a: undefined, b: [undefined], f: () => 1 }), '{"b":[null]}');
  assert.equal(stringifyMesosJson({ x: Infinity, y: -Infinity, z: NaN }), '{"x":"Infinity","y":"-Infinity","z":null}');
  assert.equal(stringifyMesosJson(new Date(0)), '"1970-01-01T00:00:00.000Z"');
  assert.equal(stringifyMesosJson('a"b\n'), JSON.stringify('a"b\n'));
  assert.equal(stringifyMesosJson(undefined), 'null');
  const v = { s: 'é', n: -2.5e-7, arr: [[], {}], t: true };
  assert.equal(stringifyMesosJson(v), JSON.stringify(v));
});

for (const file of transcriptFiles) {
  test(`transcript ${file}: 64-bit integers survive parse → stringify exactly`, () => {
    const text = readFileSync(`${transcriptsDir}${file}`, 'utf8');
    const parsed = parseMesosJson(text);
    // Same document as JSON.parse reads, except that big integers are exact.
    const lossy = JSON.parse(text) as unknown;
    assert.deepEqual(JSON.parse(JSON.stringify(parsed, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))), lossy);
    const out = stringifyMesosJson(parsed);
    const bigTokens = (s: string) => [...s.matchAll(/[:[,]\s*(-?\d{16,})(?=\s*[,\]}])/g)].map((m) => m[1]).sort();
    assert.deepEqual(bigTokens(out), bigTokens(text));
    assert.deepEqual(parseMesosJson(out), parsed);
  });
}

test('the transcripts do hold nanosecond times beyond 2^53', () => {
  const text = readFileSync(`${transcriptsDir}12-operator-and-state.json`, 'utf8');
  assert.match(text, /"nanoseconds": 1795532604944833024/);
  assert.match(stringifyMesosJson(parseMesosJson(text)), /"nanoseconds":1795532604944833024/);
});

test('durations: ms and seconds both ways, exact beyond 2^53 ns', () => {
  assert.equal(durationToMs({ nanoseconds: 3_000_000_000 }), 3000);
  assert.equal(durationToMs({ nanoseconds: 1_500_000 }), 1.5);
  assert.equal(durationToMs({ nanoseconds: 10_000_000_000_000_000n }), 10_000_000_000);
  assert.deepEqual(msToDuration(1500), { nanoseconds: 1_500_000_000 });
  assert.deepEqual(msToDuration(0.5), { nanoseconds: 500_000 });
  assert.deepEqual(secondsToDuration(604800), { nanoseconds: 604_800_000_000_000 });
  assert.deepEqual(secondsToDuration(2), { nanoseconds: 2_000_000_000 });
  // 10^7 s = 10^16 ns > 2^53: exact bigint.
  assert.deepEqual(secondsToDuration(10_000_000), { nanoseconds: 10_000_000_000_000_000n });
  assert.deepEqual(msToTime(1795532604944), { nanoseconds: 1_795_532_604_944_000_000n });
  assert.equal(Math.round(timeToMs({ nanoseconds: 1795532604944833024n })), 1795532604945);
  assert.equal(timeToMs(msToTime(new Date(1_700_000_000_123))), 1_700_000_000_123);
});

test('uuid: standard base64 both ways; URL-safe characters rejected; ack validity', () => {
  const b64 = 'V4K79vYOQnqhb83ZemZnoA==';
  const bytes = decodeUuid(b64);
  assert.equal(bytes.length, 16);
  assert.equal(encodeUuid(bytes), b64);
  assert.equal(uuidToString(bytes), '5782bbf6-f60e-427a-a16f-cdd97a6667a0');
  assert.throws(() => decodeUuid('ab-_ab-_ab-_ab-_ab-_ag=='), /invalid character "-"/);
  assert.equal(isValidStatusUuid(b64), true);
  assert.equal(isValidStatusUuid('bm90LWEtdXVpZA=='), false); // "not-a-uuid"
  assert.equal(isValidStatusUuid('ab-_ab-_ab-_ab-_ab-_ag=='), false);
  assert.equal(isValidStatusUuid(encodeUuid(new Uint8Array(16))), false); // version nibble 0
  for (let i = 0; i < 20; i++) {
    const u = newStatusUuid();
    assert.match(u, /^[A-Za-z0-9+/]{22}==$/);
    assert.equal(isValidStatusUuid(u), true);
  }
});

test('every status uuid recorded from Mesos is a valid ack uuid', () => {
  const text = readFileSync(`${transcriptsDir}05-kill.json`, 'utf8');
  const uuids = [...text.matchAll(/"uuid": "([^"]+)"/g)].map((m) => m[1] ?? '');
  assert.ok(uuids.length > 5);
  for (const u of uuids) assert.equal(isValidStatusUuid(u), true, u);
});
