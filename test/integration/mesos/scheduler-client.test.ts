import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createMemoryLogger } from '../../../common/logger.js';
import {
  SchedulerClient,
  FrameworkErrorEventError,
  HeartbeatTimeoutError,
  InvalidCallError,
  MastersUnreachableError,
  MesosBadRequestError,
  MesosConnectionError,
  MesosForbiddenError,
  MesosHttpError,
  MesosUnauthorizedError,
  MesosUnsupportedMediaTypeError,
  NoLeaderError,
  NotSubscribedError,
  StreamClosedError,
  StreamConnectionError,
  SubscribeRefusedError,
  SchedulerClientConfigError,
  SubscriptionActiveError,
  resolveLocation,
} from '../../../mesos/client/index.js';
import type { SchedulerClientOptions } from '../../../mesos/client/index.js';
import { RecordIOTruncatedError, RecordTooLargeError, encodeRecord } from '../../../mesos/recordio.js';
import { FakeMaster } from '../../support/fake-master.js';
import { LeaderUnknownError, type LeaderDetector, type LeaderStatus } from '../../../mesos/leader/detector.js';
import type { FakeMasterOptions } from '../../support/fake-master.js';
import { isKnownEvent } from '../../../mesos/schemas/index.js';
import type { Event, Operation, TaskStatus } from '../../../mesos/schemas/index.js';
import { transcriptPath } from '../../support/fixtures.js';

const frameworkInfo = { user: 'root', name: 'scheduler-client-test', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }], failover_timeout: 60 };

const errorsTranscript = JSON.parse(readFileSync(transcriptPath('10-errors.json'), 'utf8')) as {
  exchanges: Array<{ comment: string; response: { status: number; body: unknown }; events?: Array<{ type: string; error?: { message: string } }> }>;
};
function recordedBody(status: number, contains: string): string {
  const ex = errorsTranscript.exchanges.find((e) => e.response.status === status && typeof e.response.body === 'string' && e.response.body.includes(contains));
  assert.ok(ex, `no recorded ${status} answer containing ${contains}`);
  return ex.response.body as string;
}
function recordedRefusal(contains: string): string {
  for (const ex of errorsTranscript.exchanges) {
    const msg = ex.events?.find((e) => e.type === 'ERROR')?.error?.message;
    if (msg?.includes(contains)) return msg;
  }
  throw new Error(`no recorded ERROR event containing ${contains}`);
}

const masters: FakeMaster[] = [];
const clients: SchedulerClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(masters.map((m) => m.stop()));
});

async function startMaster(options: FakeMasterOptions = {}): Promise<FakeMaster> {
  const m = await FakeMaster.start(options);
  masters.push(m);
  return m;
}
function newClient(options: SchedulerClientOptions): SchedulerClient {
  const c = new SchedulerClient({ noLeaderRetry: { initialMs: 10, maxMs: 50, maxAttempts: 5 }, ...options });
  clients.push(c);
  return c;
}

async function nextEvent(it: AsyncIterator<Event>): Promise<Event> {
  const r = await it.next();
  assert.equal(r.done, false, 'the stream ended');
  return r.value as Event;
}

test('SUBSCRIBE: typed SUBSCRIBED/HEARTBEAT/OFFERS, exact headers, client state; later calls carry stream id and framework id', async () => {
  const master = await startMaster();
  const client = newClient({ masters: [master.url] });
  const sub = client.subscribe(frameworkInfo);
  const it = sub[Symbol.asyncIterator]();

  const subscribed = await nextEvent(it);
  assert.equal(subscribed.type, 'SUBSCRIBED');
  const heartbeat = await nextEvent(it);
  assert.equal(heartbeat.type, 'HEARTBEAT');
  const offers = await nextEvent(it);
  assert.ok(isKnownEvent(offers) && offers.type === 'OFFERS');
  const offer = offers.offers.offers?.[0];
  assert.ok(offer);
  assert.equal(offer.resources?.length, 4);
  assert.equal(offer.resources?.find((r) => r.name === 'cpus')?.scalar?.value, 2);
  assert.ok(isKnownEvent(subscribed) && subscribed.type === 'SUBSCRIBED');
  assert.equal(subscribed.subscribed.heartbeat_interval_seconds, 15);

  const stream = await master.waitForStream();
  assert.equal(client.frameworkId, master.frameworkId);
  assert.equal(client.streamId, stream.streamId);
  assert.equal(client.leaderUrl, master.url);
  assert.equal(client.heartbeatIntervalSeconds, 15);
  assert.equal(client.masterInfo?.port, master.port);

  const [subReq] = master.calls('SUBSCRIBE');
  assert.ok(subReq);
  assert.equal(subReq.path, '/api/v1/scheduler');
  assert.equal(subReq.headers['content-type'], 'application/json');
  assert.equal(subReq.headers.accept, 'application/json');
  assert.equal(subReq.headers['mesos-stream-id'], undefined);
  assert.equal(subReq.headers.authorization, undefined);
  assert.deepEqual(subReq.json, { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } });

  await client.decline([offer.id], { refuse_seconds: 30 });
  const [decline] = master.calls('DECLINE');
  assert.ok(decline);
  assert.equal(decline.headers['mesos-stream-id'], stream.streamId);
  assert.equal(decline.headers['content-type'], 'application/json');
  assert.deepEqual(decline.json, { type: 'DECLINE', framework_id: { value: master.frameworkId }, decline: { offer_ids: [offer.id], filters: { refuse_seconds: 30 } } });
  assert.notEqual(decline.connection, subReq.connection, 'calls must not share the SUBSCRIBE connection');

  // Breaking off ends the subscription and closes its connection.
  await it.return?.();
  await stream.closed;
  assert.equal(client.streamId, undefined);
  assert.equal(client.subscribed, false);
  await assert.rejects(client.revive(), NotSubscribedError);
});

