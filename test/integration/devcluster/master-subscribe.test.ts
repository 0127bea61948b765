// SUBSCRIBE: stream headers, first events, heartbeats, the three offer
// resource formats (mesos-transcripts/01), 202 answers, TEARDOWN.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { EventStreamReader, cluster, frameworkInfo, nextOffer, subscribe, transcript } from './master-support.js';

const rec = transcript('01-subscribe.json').exchanges;
type Obj = Record<string, unknown>;

function recordedOffer(index: number): Obj {
  const ev = (rec[index]?.events ?? []).find((e) => e.type === 'OFFERS') as Obj;
  return ((ev.offers as Obj).offers as Obj[])[0] as Obj;
}

describe('devcluster master: SUBSCRIBE', () => {
  let dc: DevCluster;
  before(async () => {
    dc = await cluster({ heartbeatIntervalMs: 200 });
  });
  after(async () => {
    await dc.stop();
  });

  it('answers 200 chunked with a stream id, then SUBSCRIBED (15.0-style doubles), HEARTBEAT and OFFERS', async () => {
    const r = new EventStreamReader(dc.masterUrl, rec[0]?.request.body);
    await r.opened;
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['transfer-encoding'], 'chunked');
    assert.equal(r.headers['content-length'], undefined);
    assert.match(String(r.headers['mesos-stream-id']), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const subscribed = await r.next();
    assert.equal(subscribed.type, 'SUBSCRIBED');
    const body = subscribed.subscribed as Obj;
    const fid = (body.framework_id as { value: string }).value;
    assert.equal(fid, `${dc.masterId}-0000`);
    assert.equal(body.heartbeat_interval_seconds, 0.2);
    const info = body.master_info as Obj;
    const port = Number(new URL(dc.masterUrl).port);
    assert.deepEqual(info, {
      id: dc.masterId,
      ip: 16777343,
      port,
      pid: `master@127.0.0.1:${port}`,
      hostname: '127.0.0.1',
      version: '1.12.0',
      address: { hostname: '127.0.0.1', ip: '127.0.0.1', port },
      capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
    });
    assert.equal((await r.next()).type === 'HEARTBEAT' || r.events[1]?.type === 'OFFERS', true);
    const offers = await r.next((e) => e.type === 'OFFERS');
    const offer = ((offers.offers as Obj).offers as Obj[])[0] as Obj;
    const want = recordedOffer(0);
    const agent = dc.agents[0]?.info;
    assert.ok(agent);
    assert.deepEqual(offer, {
      ...want,
      id: { value: `${dc.masterId}-O0` },
      framework_id: { value: fid },
      agent_id: { value: agent.id },
      url: { scheme: 'http', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port: agent.port }, path: '/slave(1)' },
    });
    // Raw bytes: doubles keep their fraction, as Mesos prints them.
    const rawOffers = r.raw.find((t) => t.startsWith('{"type":"OFFERS"'));
    assert.ok(rawOffers?.includes('"scalar":{"value":2.0}'));
    // Heartbeats keep coming at the configured interval.
    await r.next((e) => e.type === 'HEARTBEAT');
    await r.next((e) => e.type === 'HEARTBEAT');
    await r.next((e) => e.type === 'HEARTBEAT');
    r.close();
  });

  it('formats offered resources by capabilities: none → role only; MULTI_ROLE+RESERVATION_REFINEMENT → allocation_info only', async () => {
    for (const index of [3, 5]) {
      const body = rec[index]?.request.body as Obj;
      const info = (body.subscribe as Obj).framework_info as Obj;
      const s = await subscribe(dc.masterUrl, { ...info, name: `${String(info.name)}-dc` });
      const offer = await nextOffer(s);
      const want = recordedOffer(index);
      assert.deepEqual(offer.resources, want.resources);
      assert.equal('allocation_info' in offer, 'allocation_info' in want);
      const teardown = await s.call({ type: 'TEARDOWN' });
      assert.equal(teardown.status, 202);
      assert.equal(teardown.headers['content-length'], '0');
      assert.equal(teardown.headers['content-type'], undefined);
      await s.stream.waitEnd();
      assert.ok(!s.stream.events.some((e) => e.type === 'ERROR'));
    }
  });

  it('gives every subscription a new stream id and framework ids <master>-NNNN', async () => {
    const a = await subscribe(dc.masterUrl, frameworkInfo('ids-a'));
    const b = await subscribe(dc.masterUrl, frameworkInfo('ids-b'));
    assert.notEqual(a.streamId, b.streamId);
    assert.match(a.frameworkId, new RegExp(`^${dc.masterId}-\\d{4}$`));
    assert.notEqual(a.frameworkId, b.frameworkId);
    a.stream.close();
    b.stream.close();
  });
});
