// Non-leading masters (spec §14) and fault injection under /__devcluster/:
// dropped streams, agent removal, master failover, added agents, rescinds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { readTranscript } from '../../support/fixtures.js';
import { ack, cluster, frameworkInfo, http, launch, nextOffer, nextUpdate, subscribe, task, call, type Status } from './master-support.js';

type Obj = Record<string, unknown>;
interface Transcript14Answer {
  request: string;
  status: number;
  headers: Record<string, string>;
}
interface Transcript14 {
  non_leader_answers: Transcript14Answer[];
}

const post = (url: string, body: unknown = {}) => http(url, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('devcluster master: followers and fault injection', () => {
  let dc: DevCluster;
  before(async () => {
    dc = await cluster({ allocationIntervalMs: 100, followers: 1 });
  });
  after(async () => {
    await dc.stop();
  });

  it('a follower answers like a real Mesos 1.12 follower: 307 to the leader\'s /master/api/v1/scheduler, query kept (mesos-transcripts/14)', async () => {
    const [leader, follower] = dc.masterUrls as [string, string];
    const leaderPort = new URL(leader).port;
    const recorded = readTranscript<Transcript14>('14-zookeeper-leader.json').non_leader_answers;
    // The recording's leader listened on 25060; ours on an ephemeral port: only the port differs.
    const asRecorded = (location: string) => location.replace(/^\/\/127\.0\.0\.1:25060/, `//127.0.0.1:${leaderPort}`);
    const subscribe = recorded[0] as Transcript14Answer;
    const r = await http(`${follower}/api/v1/scheduler`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'SUBSCRIBE' }) });
    assert.equal(r.status, subscribe.status);
    assert.equal(r.headers.location, asRecorded(subscribe.headers.Location as string));
    assert.equal(r.headers['content-length'], subscribe.headers['Content-Length']);
    assert.equal(r.body, '');
    // "GET /api/v1/scheduler?conformance=1 and POST with a garbage body": the same Location with the query, whatever the method, body or alias.
    const withQuery = (recorded[3] as Transcript14Answer).headers.Location as string;
    for (const path of ['/api/v1/scheduler?conformance=1', '/master/api/v1/scheduler?conformance=1']) {
      for (const method of ['POST', 'GET']) {
        const q = await http(`${follower}${path}`, { method, headers: { 'Content-Type': 'text/plain' }, body: method === 'POST' ? 'garbage' : undefined });
        assert.equal(q.status, 307, `${method} ${path}`);
        assert.equal(q.headers.location, withQuery.replace('<leader>:<port>', `127.0.0.1:${leaderPort}`), `${method} ${path}`);
        assert.equal(q.body, '');
      }
    }
    for (const base of [leader, follower]) {
      for (const path of ['/redirect', '/master/redirect']) {
        const red = await http(`${base}${path}`, { method: 'GET' });
        assert.equal(red.status, 307);
        assert.equal(red.headers.location, `//127.0.0.1:${leaderPort}`);
      }
    }
  });

  it('drops a stream on request: the framework is disconnected', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('drop', { failover_timeout: 60 }));
    const r = await post(`${dc.masterUrl}/__devcluster/frameworks/${s.frameworkId}/disconnect`);
    assert.equal(r.status, 200);
    await s.stream.waitEnd();
    const denied = await call(dc.masterUrl, { type: 'REVIVE', framework_id: { value: s.frameworkId } }, s.streamId);
    assert.equal(denied.status, 403);
    assert.equal((await post(`${dc.masterUrl}/__devcluster/frameworks/no-such/disconnect`)).status, 404);
  });

  it('stalls a stream on request: no more heartbeats while the socket stays open; a re-SUBSCRIBE takes over and closes it', async () => {
    const small = await cluster({ heartbeatIntervalMs: 200 });
    try {
      const info = frameworkInfo('stall', { failover_timeout: 60 });
      const s = await subscribe(small.masterUrl, info);
      await s.stream.next((e) => e.type === 'HEARTBEAT');
      const r = await post(`${small.masterUrl}/__devcluster/frameworks/${s.frameworkId}/stall`);
      assert.equal(r.status, 200);
      // Records already on the wire when the stall began may still arrive: wait (bounded) for a quiet
      // stretch. A stretch counts only once a control framework on the same master heard ten heartbeats
      // in it: positive proof the master kept sending while the stalled stream got nothing.
      const control = await subscribe(small.masterUrl, frameworkInfo('stall-control', { failover_timeout: 60 }));
      const quietBy = Date.now() + 30_000;
      let seen = s.stream.events.length;
      for (let quiet = false; !quiet;) {
        assert.ok(Date.now() < quietBy, `the stalled stream never went quiet: ${s.stream.events.length - seen} more events`);
        for (let i = 0; i < 10; i++) await control.stream.next((e) => e.type === 'HEARTBEAT');
        quiet = s.stream.events.length === seen;
        seen = s.stream.events.length;
      }
      await control.call({ type: 'TEARDOWN' });
      assert.equal(s.stream.ended, false, 'the stalled connection stays open');
      // The master still holds the framework as connected with that stream.
      assert.equal((await s.call({ type: 'REVIVE' })).status, 202);

      const s2 = await subscribe(small.masterUrl, { ...info, id: { value: s.frameworkId } });
      assert.equal(s2.frameworkId, s.frameworkId);
      assert.notEqual(s2.streamId, s.streamId);
      await s.stream.waitEnd();
      // Even the "Framework failed over" ERROR was swallowed by the stall.
      assert.equal(s.stream.events.length, seen);
      assert.ok(!s.stream.events.some((e) => e.type === 'ERROR'));
      await s2.stream.next((e) => e.type === 'HEARTBEAT');
      assert.equal((await s.call({ type: 'REVIVE' })).status, 400, 'the old stream id is no longer valid');
      assert.equal((await s2.call({ type: 'REVIVE' })).status, 202);
      assert.equal((await post(`${small.masterUrl}/__devcluster/frameworks/no-such/stall`)).status, 404);
      await s2.call({ type: 'TEARDOWN' });
    } finally {
      await small.stop();
    }
  });

  it('a stalled stream gets no status updates; the agent retries them and they arrive on the next stream', async () => {
    const small = await cluster({ heartbeatIntervalMs: 200, statusUpdateRetryMs: 200 });
    try {
      const info = frameworkInfo('stall-updates', { failover_timeout: 60 });
      const s = await subscribe(small.masterUrl, info);
      const offer = await nextOffer(s);
      await s.call(launch([offer.id.value], [task('stalled-task', offer.agent_id.value, 'true')], { refuse_seconds: 0 }));
      await ack(s, await nextUpdate(s, 'stalled-task', 'TASK_STARTING'));
      assert.equal(small.faults.stallFramework(s.frameworkId), true);
      // The task finishes while the stream is stalled: the master knows it, the framework hears nothing.
      const master = small.master;
      assert.ok(master);
      const deadline = Date.now() + 15_000;
      const finished = () => {
        const fw = master.findFramework(s.frameworkId);
        return fw?.tasks.get('stalled-task')?.state === 'TASK_FINISHED';
      };
      while (!finished()) {
        assert.ok(Date.now() < deadline, 'the task did not finish');
        await new Promise((res) => setTimeout(res, 50));
      }
      assert.equal(await s.stream.sees((e) => e.type === 'UPDATE' && JSON.stringify(e).includes('TASK_FINISHED'), 1000), false);
      s.stream.close();
      const s2 = await subscribe(small.masterUrl, { ...info, id: { value: s.frameworkId } });
      const running = await nextUpdate(s2, 'stalled-task', 'TASK_RUNNING');
      await ack(s2, running);
      await ack(s2, await nextUpdate(s2, 'stalled-task', 'TASK_FINISHED'));
      await s2.call({ type: 'TEARDOWN' });
    } finally {
      await small.stop();
    }
  });

  it('rescinds an offer, adds an agent that gets offered, removes an agent reporting its tasks lost', async () => {
    for (const partitionAware of [false, true]) {
      const caps = partitionAware ? [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }] : [{ type: 'MULTI_ROLE' }];
      const s = await subscribe(dc.masterUrl, frameworkInfo(`agents-${partitionAware}`, { capabilities: caps }));
      const first = await nextOffer(s);
      assert.equal((await post(`${dc.masterUrl}/__devcluster/offers/${first.id.value}/rescind`)).status, 200);
      assert.deepEqual(await s.stream.next((e) => e.type === 'RESCIND'), { type: 'RESCIND', rescind: { offer_id: first.id } });

      const added = JSON.parse((await post(`${dc.masterUrl}/__devcluster/agents`, { resources: 'cpus:1;mem:256;disk:100;ports:[40000-40010]', attributes: 'rack:r9' })).body) as { id: string; url: string };
      const fromNew = await s.stream.next((e) => e.type === 'OFFERS' && JSON.stringify(e).includes(added.id));
      const newOffer = ((fromNew.offers as Obj).offers as Array<Obj & { id: { value: string } }>).find((o) => (o.agent_id as { value: string }).value === added.id) as Obj & { id: { value: string } };
      assert.deepEqual(newOffer.attributes, [{ name: 'rack', type: 'TEXT', text: { value: 'r9' } }]);
      await s.call(launch([newOffer.id.value], [task(`doomed-${partitionAware}`, added.id, 'sleep 60')], { refuse_seconds: 0 }));
      await ack(s, await nextUpdate(s, `doomed-${partitionAware}`, 'TASK_STARTING'));
      await ack(s, await nextUpdate(s, `doomed-${partitionAware}`, 'TASK_RUNNING'));
      const held = await s.stream.next((e) => e.type === 'OFFERS' && JSON.stringify(e).includes(added.id));
      const heldOffer = ((held.offers as Obj).offers as Array<Obj & { id: { value: string } }>).find((o) => (o.agent_id as { value: string }).value === added.id) as Obj & { id: { value: string } };

      assert.equal((await post(`${dc.masterUrl}/__devcluster/agents/${added.id}/remove`)).status, 200);
      assert.deepEqual(await s.stream.next((e) => e.type === 'RESCIND' && JSON.stringify(e).includes(heldOffer.id.value)), { type: 'RESCIND', rescind: { offer_id: heldOffer.id } });
      const lost = await nextUpdate(s, `doomed-${partitionAware}`);
      assert.equal(lost.state, partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST');
      assert.equal(lost.reason, 'REASON_AGENT_REMOVED');
      assert.equal(lost.source, 'SOURCE_MASTER');
      assert.equal(lost.uuid, undefined);
      assert.deepEqual(await s.stream.next((e) => e.type === 'FAILURE'), { type: 'FAILURE', failure: { agent_id: { value: added.id } } });
      await s.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: `doomed-${partitionAware}` }, agent_id: { value: added.id } }] } });
      const answer = await nextUpdate(s, `doomed-${partitionAware}`);
      assert.equal(answer.state, partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST');
      assert.equal(answer.message, 'Reconciliation: Task is unreachable');
      await s.call({ type: 'TEARDOWN' });
    }
  });

  it('moves leadership: streams end, the old leader redirects, frameworks re-subscribe there and find their running tasks', async () => {
    const agentId = dc.agents[0]?.info.id ?? '';
    const info = frameworkInfo('master-failover', { failover_timeout: 600, capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }] });
    const s = await subscribe(dc.masterUrl, info);
    const offer = await s.stream.next((e) => e.type === 'OFFERS' && JSON.stringify(e).includes(agentId));
    const o = ((offer.offers as Obj).offers as Array<Obj & { id: { value: string } }>)[0] as Obj & { id: { value: string } };
    await s.call(launch([o.id.value], [task('mf-sleep', agentId, 'sleep 60')], { refuse_seconds: 0 }));
    await ack(s, await nextUpdate(s, 'mf-sleep', 'TASK_STARTING'));
    await ack(s, await nextUpdate(s, 'mf-sleep', 'TASK_RUNNING'));
    const oldUrl = dc.masterUrl;
    const oldId = dc.masterId;

    const moved = JSON.parse((await post(`${oldUrl}/__devcluster/leader`, { to: 1 })).body) as { leader: string; masterId: string };
    assert.equal(moved.leader, dc.masterUrls[1]);
    assert.notEqual(moved.masterId, oldId);
    await s.stream.waitEnd();
    const redirected = await call(oldUrl, { type: 'SUBSCRIBE', subscribe: { framework_info: info } });
    assert.equal(redirected.status, 307);
    assert.equal(redirected.headers.location, `//127.0.0.1:${new URL(dc.masterUrl).port}/master/api/v1/scheduler`);

    const s2 = await subscribe(dc.masterUrl, { ...info, id: { value: s.frameworkId } });
    const sub = s2.stream.events[0]?.subscribed as Obj;
    assert.equal((sub.master_info as Obj).id, moved.masterId);
    await s2.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'mf-sleep' }, agent_id: { value: agentId } }] } });
    const st: Status = await nextUpdate(s2, 'mf-sleep');
    assert.equal(st.state, 'TASK_RUNNING');
    await s2.call({ type: 'KILL', kill: { task_id: { value: 'mf-sleep' } } });
    const killed = await nextUpdate(s2, 'mf-sleep', 'TASK_KILLED');
    await ack(s2, killed);

    // No leader at all: 503 everywhere; then a leader again.
    await post(`${oldUrl}/__devcluster/leader`, { to: null });
    for (const base of dc.masterUrls) {
      const r = await call(base, { type: 'SUBSCRIBE', subscribe: { framework_info: info } });
      assert.equal(r.status, 503);
      assert.equal(r.body, 'No leader elected');
    }
    await dc.faults.failover(0);
    assert.equal(dc.masterUrl, oldUrl);
    const s3 = await subscribe(dc.masterUrl, { ...info, id: { value: s.frameworkId } });
    await s3.call({ type: 'TEARDOWN' });

    const stats = JSON.parse((await http(`${dc.masterUrl}/__devcluster/stats`, { method: 'GET' })).body) as { calls: Record<string, number> };
    assert.ok((stats.calls.SUBSCRIBE ?? 0) >= 3);
    assert.ok((stats.calls.ACKNOWLEDGE ?? 0) >= 3);
  });
});