test('one method per call type builds the documented bodies; UPDATE_FRAMEWORK expects 200', async () => {
  const master = await startMaster();
  const client = newClient({ masters: [master.url] });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await nextEvent(it);
  const fid = { value: master.frameworkId };
  const launch: Operation = { type: 'LAUNCH', launch: { task_infos: [] } };

  await client.accept(['o1'], [launch], { refuse_seconds: 1 });
  await client.revive(['*']);
  await client.revive();
  await client.suppress();
  await client.kill('t1', 'a1', { grace_period: { nanoseconds: 2_000_000_000 } });
  await client.shutdown('e1', 'a1');
  await client.reconcile([{ task_id: 't1', agent_id: { value: 'a1' } }, { task_id: 't2' }]);
  await client.reconcile([]);
  await client.reconcileOperations([{ operation_id: 'op1', agent_id: 'a1' }]);
  await client.message('a1', 'e1', 'aGVsbG8=');
  await client.request([{ agent_id: { value: 'a1' } }]);
  await client.acceptInverseOffers(['io1']);
  await client.declineInverseOffers(['io2'], { refuse_seconds: 5 });
  await client.updateFramework({ ...frameworkInfo, name: 'renamed' }, { suppressedRoles: [] });
  await client.acknowledgeOperationStatus({ operation_id: { value: 'op1' }, state: 'OPERATION_FINISHED', agent_id: { value: 'a1' }, uuid: { value: 'AAAAAAAAQACAAAAAAAAAAA==' } });

  const bodies = master.requests.slice(1).map((r) => r.json);
  assert.deepEqual(bodies, [
    { type: 'ACCEPT', framework_id: fid, accept: { offer_ids: [{ value: 'o1' }], operations: [launch], filters: { refuse_seconds: 1 } } },
    { type: 'REVIVE', framework_id: fid, revive: { roles: ['*'] } },
    { type: 'REVIVE', framework_id: fid },
    { type: 'SUPPRESS', framework_id: fid },
    { type: 'KILL', framework_id: fid, kill: { task_id: { value: 't1' }, agent_id: { value: 'a1' }, kill_policy: { grace_period: { nanoseconds: 2000000000 } } } },
    { type: 'SHUTDOWN', framework_id: fid, shutdown: { executor_id: { value: 'e1' }, agent_id: { value: 'a1' } } },
    { type: 'RECONCILE', framework_id: fid, reconcile: { tasks: [{ task_id: { value: 't1' }, agent_id: { value: 'a1' } }, { task_id: { value: 't2' } }] } },
    { type: 'RECONCILE', framework_id: fid, reconcile: { tasks: [] } },
    { type: 'RECONCILE_OPERATIONS', framework_id: fid, reconcile_operations: { operations: [{ operation_id: { value: 'op1' }, agent_id: { value: 'a1' } }] } },
    { type: 'MESSAGE', framework_id: fid, message: { agent_id: { value: 'a1' }, executor_id: { value: 'e1' }, data: 'aGVsbG8=' } },
    { type: 'REQUEST', framework_id: fid, request: { requests: [{ agent_id: { value: 'a1' } }] } },
    { type: 'ACCEPT_INVERSE_OFFERS', framework_id: fid, accept_inverse_offers: { inverse_offer_ids: [{ value: 'io1' }] } },
    { type: 'DECLINE_INVERSE_OFFERS', framework_id: fid, decline_inverse_offers: { inverse_offer_ids: [{ value: 'io2' }], filters: { refuse_seconds: 5 } } },
    { type: 'UPDATE_FRAMEWORK', framework_id: fid, update_framework: { framework_info: { ...frameworkInfo, name: 'renamed', id: fid }, suppressed_roles: [] } },
    {
      type: 'ACKNOWLEDGE_OPERATION_STATUS',
      framework_id: fid,
      acknowledge_operation_status: { agent_id: { value: 'a1' }, uuid: 'AAAAAAAAQACAAAAAAAAAAA==', operation_id: { value: 'op1' } },
    },
  ]);
  // UPDATE_FRAMEWORK answered 202 is not what Mesos does: surfaced, not swallowed.
  master.respondNext('UPDATE_FRAMEWORK', { status: 202 });
  await assert.rejects(client.updateFramework(frameworkInfo), (e: unknown) => e instanceof MesosHttpError && e.status === 202);
  await it.return?.();
});

