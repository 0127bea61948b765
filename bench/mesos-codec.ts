// Decoding cost of stream records: text → parseMesosJson → parseEvent, for
// the events a busy framework sees most (UPDATE with a nanosecond-free
// status; OFFERS with 10 offers of 4 resources; an operator GET_STATE answer
// holding 64-bit times, which takes the lossless slow path). Baseline:
// JSON.parse alone, and JSON.parse + parseEvent.
import { performance } from 'node:perf_hooks';
import { parseEvent, parseMasterResponse, parseMesosJson, stringifyMesosJson } from '../mesos/schemas/index.js';
import { sampleRunningUpdate } from './lib/sample-update.js';

const update = sampleRunningUpdate();

const offer = (i: number) => ({
  id: { value: `3fd74b6a-b45a-4bd0-a26f-c3966b1a0881-O${i}` },
  framework_id: { value: '3fd74b6a-b45a-4bd0-a26f-c3966b1a0881-0320' },
  agent_id: { value: `eab525ee-5e1f-45be-bf32-1db6aa37e62d-S${i}` },
  hostname: `node${i}`,
  url: { scheme: 'http', address: { hostname: `node${i}`, ip: '10.0.0.5', port: 5051 }, path: '/slave(1)' },
  resources: [
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] }, role: '*', allocation_info: { role: '*' } },
    { name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, role: '*', allocation_info: { role: '*' } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 1024 }, role: '*', allocation_info: { role: '*' } },
    { name: 'disk', type: 'SCALAR', scalar: { value: 1024 }, role: '*', allocation_info: { role: '*' } },
  ],
  allocation_info: { role: '*' },
});
const offers = JSON.stringify({ type: 'OFFERS', offers: { offers: Array.from({ length: 10 }, (_, i) => offer(i)) } });

function perSecond(n: number, fn: () => void): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (n / (performance.now() - t0)) * 1000;
}

const fmt = (x: number) => Math.round(x).toString();

export async function run(): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const transcript = parseMesosJson(readFileSync(new URL('../test/fixtures/mesos-transcripts/12-operator-and-state.json', import.meta.url), 'utf8')) as {
    exchanges: Array<{ request: { body?: { type?: string } }; response: { body?: unknown } }>;
  };
  const state = stringifyMesosJson(transcript.exchanges.find((e) => e.request.body?.type === 'GET_STATE')?.response.body);

  console.log(`update_bytes: ${update.length}`);
  console.log(`offers_bytes: ${offers.length}`);
  console.log(`get_state_bytes: ${state.length}`);
  console.log(`update_json_parse_per_s: ${fmt(perSecond(200_000, () => JSON.parse(update)))}`);
  console.log(`update_json_parse_plus_schema_per_s: ${fmt(perSecond(100_000, () => parseEvent(JSON.parse(update))))}`);
  console.log(`offers_json_parse_per_s: ${fmt(perSecond(50_000, () => JSON.parse(offers)))}`);
  console.log(`offers_parse_mesos_json_plus_schema_per_s: ${fmt(perSecond(20_000, () => parseEvent(parseMesosJson(offers))))}`);
  console.log(`get_state_json_parse_per_s: ${fmt(perSecond(5_000, () => JSON.parse(state)))}`);
  console.log(`get_state_parse_mesos_json_lossless_per_s: ${fmt(perSecond(5_000, () => parseMesosJson(state)))}`);
  console.log(`get_state_lossless_plus_schema_per_s: ${fmt(perSecond(2_000, () => parseMasterResponse(parseMesosJson(state))))}`);
  const parsedUpdate = parseEvent(parseMesosJson(update));
  console.log(`update_stringify_mesos_json_per_s: ${fmt(perSecond(100_000, () => stringifyMesosJson(parsedUpdate)))}`);
  console.log(`update_parse_mesos_json_plus_schema_per_s: ${fmt(perSecond(100_000, () => parseEvent(parseMesosJson(update))))}`);
}
