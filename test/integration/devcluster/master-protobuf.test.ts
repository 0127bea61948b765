// A framework that speaks protobuf (as mesos-go's do by default) runs a task
// on the devcluster: SUBSCRIBE → SUBSCRIBED → OFFERS → ACCEPT/LAUNCH →
// UPDATEs → ACKNOWLEDGE → TEARDOWN, every call and event in
// application/x-protobuf. The client here is written in the test from the
// official .proto definitions with plain protobufjs, independently of the
// master's own codec. Also: Mesos's media-type negotiation (JSON preferred,
// mixed request/stream types, 406) and its 400 for bodies that do not decode.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { DevCluster } from '../../../devcluster/index.js';
import { RecordIODecoder } from '../../../mesos/recordio.js';
import { cluster, http } from './master-support.js';

const PROTO_DIR = fileURLToPath(new URL('../../../devcluster/proto/', import.meta.url));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : `${PROTO_DIR}${target}`);
root.loadSync(['mesos/v1/scheduler/scheduler.proto', 'mesos/v1/master/master.proto'], { keepCase: true });
const SchedulerCall = root.lookupType('mesos.v1.scheduler.Call');
const SchedulerEvent = root.lookupType('mesos.v1.scheduler.Event');
const MasterCall = root.lookupType('mesos.v1.master.Call');
const MasterResponse = root.lookupType('mesos.v1.master.Response');

const PROTOBUF = 'application/x-protobuf';
const NOT_ACCEPTABLE = "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'";
const PARSE_ERROR = 'Failed to parse body into Call protobuf';
const TO_OBJECT = { enums: String, longs: String, bytes: String, defaults: false } as const;

type Obj = Record<string, unknown>;

function encode(type: protobuf.Type, value: Obj): Buffer {
  return Buffer.from(type.encode(type.fromObject(value)).finish());
}

function decode(type: protobuf.Type, bytes: Uint8Array): Obj {
  return type.toObject(type.decode(bytes), TO_OBJECT);
}

interface Raw {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function post(url: string, headers: Record<string, string>, body: Buffer | string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A SUBSCRIBE stream whose records are decoded by the media type the master answered with. */
class Stream {
  readonly records: Obj[] = [];
  contentType = '';
  streamId = '';
  status = 0;
  private waiters: Array<() => void> = [];
  private req: ReturnType<typeof request> | undefined;

  open(url: string, headers: Record<string, string>, body: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) => {
      const decoder = new RecordIODecoder();
      this.req = request(`${url}/api/v1/scheduler`, { method: 'POST', headers }, (res) => {
        this.status = res.statusCode ?? 0;
        this.contentType = String(res.headers['content-type']);
        this.streamId = String(res.headers['mesos-stream-id'] ?? '');
        res.on('data', (chunk: Buffer) => {
          for (const record of decoder.push(chunk)) {
            this.records.push(this.contentType === PROTOBUF ? decode(SchedulerEvent, record) : (JSON.parse(Buffer.from(record).toString('utf8')) as Obj));
          }
          for (const w of this.waiters.splice(0)) w();
        });
        res.on('error', () => undefined);
        resolve();
      });
      this.req.on('error', reject);
      this.req.end(body);
    });
  }

  async next(pred: (e: Obj) => boolean, from = 0, timeoutMs = 15_000): Promise<{ event: Obj; index: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.records.findIndex((e, i) => i >= from && pred(e));
      if (index >= 0) return { event: this.records[index] as Obj, index };
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.records.map((e) => e.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.req?.destroy();
  }
}

const subscribeCall = (name: string): Obj => ({
  type: 'SUBSCRIBE',
  subscribe: { framework_info: { user: 'root', name, roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }], failover_timeout: 60 } },
});