test('acknowledge(): echoes the uuid of agent updates; sends nothing for updates without uuid', async () => {
  const master = await startMaster();
  const logger = createMemoryLogger();
  const client = newClient({ masters: [master.url], logger });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await nextEvent(it);
  const before = master.requests.length;
  const masterUpdate: TaskStatus = {
    task_id: { value: 'x' },
    state: 'TASK_LOST',
    message: 'Reconciliation: Task is unknown',
    source: 'SOURCE_MASTER',
    reason: 'REASON_RECONCILIATION',
    timestamp: 1700000001.5,
  };
  assert.equal(await client.acknowledge(masterUpdate), false);
  // Give a wrongly sent request every chance to arrive before counting.
  await client.revive();
  assert.equal(master.requests.length, before + 1);
  assert.deepEqual(master.calls('ACKNOWLEDGE'), []);
  assert.ok(logger.records.some((r) => r.level === 'debug' && /without uuid/.test(r.msg) && r.taskId === 'x'));

  const agentUpdate: TaskStatus = { task_id: { value: 'hello' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', agent_id: { value: 'S0' }, uuid: 'aHHL9JO5QKSVKEcazRNthQ==' };
  assert.equal(await client.acknowledge(agentUpdate), true);
  const [ack] = master.calls('ACKNOWLEDGE');
  assert.deepEqual(ack?.json, {
    type: 'ACKNOWLEDGE',
    framework_id: { value: master.frameworkId },
    acknowledge: { agent_id: { value: 'S0' }, task_id: { value: 'hello' }, uuid: 'aHHL9JO5QKSVKEcazRNthQ==' },
  });
  await it.return?.();
});

test('resubscribe with frameworkInfo.id sets the top-level framework_id too', async () => {
  const master = await startMaster();
  const client = newClient({ masters: [master.url] });
  const info = { ...frameworkInfo, id: { value: 'known-framework-0007' } };
  const it = client.subscribe(info, { suppressedRoles: ['*'] })[Symbol.asyncIterator]();
  await nextEvent(it);
  const [req] = master.calls('SUBSCRIBE');
  assert.deepEqual(req?.json, { type: 'SUBSCRIBE', framework_id: { value: 'known-framework-0007' }, subscribe: { framework_info: info, suppressed_roles: ['*'] } });
  assert.equal(client.frameworkId, 'known-framework-0007');
  await it.return?.();
});

test('basic auth: Authorization header on every request; wrong credentials → MesosUnauthorizedError', async () => {
  const master = await startMaster({ credentials: { principal: 'fw', secret: 's3cret' } });
  const client = newClient({ masters: [master.url], principal: 'fw', secret: 's3cret' });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await nextEvent(it);
  await client.revive();
  const expected = `Basic ${Buffer.from('fw:s3cret').toString('base64')}`;
  assert.deepEqual(
    master.requests.map((r) => r.headers.authorization),
    [expected, expected],
  );
  await it.return?.();

  const wrong = newClient({ masters: [master.url], principal: 'fw', secret: 'nope' });
  const it2 = wrong.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await assert.rejects(
    it2.next(),
    (e: unknown) =>
      e instanceof MesosUnauthorizedError &&
      e.status === 401 &&
      e.body === '401 Unauthorized.' &&
      e.callType === 'SUBSCRIBE' &&
      e.wwwAuthenticate === 'Basic realm="mesos-master-scheduler"' &&
      e.url === `${master.url}/api/v1/scheduler`,
  );
});

test('heartbeats keep the subscription alive', async () => {
  const master = await startMaster({ heartbeatIntervalSeconds: 0.2 });
  const client = newClient({ masters: [master.url], heartbeatMissLimit: 10 });
  const types: string[] = [];
  for await (const ev of client.subscribe(frameworkInfo)) {
    types.push(ev.type);
    if (types.filter((t) => t === 'HEARTBEAT').length >= 5) break;
  }
  assert.equal(client.heartbeatIntervalSeconds, 0.2);
  assert.deepEqual(types.slice(0, 3), ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS']);
});

test('missed heartbeats end the subscription with HeartbeatTimeoutError', async () => {
  const master = await startMaster({ heartbeatIntervalSeconds: 0.2, heartbeats: false });
  const client = newClient({ masters: [master.url], heartbeatMissLimit: 2 });
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const ev of client.subscribe(frameworkInfo)) seen.push(ev.type);
    })(),
    (e: unknown) => e instanceof HeartbeatTimeoutError && e.silentMs === 400 && e.frameworkId === master.frameworkId,
  );
  assert.deepEqual(seen, ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS']);
  const stream = await master.waitForStream();
  await stream.closed;
});

