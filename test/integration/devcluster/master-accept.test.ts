// ACCEPT (spec §8.3): several LAUNCH operations in one call, and the invalid
// ACCEPTs of mesos-transcripts/07 with Mesos's exact texts and update order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { ack, cluster, frameworkInfo, http, launch, nextOffer, nextUpdate, subscribe, task, transcript, type Status, type Subscription } from './master-support.js';

const rec = transcript('07-invalid-accept.json').exchanges;
type Obj = Record<string, unknown>;

/** The master-generated UPDATEs of the recording, by task id. */
function recordedStatus(taskId: string): Obj {
  for (const ex of rec) {
    for (const e of ex.events ?? []) {
      const st = (e.update as { status?: Obj } | undefined)?.status;
      if (e.type === 'UPDATE' && st !== undefined && (st.task_id as { value: string }).value === taskId && st.source === 'SOURCE_MASTER') return st;
    }
  }
  throw new Error(`no recorded master update for ${taskId}`);
}

const RECORDED_AGENT = 'eab525ee-5e1f-45be-bf32-1db6aa37e62d-S0';
const RECORDED_MASTER = '3fd74b6a-b45a-4bd0-a26f-c3966b1a0881';

function expectLike(got: Status, recorded: Obj, subst: (s: string) => string): void {
  const { timestamp: t1, ...g } = got;
  const { timestamp: t2, ...w } = recorded;
  assert.equal(typeof t1, 'number');
  assert.equal(typeof t2, 'number');
  assert.deepEqual(g, JSON.parse(subst(JSON.stringify(w))) as Obj);
}

async function runToFinish(s: Subscription, taskId: string): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const st = await nextUpdate(s, taskId);
    seen.push(st.state);
    assert.equal(st.source, 'SOURCE_EXECUTOR');
    assert.ok(st.uuid);
    await ack(s, st);
    if (st.state === 'TASK_FINISHED' || st.state === 'TASK_FAILED') return seen;
  }
}

