// The framework session given an offer it cannot read: Mesos offers never
// expire by default, so it must be declined (by id) rather than dropped
// silently, which would hold those resources for good; the other offers of
// the same event must still reach the session. Against the byte-exact fake
// master, which can stream what the devcluster never would.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryLogger } from '../../../common/logger.js';
import { FrameworkSession } from '../../../activities/session/framework-session.js';
import { FakeMaster } from '../../support/fake-master.js';
import { sessionSettings } from '../../../activities/session/session-settings.js';
import { compileWorkerConfig } from '../../../worker/config.js';

const masters: FakeMaster[] = [];
const sessions: FrameworkSession[] = [];
after(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await Promise.all(masters.map((m) => m.stop()));
});

test('a malformed offer is logged with its id and declined; well-formed offers in the same event are kept', async () => {
  const master = await FakeMaster.start({ heartbeatIntervalSeconds: 1 });
  masters.push(master);
  const logger = createMemoryLogger();
  const settings = sessionSettings(
    compileWorkerConfig({ masters: [master.url], heartbeatMissLimit: 3, frameworkUser: 'root', failoverTimeoutSeconds: 600, declineRefuseSeconds: 30, suppressDelayMs: 60_000, batchWindowMs: 50 }),
  );
  const session = new FrameworkSession({
    frameworkName: 'malformed-offers',
    frameworkId: undefined,
    settings: {
      ...settings,
      // Declines of unreadable offers carry their own filter.
      client: { ...settings.client, malformedOfferRefuseSeconds: 7 },
    },
    logger,
    signalJob: async () => 'delivered',
    onFrameworkId: async () => {},
  });
  sessions.push(session);
  const abort = new AbortController();
  after(() => abort.abort());
  void session.run(abort.signal);
  const stream = await master.waitForStream(1);
  await master.waitFor(() => session.stats.subscribes === 1, 'the session to subscribe');
  const fid = stream.frameworkId;
  const good = {
    id: { value: 'M-O900' },
    framework_id: { value: fid },
    agent_id: { value: 'M-S0' },
    hostname: 'h1',
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1.0 }, role: '*' }],
  };
  const bad = { ...good, id: { value: 'M-O901' }, resources: [{ name: 'cpus', type: 'FOO', role: '*' }] };
  const offersBefore = session.stats.offers;
  stream.writeEvent({ type: 'OFFERS', offers: { offers: [good, bad] } });

  const declinedIds = () =>
    master
      .calls('DECLINE')
      .flatMap((r) => ((r.json as { decline?: { offer_ids?: Array<{ value: string }> } }).decline?.offer_ids ?? []).map((o) => o.value));
  await master.waitFor(() => declinedIds().includes('M-O901'), 'a DECLINE of the malformed offer');
  const decline = master.calls('DECLINE').find((r) => JSON.stringify(r.json).includes('M-O901'));
  assert.deepEqual((decline?.json as { decline: { filters: unknown } }).decline.filters, { refuse_seconds: 7 });
  // The good offer of the same event reached the session (held for waiting jobs, none yet).
  await master.waitFor(() => session.stats.offers - offersBefore === 1, 'the well-formed offer to reach the session');
  assert.ok(!JSON.stringify(decline?.json).includes('M-O900'), 'the good offer is not declined with the malformed one');
  const warned = logger.records.find((r) => r.msg === 'malformed offer in an OFFERS event; declining it');
  assert.equal(warned?.offerId, 'M-O901');
  assert.deepEqual(warned?.paths, ['resources[0].type'], 'the schema problem is logged with its path');
});