for (const form of [
  { name: "a real Mesos follower's /master/api/v1/scheduler (mesos-transcripts/14)", path: '/master/api/v1/scheduler' },
  { name: 'the original /api/v1/scheduler path', path: '/api/v1/scheduler' },
]) {
  test(`307 from a non-leading master naming ${form.name}: SUBSCRIBE and calls go to the leader there`, async () => {
    const leader = await startMaster();
    const follower = await startMaster();
    follower.mode = { kind: 'redirect', location: `//127.0.0.1:${leader.port}${form.path}` };
    const client = newClient({ masters: [follower.url] });
    const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
    assert.equal((await nextEvent(it)).type, 'SUBSCRIBED');
    assert.equal(client.leaderUrl, leader.url);
    await client.revive();
    assert.deepEqual(follower.requests.map((r) => r.callType), ['SUBSCRIBE']);
    assert.deepEqual(leader.requests.map((r) => r.callType), ['SUBSCRIBE', 'REVIVE']);
    // The redirected SUBSCRIBE kept its method and body and went to the path the Location named.
    assert.equal(leader.requests[0]?.method, 'POST');
    assert.equal(leader.requests[0]?.path, form.path);
    assert.equal(leader.requests[0]?.bodyText, follower.requests[0]?.bodyText);
    await it.return?.();
  });
}

test('Location forms resolve to the scheduler endpoint with the current scheme', () => {
  assert.equal(resolveLocation('//m2.example:5050/api/v1/scheduler', 'https://m1:5050/api/v1/scheduler'), 'https://m2.example:5050/api/v1/scheduler');
  assert.equal(
    resolveLocation('//127.0.0.1:25060/master/api/v1/scheduler?conformance=1', 'http://127.0.0.1:25061/api/v1/scheduler?conformance=1'),
    'http://127.0.0.1:25060/master/api/v1/scheduler?conformance=1',
    'the recorded form keeps its path and query',
  );
  assert.equal(resolveLocation('//127.0.0.1:25050', 'http://m1:5050/api/v1/scheduler'), 'http://127.0.0.1:25050/api/v1/scheduler');
  assert.equal(resolveLocation('//127.0.0.1:25050', 'http://m1:5050/api/v1', '/api/v1'), 'http://127.0.0.1:25050/api/v1', 'a pathless Location lands on the given endpoint');
  assert.equal(resolveLocation('masterhost2:5050', 'http://m1:5050/api/v1/scheduler'), 'http://masterhost2:5050/api/v1/scheduler');
  assert.equal(resolveLocation('http://m3:5050/api/v1/scheduler', 'https://m1:5050/api/v1/scheduler'), 'http://m3:5050/api/v1/scheduler');
  assert.equal(resolveLocation('', 'http://m1:5050/'), undefined);
});

test('503 "No leader elected" is retried with backoff, then succeeds; NoLeaderError when it persists', async () => {
  const master = await startMaster();
  master.respondNext(undefined, { status: 503, body: 'No leader elected' });
  master.respondNext(undefined, { status: 503, body: 'Master has not finished recovery' });
  const logger = createMemoryLogger();
  const client = newClient({ masters: [master.url], logger });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  assert.equal((await nextEvent(it)).type, 'SUBSCRIBED');
  assert.equal(master.calls('SUBSCRIBE').length, 3);
  assert.equal(logger.records.filter((r) => /no leading master/.test(r.msg)).length, 2);
  await it.return?.();

  const lost = await startMaster();
  lost.mode = { kind: 'unavailable', body: 'No leader elected' };
  const c2 = newClient({ masters: [lost.url], noLeaderRetry: { initialMs: 5, maxMs: 20, maxAttempts: 3 } });
  await assert.rejects(c2.subscribe(frameworkInfo)[Symbol.asyncIterator]().next(), (e: unknown) => e instanceof NoLeaderError && e.attempts === 3 && e.lastBody === 'No leader elected');
  assert.equal(lost.requests.length, 3);
});

