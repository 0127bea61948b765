// Every JSON example of the spec (mesos-scheduler-api.md §5.1, §8, §9)
// parses with the schemas and re-serializes to the same JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import {
  durationInfoSchema,
  eventTypes,
  frameworkIdSchema,
  isKnownEvent,
  labelsSchema,
  parseCall,
  parseEvent,
  parseMesosJson,
  resourceSchema,
  stringifyMesosJson,
} from '../../../mesos/schemas/index.js';
import { SPEC_FILE } from '../../support/fixtures.js';

const spec = readFileSync(SPEC_FILE, 'utf8');

/** The JSON text a value re-serializes to, read back: what Mesos would see. */
function roundTrip(value: unknown): unknown {
  return parseMesosJson(stringifyMesosJson(value));
}

// Placeholders the spec uses inside otherwise literal examples.
function fillPlaceholders(text: string): string {
  return text
    .replaceAll('{...}', '{"value":"F-0000"}')
    .replaceAll('[...]', '[]')
    .replaceAll('"<base64 of the 16 bytes from status.uuid>"', '"V4K79vYOQnqhb83ZemZnoA=="');
}

function sectionOf(line: number): number {
  let section = 0;
  const lines = spec.split('\n');
  for (let i = 0; i < line && i < lines.length; i++) {
    const m = /^##+ (\d+)\./.exec(lines[i] ?? '');
    if (m) section = Number(m[1]);
  }
  return section;
}

interface Example {
  where: string;
  text: string;
}

function examplesIn(sections: number[]): Example[] {
  const out: Example[] = [];
  const lines = spec.split('\n');
  // Fenced ```json blocks.
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```json\s*$/.test(lines[i] ?? '')) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? ''); j++) body.push(lines[j] ?? '');
    if (sections.includes(sectionOf(i))) out.push({ where: `line ${i + 1}`, text: body.join('\n') });
    i = j;
  }
  // Inline `{"type":...}` examples.
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/`(\{"type":[^`]*\})`/g)) {
      if (sections.includes(sectionOf(i))) out.push({ where: `line ${i + 1}`, text: m[1] ?? '' });
    }
  });
  return out;
}

const isTemplate = (t: string) => t.includes('<CALL_TYPE>') || t.includes('<EVENT>') || t.includes('"<lowercase');

test('§8 call examples parse with parseCall and round-trip', () => {
  // §8 also quotes the ERROR event a failed-over stream gets.
  const examples = examplesIn([8]).filter((e) => !isTemplate(e.text) && !e.text.startsWith('{"type":"ERROR"'));
  const seen = new Set<string>();
  for (const ex of examples) {
    const input = parseMesosJson(fillPlaceholders(ex.text));
    const call = parseCall(input);
    seen.add(call.type);
    assert.deepEqual(roundTrip(call), input, ex.where);
  }
  for (const t of ['SUBSCRIBE', 'ACCEPT', 'DECLINE', 'REVIVE', 'SUPPRESS', 'KILL', 'SHUTDOWN', 'ACKNOWLEDGE', 'RECONCILE', 'MESSAGE', 'REQUEST']) {
    assert.ok(seen.has(t), `an example of ${t} was found and checked`);
  }
  assert.ok(examples.length >= 12);
});

test('§9 event examples parse with parseEvent and round-trip', () => {
  // Calls always carry framework_id or subscribe; events never do.
  const events = examplesIn([4, 8, 9])
    .filter((e) => !isTemplate(e.text))
    .filter((e) => {
      const v = parseMesosJson(fillPlaceholders(e.text)) as Record<string, unknown>;
      return (eventTypes as readonly string[]).includes(String(v.type)) && !('framework_id' in v) && !('subscribe' in v);
    });
  assert.ok(events.length >= 6);
  const seen = new Set<string>();
  for (const ex of events) {
    const input = parseMesosJson(fillPlaceholders(ex.text));
    const event = parseEvent(input);
    assert.ok(isKnownEvent(event), ex.where);
    seen.add(event.type);
    assert.deepEqual(roundTrip(event), input, ex.where);
  }
  for (const t of ['SUBSCRIBED', 'OFFERS', 'UPDATE', 'ERROR']) assert.ok(seen.has(t), `an example of ${t} was found and checked`);
});

test('§4 heartbeat record parses', () => {
  assert.deepEqual(parseEvent(parseMesosJson('{"type":"HEARTBEAT"}')), { type: 'HEARTBEAT' });
});

test('§5.1 common shapes parse with their schemas and round-trip', () => {
  const shapes: Array<[string, z.ZodType, string]> = [
    ['id', frameworkIdSchema, '{"value": "d6e5...-0000"}'],
    ['scalar', resourceSchema, '{"name":"cpus","type":"SCALAR","scalar":{"value":0.5},"role":"*"}'],
    ['ranges', resourceSchema, '{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]},"role":"*"}'],
    ['set', resourceSchema, '{"name":"disks","type":"SET","set":{"item":["sda","sdb"]}}'],
    ['multi-role', resourceSchema, '{"name":"mem","type":"SCALAR","scalar":{"value":128.0},"allocation_info":{"role":"web"}}'],
    [
      'reserved (refinement fmt)',
      resourceSchema,
      '{"name":"cpus","type":"SCALAR","scalar":{"value":1.0},"reservations":[{"type":"DYNAMIC","role":"web","principal":"p"}]}',
    ],
    [
      'persistent disk',
      resourceSchema,
      '{"name":"disk","type":"SCALAR","scalar":{"value":64.0},"reservations":[{"type":"DYNAMIC","role":"web"}],"disk":{"persistence":{"id":"vol-1"},"volume":{"mode":"RW","container_path":"data"}}}',
    ],
    ['labels', labelsSchema, '{"labels":[{"key":"k","value":"v"}]}'],
    ['duration', durationInfoSchema, '{"nanoseconds": 3000000000}'],
  ];
  for (const [name, schema, text] of shapes) {
    // The spec's block must really contain this shape (whitespace aside).
    const squash = (s: string) => s.replace(/\s+/g, '');
    assert.ok(squash(spec).includes(squash(text).slice(0, 40)), `${name} is in the spec`);
    const input = parseMesosJson(text);
    const parsed: unknown = schema.parse(input);
    assert.deepEqual(roundTrip(parsed), input, name);
  }
});
