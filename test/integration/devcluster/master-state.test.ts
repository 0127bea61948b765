// /master/state and the operator API against mesos-transcripts/12: the same
// keys in the same places (values differ: ids, times, ports).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { parseMesosJson } from '../../../mesos/json.js';
import { ack, cluster, frameworkInfo, http, launch, nextOffer, nextUpdate, subscribe, task, transcript, type Subscription } from './master-support.js';

type Obj = Record<string, unknown>;
const rec = transcript('12-operator-and-state.json').exchanges;
const recorded = (i: number) => rec[i]?.response.body as Obj;
const keys = (o: unknown) => Object.keys(o as Obj);
const op = (url: string, body: unknown, accept = 'application/json') =>
  http(`${url}/api/v1`, { headers: { 'Content-Type': 'application/json', Accept: accept }, body: JSON.stringify(body) });

describe('devcluster master: state endpoints and operator API', () => {
  let dc: DevCluster;
  let s: Subscription;
  before(async () => {
    dc = await cluster({ allocationIntervalMs: 100 });
    s = await subscribe(dc.masterUrl, frameworkInfo('state', { failover_timeout: 60 }));
    const offer = await nextOffer(s);
    await s.call(launch([offer.id.value], [task('st-sleep', offer.agent_id.value, 'sleep 60', { labels: { labels: [{ key: 'purpose', value: 'transcript' }] } })], { refuse_seconds: 30 }));
    await ack(s, await nextUpdate(s, 'st-sleep', 'TASK_STARTING'));
    await ack(s, await nextUpdate(s, 'st-sleep', 'TASK_RUNNING'));
  });
  after(async () => {
    await s.call({ type: 'TEARDOWN' });
    await dc.stop();
  });

  it('/master/state has the v0 shape: slaves, frameworks with tasks, resource maps', async () => {
    const r = await http(`${dc.masterUrl}/master/state`, { method: 'GET' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    const got = parseMesosJson(r.body) as Obj;
    const want = recorded(4);
    for (const k of keys(want).filter((k) => k !== 'flags')) assert.ok(k in got, `missing ${k}`);
    const slave = (got.slaves as Obj[])[0] as Obj;
    // The recorded agent had re-registered once (reregistered_time); ours registered once.
    assert.deepEqual(keys(slave), keys((want.slaves as Obj[])[0]).filter((k) => k !== 'reregistered_time'));
    assert.deepEqual(slave.resources, { disk: 1024, mem: 1024, gpus: 0, cpus: 2, ports: '[31000-32000]' });
    assert.deepEqual(slave.used_resources, { disk: 0, mem: 32, gpus: 0, cpus: 0.1 });
    const fw = (got.frameworks as Obj[])[0] as Obj;
    const wantFw = (want.frameworks as Obj[])[0] as Obj;
    assert.deepEqual(keys(fw), keys(wantFw));
    const t = (fw.tasks as Obj[])[0] as Obj;
    const wantTask = (wantFw.tasks as Obj[])[0] as Obj;
    assert.deepEqual(keys(t), keys(wantTask));
    assert.equal(t.executor_id, '');
    assert.equal(t.state, 'TASK_RUNNING');
    assert.deepEqual(t.labels, [{ key: 'purpose', value: 'transcript' }]);
    assert.deepEqual((t.statuses as Obj[]).map((x) => keys(x)), (wantTask.statuses as Obj[]).map((x) => keys(x)));
    assert.ok(r.body.includes('"failover_timeout":60.0'));
  });

  it('serves /health, /version, /master/tasks, /master/frameworks, /master/state-summary', async () => {
    const health = await http(`${dc.masterUrl}/health`, { method: 'GET' });
    assert.equal(health.status, 200);
    assert.equal(health.body, '');
    const version = parseMesosJson((await http(`${dc.masterUrl}/version`, { method: 'GET' })).body) as Obj;
    assert.deepEqual(keys(version), keys(recorded(9)));
    assert.equal(version.version, '1.12.0');
    const tasks = parseMesosJson((await http(`${dc.masterUrl}/master/tasks?framework_id=${s.frameworkId}`, { method: 'GET' })).body) as { tasks: Obj[] };
    assert.equal(tasks.tasks.length, 1);
    const frameworks = parseMesosJson((await http(`${dc.masterUrl}/master/frameworks?framework_id=${s.frameworkId}`, { method: 'GET' })).body) as { frameworks: Obj[] };
    assert.equal(frameworks.frameworks.length, 1);
    const summary = parseMesosJson((await http(`${dc.masterUrl}/master/state-summary`, { method: 'GET' })).body) as Obj;
    assert.deepEqual(keys(summary), keys(recorded(10)));
    assert.equal(((summary.slaves as Obj[])[0] as Obj).TASK_RUNNING, 1);
  });

  it('operator GET_TASKS / GET_FRAMEWORKS / GET_AGENTS / GET_STATE / GET_MASTER / GET_VERSION / GET_HEALTH have the v1 shapes', async () => {
    const get = async (type: string) => {
      const r = await op(dc.masterUrl, { type });
      assert.equal(r.status, 200, `${type}: ${r.body}`);
      assert.equal(r.headers['content-type'], 'application/json');
      return { parsed: parseMesosJson(r.body) as Obj, raw: r.body };
    };
    const tasks = (await get('GET_TASKS')).parsed;
    const wantTasks = recorded(13).get_tasks as Obj;
    const gt = tasks.get_tasks as Obj;
    assert.deepEqual(keys(gt), keys(wantTasks));
    const t = (gt.tasks as Obj[])[0] as Obj;
    assert.deepEqual(keys(t), keys((wantTasks.tasks as Obj[])[0]));
    assert.deepEqual(t.resources, ((wantTasks.tasks as Obj[])[0] as Obj).resources);
    assert.equal(t.status_update_state, 'TASK_RUNNING');

    const { parsed: frameworks, raw: frameworksRaw } = await get('GET_FRAMEWORKS');
    const f = ((frameworks.get_frameworks as Obj).frameworks as Obj[])[0] as Obj;
    const wantF = ((recorded(14).get_frameworks as Obj).frameworks as Obj[])[0] as Obj;
    assert.deepEqual(keys(f), keys(wantF));
    assert.deepEqual(keys(f.framework_info), keys(wantF.framework_info));
    assert.deepEqual(f.allocated_resources, wantF.allocated_resources);
    assert.match(frameworksRaw, /"registered_time":\{"nanoseconds":\d{19}\}/);

    const agents = (await get('GET_AGENTS')).parsed;
    const a = ((agents.get_agents as Obj).agents as Obj[])[0] as Obj;
    const wantA = ((recorded(15).get_agents as Obj).agents as Obj[])[0] as Obj;
    assert.deepEqual(keys(a).filter((k) => k !== 'reregistered_time'), keys(wantA).filter((k) => k !== 'reregistered_time'));
    assert.deepEqual(keys(a.agent_info), keys(wantA.agent_info));
    // Same resources as the recording, in the agent's own order (this devcluster agent was given ports first).
    assert.deepEqual(a.total_resources, [...(wantA.total_resources as Obj[])].sort((x, y) => Number(x.type === 'SCALAR') - Number(y.type === 'SCALAR')));
    assert.deepEqual(a.capabilities, wantA.capabilities);

    const state = (await get('GET_STATE')).parsed;
    assert.deepEqual(keys(state.get_state), keys(recorded(16).get_state));
    const master = (await get('GET_MASTER')).parsed;
    assert.deepEqual(keys(master.get_master), keys(recorded(19).get_master));
    assert.deepEqual(keys((master.get_master as Obj).master_info), keys((recorded(19).get_master as Obj).master_info));
    const version = (await get('GET_VERSION')).parsed;
    assert.deepEqual(keys((version.get_version as Obj).version_info), keys((recorded(17).get_version as Obj).version_info));
    assert.deepEqual((await get('GET_HEALTH')).parsed, recorded(18));
  });

  it('operator API errors match Mesos', async () => {
    for (const i of [20, 21]) {
      const ex = rec[i];
      assert.ok(ex);
      const r = await op(dc.masterUrl, ex.request.body, ex.request.headers.Accept);
      assert.equal(r.status, ex.response.status);
      assert.equal(r.body, ex.response.body);
      assert.equal(r.headers['content-type'], ex.response.headers['content-type']);
    }
  });
});