test('HTTP errors of calls are typed and carry the master text (recorded answers)', async () => {
  const master = await startMaster();
  const client = newClient({ masters: [master.url] });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await nextEvent(it);

  const badRequest = recordedBody(400, "didn't match the stream ID");
  master.respondNext('REVIVE', { status: 400, body: badRequest });
  await assert.rejects(
    client.revive(),
    (e: unknown) =>
      e instanceof MesosBadRequestError && e.status === 400 && e.body === badRequest && e.callType === 'REVIVE' && e.streamIdMismatch && e.url === `${master.url}/api/v1/scheduler`,
  );

  const notFound = recordedBody(400, 'Framework cannot be found');
  master.respondNext('DECLINE', { status: 400, body: notFound });
  await assert.rejects(client.decline(['o']), (e: unknown) => e instanceof MesosBadRequestError && e.frameworkNotFound && e.callType === 'DECLINE');

  const forbidden = recordedBody(403, 'Framework is not subscribed');
  master.respondNext('KILL', { status: 403, body: forbidden });
  await assert.rejects(client.kill('t'), (e: unknown) => e instanceof MesosForbiddenError && e.resubscribeNeeded && e.body === 'Framework is not subscribed');

  const unsupported = recordedBody(415, 'Content-Type');
  master.respondNext('SUPPRESS', { status: 415, body: unsupported });
  await assert.rejects(client.suppress(), (e: unknown) => e instanceof MesosUnsupportedMediaTypeError && e.status === 415 && e.body === unsupported);

  master.respondNext('REVIVE', { status: 401, body: '401 Unauthorized.', headers: [['WWW-Authenticate', 'Basic realm="mesos-master-scheduler"']] });
  await assert.rejects(client.revive(), (e: unknown) => e instanceof MesosUnauthorizedError && e.status === 401 && e.body === '401 Unauthorized.');

  // The real answer of the fake to a stale stream id, not an injected one.
  await assert.rejects(
    client.call({ type: 'REVIVE', framework_id: { value: 'no-such-framework' } }),
    (e: unknown) => e instanceof MesosBadRequestError && e.body === 'Framework cannot be found',
  );
  await it.return?.();
});

test('first event ERROR → SubscribeRefusedError with the master message', async () => {
  const message = recordedRefusal('cannot start with a slash');
  const master = await startMaster({
    onSubscribe: ({ stream }) => {
      stream.writeEvent(JSON.stringify({ type: 'ERROR', error: { message } }));
      stream.end();
    },
  });
  const client = newClient({ masters: [master.url] });
  await assert.rejects(
    (async () => {
      for await (const _ of client.subscribe({ ...frameworkInfo, roles: ['/bad'] })) assert.fail('no event expected');
    })(),
    (e: unknown) => e instanceof SubscribeRefusedError && e.mesosMessage === message && e.message.includes(message),
  );
  assert.equal(client.subscribed, false);
});

test('ERROR after SUBSCRIBED ("Framework failed over") → FrameworkErrorEventError', async () => {
  const master = await startMaster();
  const first = newClient({ masters: [master.url] });
  const it = first.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await nextEvent(it);
  const second = newClient({ masters: [master.url] });
  const it2 = second.subscribe({ ...frameworkInfo, id: { value: master.frameworkId } })[Symbol.asyncIterator]();
  assert.equal((await nextEvent(it2)).type, 'SUBSCRIBED');
  await assert.rejects(
    (async () => {
      for (;;) if ((await it.next()).done) return;
    })(),
    (e: unknown) => e instanceof FrameworkErrorEventError && e.mesosMessage === 'Framework failed over' && e.frameworkId === master.frameworkId,
  );
  await it2.return?.();
});

test('the master ending the stream → StreamClosedError; after our TEARDOWN the iteration ends cleanly', async () => {
  const master = await startMaster();
  const client = newClient({ masters: [master.url] });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await nextEvent(it);
  (await master.waitForStream()).end();
  await assert.rejects(
    (async () => {
      for (;;) if ((await it.next()).done) return;
    })(),
    (e: unknown) => e instanceof StreamClosedError && e.frameworkId === master.frameworkId,
  );

  const events: string[] = [];
  const done = (async () => {
    for await (const ev of client.subscribe({ ...frameworkInfo, id: { value: master.frameworkId } })) {
      events.push(ev.type);
      if (ev.type === 'OFFERS') await client.teardown();
    }
  })();
  await done;
  assert.deepEqual(events, ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS']);
  assert.equal(master.calls('TEARDOWN').length, 1);
});

test('a stream cut mid-record → RecordIOTruncatedError; a dropped connection → StreamConnectionError', async () => {
  const master = await startMaster({
    onSubscribe: ({ stream, master: m }) => {
      m.writeOpening(stream);
      const record = Buffer.from(encodeRecord('{"type":"HEARTBEAT"}'));
      stream.writeChunk(record.subarray(0, 10));
      stream.end();
    },
  });
  const client = newClient({ masters: [master.url] });
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const ev of client.subscribe(frameworkInfo)) seen.push(ev.type);
    })(),
    (e: unknown) => e instanceof RecordIOTruncatedError && e.phase === 'body' && e.missingBytes === 13,
  );
  assert.deepEqual(seen, ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS']);

  const dropping = await startMaster({
    onSubscribe: ({ stream, master: m }) => {
      m.writeOpening(stream);
      stream.writeChunk('20\n{"type":');
      setTimeout(() => stream.destroy(), 50);
    },
  });
  const c2 = newClient({ masters: [dropping.url] });
  await assert.rejects(
    (async () => {
      for await (const _ of c2.subscribe(frameworkInfo)) {
        // drain
      }
    })(),
    (e: unknown) => e instanceof StreamConnectionError && e.frameworkId === dropping.frameworkId,
  );
});