describe('devcluster master: protobuf', () => {
  let dc: DevCluster;
  const streams: Stream[] = [];
  before(async () => {
    dc = await cluster();
  });
  after(async () => {
    for (const s of streams) s.close();
    await dc?.stop();
  });

  async function subscribeWith(headers: Record<string, string>, body: Buffer | string): Promise<Stream> {
    const s = new Stream();
    streams.push(s);
    await s.open(dc.masterUrl, headers, body);
    return s;
  }

  it('runs a task end to end with protobuf calls and a protobuf event stream', async () => {
    const s = await subscribeWith({ 'Content-Type': PROTOBUF, Accept: PROTOBUF }, encode(SchedulerCall, subscribeCall('proto-e2e')));
    assert.equal(s.status, 200);
    assert.equal(s.contentType, PROTOBUF);
    assert.match(s.streamId, /^[0-9a-f-]{36}$/);
    const { event: subscribed } = await s.next((e) => e.type === 'SUBSCRIBED');
    const frameworkId = ((subscribed.subscribed as Obj).framework_id as { value: string }).value;
    assert.equal((subscribed.subscribed as Obj).heartbeat_interval_seconds, 15);
    await s.next((e) => e.type === 'HEARTBEAT');
    const { event: offersEvent } = await s.next((e) => e.type === 'OFFERS');
    const offer = ((offersEvent.offers as Obj).offers as Obj[])[0] as { id: { value: string }; agent_id: { value: string } };

    const callHeaders = { 'Content-Type': PROTOBUF, Accept: PROTOBUF, 'Mesos-Stream-Id': s.streamId };
    const send = (call: Obj) => post(`${dc.masterUrl}/api/v1/scheduler`, callHeaders, encode(SchedulerCall, { framework_id: { value: frameworkId }, ...call }));
    const accepted = await send({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              task_infos: [
                {
                  name: 'proto-task',
                  task_id: { value: 'proto-task' },
                  agent_id: offer.agent_id,
                  resources: [
                    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
                    { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
                  ],
                  command: { value: 'echo protobuf' },
                },
              ],
            },
          },
        ],
      },
    });
    assert.equal(accepted.status, 202, accepted.body.toString());

    const states: string[] = [];
    let from = 0;
    for (;;) {
      const { event, index } = await s.next((e) => e.type === 'UPDATE', from, 20_000);
      from = index + 1;
      const status = (event.update as Obj).status as { task_id: { value: string }; state: string; uuid?: string; agent_id: { value: string }; source?: string };
      assert.equal(status.task_id.value, 'proto-task');
      assert.equal(status.source, 'SOURCE_EXECUTOR');
      assert.ok(status.uuid, 'an executor update carries a uuid to acknowledge');
      states.push(status.state);
      const acked = await send({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
      assert.equal(acked.status, 202, acked.body.toString());
      if (status.state === 'TASK_FINISHED') break;
    }
    assert.deepEqual(states, ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);

    // The operator API in protobuf too: the task is finished and its last update acknowledged.
    const tasks = await post(`${dc.masterUrl}/api/v1`, { 'Content-Type': PROTOBUF, Accept: PROTOBUF }, encode(MasterCall, { type: 'GET_TASKS' }));
    assert.equal(tasks.status, 200);
    assert.equal(tasks.headers['content-type'], PROTOBUF);
    const reply = decode(MasterResponse, tasks.body) as { type: string; get_tasks: { completed_tasks?: Array<{ task_id: { value: string }; state: string; status_update_state?: string }> } };
    assert.equal(reply.type, 'GET_TASKS');
    const done = (reply.get_tasks.completed_tasks ?? []).find((t) => t.task_id.value === 'proto-task');
    assert.equal(done?.state, 'TASK_FINISHED');

    const teardown = await send({ type: 'TEARDOWN' });
    assert.equal(teardown.status, 202);
    const frameworks = await post(`${dc.masterUrl}/api/v1`, { 'Content-Type': 'application/json', Accept: 'application/json' }, JSON.stringify({ type: 'GET_FRAMEWORKS' }));
    const fw = JSON.parse(frameworks.body.toString()) as { get_frameworks: { completed_frameworks?: Array<{ framework_info: { id: { value: string } } }> } };
    assert.ok(fw.get_frameworks.completed_frameworks?.some((f) => f.framework_info.id.value === frameworkId), 'the framework is torn down');
  });

  const negotiation: Array<[string, Record<string, string>, 'json' | 'protobuf', string]> = [
    ['a protobuf SUBSCRIBE without Accept gets JSON', { 'Content-Type': PROTOBUF }, 'protobuf', 'application/json'],
    ['a protobuf SUBSCRIBE accepting */* gets JSON', { 'Content-Type': PROTOBUF, Accept: '*/*' }, 'protobuf', 'application/json'],
    ['a protobuf SUBSCRIBE asking for JSON gets JSON', { 'Content-Type': PROTOBUF, Accept: 'application/json' }, 'protobuf', 'application/json'],
    ['JSON is preferred when both are acceptable', { 'Content-Type': PROTOBUF, Accept: 'application/x-protobuf, application/json' }, 'protobuf', 'application/json'],
    ['a JSON SUBSCRIBE asking for protobuf gets protobuf', { 'Content-Type': 'application/json', Accept: PROTOBUF }, 'json', PROTOBUF],
    ['JSON excluded by q=0 gives protobuf', { 'Content-Type': 'application/json', Accept: 'application/json;q=0, application/*' }, 'json', PROTOBUF],
  ];
  for (const [name, headers, bodyType, expected] of negotiation) {
    it(name, async () => {
      const call = subscribeCall(`proto-neg-${expected}-${bodyType}`);
      const s = await subscribeWith(headers, bodyType === 'protobuf' ? encode(SchedulerCall, call) : JSON.stringify(call));
      assert.equal(s.status, 200);
      assert.equal(s.contentType, expected);
      const { event } = await s.next((e) => e.type === 'SUBSCRIBED');
      assert.ok(((event.subscribed as Obj).framework_id as { value: string }).value.length > 0);
      s.close();
    });
  }

  it('answers 406 when Accept allows neither type, for protobuf and JSON calls alike', async () => {
    for (const [type, body] of [
      [PROTOBUF, encode(SchedulerCall, subscribeCall('proto-406'))],
      ['application/json', JSON.stringify(subscribeCall('json-406'))],
    ] as const) {
      const r = await post(`${dc.masterUrl}/api/v1/scheduler`, { 'Content-Type': type, Accept: 'text/html' }, body);
      assert.equal(r.status, 406);
      assert.equal(r.body.toString(), NOT_ACCEPTABLE);
    }
    const op = await post(`${dc.masterUrl}/api/v1`, { 'Content-Type': PROTOBUF, Accept: 'text/plain' }, encode(MasterCall, { type: 'GET_HEALTH' }));
    assert.equal(op.status, 406);
    assert.equal(op.body.toString(), NOT_ACCEPTABLE);
  });

  it('answers 400 with Mesos text for bodies that are not a Call', async () => {
    // A SUBSCRIBE whose FrameworkInfo lacks the required `user` (field numbers from scheduler.proto and mesos.proto).
    const w = protobuf.Writer.create();
    w.uint32((2 << 3) | 0).int32(1); // Call.type = SUBSCRIBE
    w.uint32((3 << 3) | 2).fork(); // Call.subscribe
    w.uint32((1 << 3) | 2).fork(); // Subscribe.framework_info
    w.uint32((2 << 3) | 2).string('no-user'); // FrameworkInfo.name
    w.ldelim().ldelim();
    const missingUser = Buffer.from(w.finish());
    for (const body of [Buffer.from([0xff, 0xff, 0xff]), Buffer.from('{"type":"SUBSCRIBE"}'), missingUser]) {
      const r = await post(`${dc.masterUrl}/api/v1/scheduler`, { 'Content-Type': PROTOBUF, Accept: PROTOBUF }, body);
      assert.equal(r.status, 400, body.toString('hex'));
      assert.equal(r.body.toString(), PARSE_ERROR);
      assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    }
    const op = await post(`${dc.masterUrl}/api/v1`, { 'Content-Type': PROTOBUF, Accept: PROTOBUF }, Buffer.from([0xff, 0xff, 0xff]));
    assert.equal(op.status, 400);
    assert.equal(op.body.toString(), PARSE_ERROR);
  });

  it('a protobuf call is validated like a JSON one (Mesos-Stream-Id rules)', async () => {
    const r = await post(
      `${dc.masterUrl}/api/v1/scheduler`,
      { 'Content-Type': PROTOBUF, 'Mesos-Stream-Id': 'f0e1d2c3-0000-4000-8000-000000000000' },
      encode(SchedulerCall, subscribeCall('proto-stream-id')),
    );
    assert.equal(r.status, 400);
    assert.equal(r.body.toString(), "Subscribe calls should not include the 'Mesos-Stream-Id' header");
  });

  it('serves operator calls in either type: JSON call with a protobuf answer, and the reverse', async () => {
    const pb = await post(`${dc.masterUrl}/api/v1`, { 'Content-Type': 'application/json', Accept: PROTOBUF }, JSON.stringify({ type: 'GET_HEALTH' }));
    assert.equal(pb.status, 200);
    assert.equal(pb.headers['content-type'], PROTOBUF);
    assert.deepEqual(decode(MasterResponse, pb.body), { type: 'GET_HEALTH', get_health: { healthy: true } });
    const json = await http(`${dc.masterUrl}/api/v1`, { headers: { 'Content-Type': PROTOBUF }, body: undefined });
    assert.equal(json.status, 400, 'an empty protobuf body has no type');
    const agents = await post(`${dc.masterUrl}/api/v1`, { 'Content-Type': PROTOBUF }, encode(MasterCall, { type: 'GET_AGENTS' }));
    assert.equal(agents.status, 200);
    assert.equal(agents.headers['content-type'], 'application/json');
    assert.equal((JSON.parse(agents.body.toString()) as { type: string }).type, 'GET_AGENTS');
  });
});