describe('devcluster master: ACCEPT', () => {
  let dc: DevCluster;
  before(async () => {
    dc = await cluster({ allocationIntervalMs: 100 });
  });
  after(async () => {
    await dc.stop();
  });

  it('launches every task of an ACCEPT with several LAUNCH operations; the rest comes back as a smaller offer', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('multi-launch'));
    const offer = await nextOffer(s);
    const agent = offer.agent_id.value;
    const ids = ['ml-1', 'ml-2', 'ml-3'];
    const r = await s.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: ids.map((id) => ({ type: 'LAUNCH', launch: { task_infos: [task(id, agent, 'sleep 1')] } })),
        filters: { refuse_seconds: 0 },
      },
    });
    assert.equal(r.status, 202);
    const rest = await nextOffer(s);
    const byName = Object.fromEntries(rest.resources.map((x) => [x.name, x]));
    assert.deepEqual((byName.cpus as Obj).scalar, { value: 1.7 });
    assert.deepEqual((byName.mem as Obj).scalar, { value: 928 });
    const sequences = await Promise.all(ids.map((id) => runToFinish(s, id)));
    for (const seq of sequences) assert.deepEqual(seq, ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);

    // One LAUNCH with three task_infos works the same.
    const offer2 = await nextOffer(s);
    const ids2 = ['ml-4', 'ml-5', 'ml-6'];
    await s.call(launch([offer2.id.value], ids2.map((id) => task(id, agent, 'true')), { refuse_seconds: 0 }));
    for (const seq of await Promise.all(ids2.map((id) => runToFinish(s, id)))) assert.deepEqual(seq, ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);

    const stats = JSON.parse((await http(`${dc.masterUrl}/__devcluster/stats`, { method: 'GET' })).body) as Obj;
    assert.ok((stats.accepts_with_several_launches as number) >= 1);
    assert.ok(((stats.launch_operations_per_accept as Obj)['3'] as number) >= 1);
    await s.call({ type: 'TEARDOWN' });
  });

  it('rejects the invalid ACCEPTs of the recording with the same updates', async () => {
    const s = await subscribe(dc.masterUrl, frameworkInfo('invalid-accept'));
    const held = await nextOffer(s);
    const agent = held.agent_id.value;
    let heldOffer: string | undefined = held.id.value;
    const subst = (text: string) => text.split(RECORDED_AGENT).join(agent).split(RECORDED_MASTER).join(dc.masterId);
    const offerPlaceholder = /3fd74b6a-b45a-4bd0-a26f-c3966b1a0881-O\d+/g;
    /** Replays recorded exchange `index` against a fresh offer; returns the offer id used. */
    const replay = async (index: number, useOffer: boolean): Promise<string> => {
      let offerId = `${dc.masterId}-O999999`;
      if (useOffer) {
        offerId = heldOffer ?? (await nextOffer(s)).id.value;
        heldOffer = undefined;
      }
      const body = JSON.parse(subst(JSON.stringify(rec[index]?.request.body).replace(offerPlaceholder, offerId))) as Obj;
      const r = await http(`${dc.masterUrl}/api/v1/scheduler`, {
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Mesos-Stream-Id': s.streamId },
        body: JSON.stringify({ ...body, framework_id: { value: s.frameworkId } }),
      });
      assert.equal(r.status, 202);
      return offerId;
    };
    const expectRecorded = async (taskId: string, offerId?: string) => {
      const recorded = recordedStatus(taskId);
      const got = await nextUpdate(s, taskId, recorded.state as string);
      assert.equal(got.uuid, undefined);
      expectLike(got, recorded, (t) => subst(offerId === undefined ? t : t.replace(offerPlaceholder, offerId)));
    };

    // (a) unknown offer → TASK_LOST REASON_INVALID_OFFERS.
    const unknown = await replay(1, false);
    await expectRecorded('19d835-07-unknown-offer', unknown);
    // (b) 100 cpus → the "Total resources ..." TASK_ERROR.
    await replay(2, true);
    await expectRecorded('19d835-07-too-many-cpus');
    // (c) duplicate task id in one LAUNCH: the second gets TASK_ERROR before the first starts.
    await replay(3, true);
    const dupError = await nextUpdate(s, '19d835-07-dup', 'TASK_ERROR');
    const dupStarting = await nextUpdate(s, '19d835-07-dup', 'TASK_STARTING');
    assert.ok(s.stream.events.findIndex((e) => (e.update as { status?: Status })?.status === dupError) < s.stream.events.findIndex((e) => (e.update as { status?: Status })?.status === dupStarting));
    expectLike(dupError, recordedStatus('19d835-07-dup'), subst);
    await ack(s, dupStarting);
    await ack(s, await nextUpdate(s, '19d835-07-dup', 'TASK_RUNNING'));
    await ack(s, await nextUpdate(s, '19d835-07-dup', 'TASK_FINISHED'));
    // (d) no command.
    await replay(7, true);
    await expectRecorded('19d835-07-no-command');
    // (e, f, g) no resources, wrong agent, "/" in the id: three LAUNCH operations in one ACCEPT.
    await replay(8, true);
    await expectRecorded('19d835-07-no-resources');
    await expectRecorded('19d835-07-wrong-agent');
    await expectRecorded('19d835-07-bad/id');
    // (h) the same offer twice.
    const dupOffer = await replay(9, true);
    await expectRecorded('19d835-07-dup-offer', dupOffer);
    // (i) an operation id on LAUNCH.
    await replay(10, true);
    await expectRecorded('19d835-07-op-id');
    await s.call({ type: 'TEARDOWN' });

    // (a) from a PARTITION_AWARE framework → TASK_DROPPED.
    const pa = await subscribe(dc.masterUrl, frameworkInfo('invalid-accept-pa', { capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }] }));
    const body = JSON.parse(subst(JSON.stringify(rec[13]?.request.body))) as Obj;
    await pa.call({ ...body, framework_id: { value: pa.frameworkId } });
    const dropped = await nextUpdate(pa, '19d835-07-pa-unknown-offer');
    expectLike(dropped, recordedStatus('19d835-07-pa-unknown-offer'), subst);
    await pa.call({ type: 'TEARDOWN' });
  });
});