test('a malformed record in the middle is logged with context and skipped; later events arrive', async () => {
  const master = await startMaster({
    heartbeats: false,
    onSubscribe: ({ stream, master: m }) => {
      m.writeOpening(stream);
      stream.writeEvent('{"type":"UPDATE","update":'); // bad JSON
      stream.writeEvent('{"type":"UPDATE","update":{"status":{"state":"TASK_RUNNING","uuid":"aHHL9JO5QKSVKEcazRNthQ=="}}}'); // no task_id
      stream.writeEvent('{"type":"RESCIND","rescind":{"offer_id":{"value":"O1"}}}');
      stream.writeEvent('{"type":"HEARTBEAT"}');
      stream.end();
    },
  });
  const logger = createMemoryLogger();
  const client = newClient({ masters: [master.url], logger });
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const ev of client.subscribe(frameworkInfo)) seen.push(ev.type);
    })(),
    StreamClosedError,
  );
  assert.deepEqual(seen, ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS', 'RESCIND', 'HEARTBEAT']);
  const skipped = logger.records.filter((r) => r.msg === 'skipping malformed event record');
  assert.equal(skipped.length, 2);
  const [bad, invalid] = skipped;
  assert.equal(bad?.level, 'warn');
  assert.equal(bad?.stage, 'json');
  assert.equal(bad?.recordLength, 26);
  assert.equal(bad?.firstBytes, '{"type":"UPDATE","update":');
  assert.equal(typeof bad?.recordOffset, 'number');
  assert.equal(bad?.frameworkId, master.frameworkId);
  assert.equal(invalid?.stage, 'schema');
  assert.deepEqual(invalid?.paths, ['update.status.task_id']);
  assert.match(String(invalid?.error), /update\.status\.task_id/);
  // Offsets are stream offsets: the second bad record starts right after the first (26 bytes + "26\n").
  assert.equal(invalid?.recordOffset, (bad?.recordOffset as number) + 29);
});

test('the first master refuses connections: the next one in the list is used', async () => {
  // Ports that were just free: nothing listens there any more.
  const freePort = async (): Promise<number> => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  };
  const deadPort = await freePort();
  const deadPort2 = await freePort();

  const master = await startMaster();
  const logger = createMemoryLogger();
  const client = newClient({ masters: [`http://127.0.0.1:${deadPort}`, master.url], logger });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  assert.equal((await nextEvent(it)).type, 'SUBSCRIBED');
  assert.equal(client.leaderUrl, master.url);
  assert.ok(logger.records.some((r) => /unreachable/.test(r.msg) && r.url === `http://127.0.0.1:${deadPort}/api/v1/scheduler`));
  await it.return?.();

  const none = newClient({ masters: [`http://127.0.0.1:${deadPort}`, `http://127.0.0.1:${deadPort2}`] });
  await assert.rejects(
    none.subscribe(frameworkInfo)[Symbol.asyncIterator]().next(),
    (e: unknown) => e instanceof MastersUnreachableError && e.errors.length === 2 && e.errors.every((x) => x instanceof MesosConnectionError),
  );
  // A call whose leader went away names that leader.
  const it2 = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await nextEvent(it2);
  await master.stop();
  await assert.rejects(client.revive(), (e: unknown) => e instanceof MesosConnectionError && e.url === `${master.url}/api/v1/scheduler`);
  await it2.return?.().catch(() => undefined);
});

