// Optional HTTP framework authentication (spec §2, §3 row 0): 401 before any
// other check, the principal filled into FrameworkInfo, mismatches refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DevCluster } from '../../../devcluster/index.js';
import { EventStreamReader, JSON_HEADERS, cluster, frameworkInfo, http } from './master-support.js';

const basic = (p: string, s: string) => `Basic ${Buffer.from(`${p}:${s}`).toString('base64')}`;

describe('devcluster master: HTTP framework authentication', () => {
  let dc: DevCluster;
  before(async () => {
    dc = await cluster({ followers: 1, credentials: [{ principal: 'mesoflow', secret: 's3cret' }, { principal: 'ops', secret: 'pw' }] });
  });
  after(async () => {
    await dc.stop();
  });

  it('answers 401 with a Basic challenge before the leader check, the method check and everything else', async () => {
    for (const base of dc.masterUrls) {
      for (const auth of [undefined, basic('mesoflow', 'wrong')]) {
        const r = await http(`${base}/api/v1/scheduler`, { method: 'GET', headers: auth === undefined ? {} : { Authorization: auth } });
        assert.equal(r.status, 401);
        assert.equal(r.body, '401 Unauthorized.');
        assert.equal(r.headers['www-authenticate'], 'Basic realm="mesos-master-scheduler"');
      }
    }
  });

  it('fills the principal in and refuses a different one', async () => {
    const auth = { ...JSON_HEADERS, Authorization: basic('mesoflow', 's3cret') };
    const s = new EventStreamReader(dc.masterUrl, { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo('auth') } }, auth);
    await s.opened;
    assert.equal(s.status, 200);
    const subscribed = await s.next();
    assert.equal(subscribed.type, 'SUBSCRIBED');
    const state = JSON.parse((await http(`${dc.masterUrl}/master/frameworks`, { method: 'GET' })).body) as { frameworks: Array<{ principal?: string }> };
    assert.equal(state.frameworks[0]?.principal, 'mesoflow');
    // Another principal calling for this framework (row 12).
    const fid = ((subscribed.subscribed as Record<string, unknown>).framework_id as { value: string }).value;
    const foreign = await http(`${dc.masterUrl}/api/v1/scheduler`, {
      headers: { ...JSON_HEADERS, Authorization: basic('ops', 'pw'), 'Mesos-Stream-Id': s.streamId },
      body: JSON.stringify({ type: 'REVIVE', framework_id: { value: fid } }),
    });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body, "Authenticated principal 'ops' does not match principal 'mesoflow' set in `FrameworkInfo`");
    s.close();
    const other = await http(`${dc.masterUrl}/api/v1/scheduler`, { headers: auth, body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo('auth', { principal: 'other' }) } }) });
    assert.equal(other.status, 400);
    assert.equal(other.body, "Failed to validate scheduler::Call: Authenticated principal 'mesoflow' does not match principal 'other' set in `FrameworkInfo`");
  });
});