test('aborting the signal ends the iteration without error and closes the connection', async () => {
  const master = await startMaster();
  const client = newClient({ masters: [master.url] });
  const ac = new AbortController();
  const seen: string[] = [];
  for await (const ev of client.subscribe(frameworkInfo, { signal: ac.signal })) {
    seen.push(ev.type);
    if (ev.type === 'OFFERS') setTimeout(() => ac.abort(), 20);
  }
  assert.deepEqual(seen, ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS']);
  const stream = await master.waitForStream();
  await stream.closed;
  assert.equal(stream.isClosed, true);
  assert.equal(client.subscribed, false);

  // A call's own signal aborts it.
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await nextEvent(it);
  const callAbort = new AbortController();
  callAbort.abort();
  await assert.rejects(client.revive(undefined, { signal: callAbort.signal }), (e: unknown) => e instanceof Error && e.name === 'AbortError');
  await it.return?.();
});

test('events are parsed losslessly: 64-bit nanoseconds stay exact (bigint)', async () => {
  const master = await startMaster({
    heartbeats: false,
    onSubscribe: ({ stream, master: m }) => {
      m.writeOpening(stream);
      stream.writeEvent(
        '{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_UNREACHABLE","source":"SOURCE_MASTER","reason":"REASON_RECONCILIATION","timestamp":1795532473.685204,"unreachable_time":{"nanoseconds":1795532473685203968}}}}',
      );
    },
  });
  const client = newClient({ masters: [master.url] });
  for await (const ev of client.subscribe(frameworkInfo)) {
    if (!isKnownEvent(ev) || ev.type !== 'UPDATE') continue;
    assert.equal(ev.update.status.unreachable_time?.nanoseconds, 1795532473685203968n);
    assert.equal(ev.update.status.timestamp, 1795532473.685204);
    break;
  }
});

test('an invalid call fails locally with the field path and sends nothing', async () => {
  const master = await startMaster();
  const client = newClient({ masters: [master.url] });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  await nextEvent(it);
  const before = master.requests.length;
  const status: TaskStatus = { task_id: { value: 't' }, state: 'TASK_RUNNING', agent_id: { value: 'a' }, uuid: 'bm90LWEtdXVpZA==' };
  await assert.rejects(client.acknowledge(status), (e: unknown) => e instanceof InvalidCallError && e.callType === 'ACKNOWLEDGE' && /acknowledge\.uuid/.test(e.message));
  assert.equal(master.requests.length, before);
  await it.return?.();
});

test('TLS with a custom CA; an untrusted certificate fails the connection', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mesoflow-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const leader = await startMaster({ tls: { key, cert } });
  const follower = await startMaster({ tls: { key, cert } });
  follower.mode = { kind: 'redirect', location: `//127.0.0.1:${leader.port}/master/api/v1/scheduler` };

  const client = newClient({ masters: [follower.url], tls: { ca: cert } });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  assert.equal((await nextEvent(it)).type, 'SUBSCRIBED');
  // The protocol-relative Location kept https.
  assert.equal(client.leaderUrl, `https://127.0.0.1:${leader.port}`);
  await client.revive();
  assert.deepEqual(leader.requests.map((r) => r.callType), ['SUBSCRIBE', 'REVIVE']);
  await it.return?.();

  const untrusting = newClient({ masters: [leader.url] });
  await assert.rejects(
    untrusting.subscribe(frameworkInfo)[Symbol.asyncIterator]().next(),
    (e: unknown) => e instanceof MastersUnreachableError && /certificate/i.test(e.message),
  );
});

test('options are validated once, with the offending field named', () => {
  assert.throws(() => new SchedulerClient({ masters: [] }), (e: unknown) => e instanceof SchedulerClientConfigError && /masters/.test(e.message));
  assert.throws(() => new SchedulerClient({ masters: ['ftp://x:5050'] }), SchedulerClientConfigError);
  assert.throws(() => new SchedulerClient({ masters: ['http://m:5050'], principal: 'p' }), /principal and secret/);
  const c = new SchedulerClient({ masters: ['http://m1:5050/', 'https://m2:5050/api/v1/scheduler'] });
  clients.push(c);
  assert.deepEqual(c.config.masters, ['http://m1:5050', 'https://m2:5050']);
  assert.equal(c.config.requestTimeoutMs, 75_000);
  assert.equal(c.config.heartbeatMissLimit, 5);
  assert.deepEqual(c.config.noLeaderRetry, { initialMs: 500, maxMs: 15_000, maxAttempts: 10 });
});

test('a master that accepts but never answers times out and the next master is used', async (t) => {
  // Reads (so it notices the client hanging up) but never answers.
  const hanging = createServer((socket) => socket.on('error', () => undefined).resume());
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => hanging.close(() => r())));
  const hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  const master = await startMaster();
  const logger = createMemoryLogger();
  const client = newClient({ masters: [hangingUrl, master.url], requestTimeoutMs: 300, logger });
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  assert.equal((await nextEvent(it)).type, 'SUBSCRIBED');
  assert.equal(client.leaderUrl, master.url);
  const skipped = logger.records.find((r) => /unreachable/.test(r.msg));
  assert.equal(skipped?.url, `${hangingUrl}/api/v1/scheduler`);
  assert.match(String((skipped?.err as Error | undefined)?.name), /HeadersTimeoutError/);
  await it.return?.();
});

test('a record larger than maxRecordBytes ends the stream with RecordTooLargeError', async () => {
  const master = await startMaster();
  const client = newClient({ masters: [master.url], maxRecordBytes: 100 });
  await assert.rejects(
    (async () => {
      for await (const _ of client.subscribe(frameworkInfo)) assert.fail('the 451-byte SUBSCRIBED must not get through');
    })(),
    (e: unknown) => e instanceof RecordTooLargeError && e.declaredBytes === 451 && e.maxRecordBytes === 100,
  );
  const stream = await master.waitForStream();
  await stream.closed;
});

test('one open subscription per client', async () => {
  const master = await startMaster();
  const client = newClient({ masters: [master.url] });
  const idle = client.subscribe(frameworkInfo);
  // Never iterated: replaced without complaint, and iterating it later does nothing.
  const sub = client.subscribe(frameworkInfo);
  const it = sub[Symbol.asyncIterator]();
  await nextEvent(it);
  assert.throws(() => client.subscribe(frameworkInfo), SubscriptionActiveError);
  assert.deepEqual((await idle[Symbol.asyncIterator]().next()).done, true);
  assert.equal(master.calls('SUBSCRIBE').length, 1);
  sub.close();
  assert.equal((await it.next()).done, true);
  const again = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  assert.equal((await nextEvent(again)).type, 'SUBSCRIBED');
  await again.return?.();
});

/** A LeaderDetector the test moves by hand (the ZooKeeper one is tested against a real ZooKeeper in master-zookeeper.test.ts). */
class HandDetector implements LeaderDetector {
  private current: string | undefined;
  private readonly listeners = new Set<(s: LeaderStatus) => void>();
  constructor(leader: string | undefined) {
    this.current = leader;
  }
  status(): LeaderStatus {
    return { leader: this.current, problem: this.current === undefined ? 'nobody registered' : undefined, source: 'zk://hand/mesos' };
  }
  move(leader: string | undefined): void {
    this.current = leader;
    for (const l of this.listeners) l(this.status());
  }
  async leader(options: { timeoutMs?: number } = {}): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 1000);
    while (this.current === undefined) {
      if (Date.now() > deadline) throw new LeaderUnknownError('zk://hand/mesos', 'nobody registered');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.current;
  }
  onChange(listener: (s: LeaderStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async close(): Promise<void> {}
}

test('zk:// masters: SUBSCRIBE goes to the detected leader; a new leader closes the stream and the next SUBSCRIBE (same framework id) goes there', async () => {
  const a = await startMaster();
  const b = await startMaster();
  const detector = new HandDetector(a.url);
  const client = newClient({ masters: ['zk://127.0.0.1:2181/mesos'], leaderDetector: detector });
  assert.equal(client.config.zk?.path, '/mesos');
  const it = client.subscribe(frameworkInfo)[Symbol.asyncIterator]();
  assert.equal((await nextEvent(it)).type, 'SUBSCRIBED');
  assert.equal(client.leaderUrl, a.url);
  const id = client.frameworkId as string;
  // The old leader still streams (heartbeats); the detector's word is what moves the client.
  detector.move(b.url);
  for (;;) {
    const r = await it.next();
    if (r.done) break;
  }
  assert.equal(client.subscribed, false);
  const again = client.subscribe({ ...frameworkInfo, id: { value: id } })[Symbol.asyncIterator]();
  assert.equal((await nextEvent(again)).type, 'SUBSCRIBED');
  assert.equal(client.leaderUrl, b.url);
  assert.equal(b.requests[0]?.callType, 'SUBSCRIBE');
  assert.equal((b.requests[0]?.json as { framework_id?: { value: string } }).framework_id?.value, id);
  assert.deepEqual(a.requests.map((r) => r.callType), ['SUBSCRIBE']);
  // Losing the leader (none known) leaves a working stream alone.
  detector.move(undefined);
  await client.revive();
  assert.deepEqual(b.requests.map((r) => r.callType), ['SUBSCRIBE', 'REVIVE']);
  assert.equal(client.subscribed, true);
  await again.return?.();
});

test('zk:// masters with no leader known: SUBSCRIBE fails after leaderWaitMs with the detector\'s reason', async () => {
  const client = newClient({ masters: ['zk://127.0.0.1:2181/mesos'], leaderDetector: new HandDetector(undefined), leaderWaitMs: 200 });
  await assert.rejects(client.subscribe(frameworkInfo)[Symbol.asyncIterator]().next(), (e: unknown) => e instanceof LeaderUnknownError && /nobody registered/.test(e.message));
});
