// The devcluster's masters in a real ZooKeeper (`--zk`), against what two
// real Mesos 1.12 masters wrote (mesos-transcripts/14), and mesoflow's
// leader detector following them: leadership moves, nobody leads, the
// registration's session expires, ZooKeeper unreachable, a path with no master;
// and `mesoflow devcluster --zk`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { keepSubscribed } from '../../../activities/session/subscription-loop.js';
import { createMemoryLogger } from '../../../common/logger.js';
import { startDevCluster, type DevCluster } from '../../../devcluster/index.js';
import { SchedulerClient } from '../../../mesos/client/index.js';
import { masterInfoJson } from '../../../devcluster/master/zk-registration.js';
import { LeaderUnknownError } from '../../../mesos/leader/detector.js';
import { parseMember } from '../../../mesos/leader/leader-choice.js';
import { ZkLeaderDetector } from '../../../mesos/leader/zk-detector.js';
import { ZkSession } from '../../../mesos/leader/zk-session.js';
import { parseMesosMaster, type ZkMasterSpec } from '../../../mesos/master-address.js';
import { freePort, type ZooKeeperServer } from '../../../stack/zookeeper.js';
import { readTranscript } from '../../support/fixtures.js';
import { spawnUntil } from '../../support/processes.js';
import { until } from '../../support/wait.js';
import { startTcpProxy, useZooKeeper } from '../../support/zookeeper.js';

interface Transcript14 {
  zookeeper: { data: Record<string, Record<string, unknown>> };
}

let zk: ZooKeeperServer;
let reader: ZkSession;
const closers: Array<() => Promise<void> | void> = [];

const zkSpec = (path: string): ZkMasterSpec => parseMesosMaster(`zk://${zk.connectString}${path}`) as ZkMasterSpec;

function detector(path: string): ZkLeaderDetector {
  const d = new ZkLeaderDetector({ spec: zkSpec(path), sessionTimeoutMs: 4000, connectTimeoutMs: 1000 });
  closers.push(() => d.close());
  return d;
}

async function entries(path: string): Promise<Array<{ name: string; sequence: bigint; text: string }>> {
  const children = await reader.getChildren(path);
  const out = await Promise.all(children.map(async (name) => ({ name, sequence: parseMember(name)?.sequence ?? -1n, text: (await reader.getData(`${path}/${name}`)).toString('utf8') })));
  return out.sort((a, b) => (a.sequence < b.sequence ? -1 : 1));
}

/** Recursive key structure of a JSON value (keys in order), to compare shapes. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}

before(async () => {
  zk = await useZooKeeper();
  reader = new ZkSession({ connectString: zk.connectString, sessionTimeoutMs: 4000 });
  await new Promise<void>((resolve) => {
    reader.once('connected', () => resolve());
    reader.connect();
  });
});
after(async () => {
  for (const c of closers.reverse()) await c();
  reader?.close();
  await zk?.stop({ removeData: true });
});

test('masters register as Mesos 1.12 masters do; the detector follows every leadership change', async () => {
  // The masters reach ZooKeeper through a proxy the test can partition.
  const proxy = await startTcpProxy(zk.port);
  closers.push(() => proxy.close());
  const dc: DevCluster = await startDevCluster({ agents: 0, followers: 1, zk: `zk://127.0.0.1:${proxy.port}/mesos`, zkSessionTimeoutMs: 4000 });
  closers.push(() => dc.stop());
  const [url0, url1] = dc.masterUrls as [string, string];
  const recorded = readTranscript<Transcript14>('14-zookeeper-leader.json').zookeeper.data;
  const recordedLeader = recorded['json.info_0000000000'] as Record<string, unknown>;

  const first = await entries('/mesos');
  assert.equal(first.length, 2);
  for (const e of first) assert.match(e.name, /^json\.info_\d{10}$/);
  const leaderInfo = JSON.parse((first[0] as { text: string }).text) as Record<string, unknown>;
  // Same fields, same key order, same types as the recording; the leader's own id and address.
  assert.deepEqual(shape(leaderInfo), shape(recordedLeader));
  assert.equal((first[0] as { text: string }).text, masterInfoJson(leaderInfo));
  assert.equal(leaderInfo.id, dc.masterId);
  assert.equal(leaderInfo.ip, recordedLeader.ip, '127.0.0.1 packed as Mesos packs it');
  assert.deepEqual(leaderInfo.address, { hostname: '127.0.0.1', ip: '127.0.0.1', port: Number(new URL(url0).port) });
  assert.equal(leaderInfo.pid, `master@127.0.0.1:${new URL(url0).port}`);
  assert.equal(JSON.parse((first[1] as { text: string }).text).port, Number(new URL(url1).port));

  const d = detector('/mesos');
  assert.equal(await d.leader({ timeoutMs: 10_000 }), url0);
  const changes: Array<string | undefined> = [];
  d.onChange((s) => changes.push(s.leader));

  // Leadership moves to master 1: the old leader comes back behind it, with a new id.
  await dc.faults.failover(1);
  await until(() => d.status().leader === url1, 'the detector to follow the failover to master 1', 20_000);
  const moved = await entries('/mesos');
  assert.equal(moved.length, 2);
  assert.equal(JSON.parse((moved[0] as { text: string }).text).id, dc.masterId);
  assert.ok((moved[1] as { sequence: bigint }).sequence > (first[1] as { sequence: bigint }).sequence, 'the old leader re-registered with a higher sequence');
  assert.notEqual(JSON.parse((moved[1] as { text: string }).text).id, leaderInfo.id);

  // Restarted in place: a new MasterInfo id, still the oldest member.
  await dc.faults.failover(1);
  await until(async () => JSON.parse((await entries('/mesos'))[0]?.text ?? '{}').id === dc.masterId, 'the restarted leader\'s new id in ZooKeeper', 20_000);
  assert.equal(d.status().leader, url1);

  // Nobody leads: no member; the detector says so.
  await dc.faults.failover(null);
  await until(() => d.status().leader === undefined, 'no leader', 20_000);
  assert.match(d.status().problem ?? '', /no Mesos master registered under \/mesos/);
  await assert.rejects(d.leader({ timeoutMs: 300 }), (e: unknown) => e instanceof LeaderUnknownError && /no Mesos master registered/.test(e.message));

  await dc.faults.failover(0);
  await until(() => d.status().leader === url0, 'master 0 leading again', 20_000);
  assert.deepEqual(changes, [url1, undefined, url0]);

  // The registration's session expires (the masters cut off from ZooKeeper past the session timeout): its entries go, and come back
  // with the same leader once ZooKeeper is reachable again.
  const before = (await entries('/mesos')).map((e) => e.name);
  proxy.partition();
  await until(async () => ((await entries('/mesos')).length === 0 ? true : undefined), 'ZooKeeper to expire the registration session', 30_000);
  await until(() => d.status().leader === undefined, 'the detector to see no master', 20_000);
  proxy.heal();
  await until(async () => {
    const now = await entries('/mesos');
    return now.length === 2 && now.every((e) => !before.includes(e.name)) ? now : undefined;
  }, 'the masters registered again under a new session', 30_000);
  assert.equal(JSON.parse((await entries('/mesos'))[0]?.text ?? '{}').id, dc.masterId);
  await until(() => d.status().leader === url0 && d.status().problem === undefined, 'master 0 still leading', 20_000);
});

test('ZooKeeper unreachable and a path without masters are clear problems, never a crash; the detector picks the masters up once they register', async () => {
  const deadPort = await freePort();
  const unreachable = new ZkLeaderDetector({ spec: parseMesosMaster(`zk://127.0.0.1:${deadPort}/mesos`) as ZkMasterSpec, connectTimeoutMs: 500 });
  closers.push(() => unreachable.close());
  await until(() => /ZooKeeper unreachable: 127\.0\.0\.1:\d+ ECONNREFUSED/.test(unreachable.status().problem ?? ''), 'the unreachable problem', 20_000);
  await assert.rejects(unreachable.leader({ timeoutMs: 200 }), (e: unknown) => e instanceof LeaderUnknownError && /ECONNREFUSED/.test(e.message));

  const d = detector('/elsewhere/mesos');
  await until(() => /\/elsewhere\/mesos does not exist/.test(d.status().problem ?? ''), 'the missing-path problem', 20_000);
  const dc = await startDevCluster({ agents: 0, zk: `zk://${zk.connectString}/elsewhere/mesos`, zkSessionTimeoutMs: 4000 });
  closers.push(() => dc.stop());
  await until(() => d.status().leader === dc.masterUrl, 'the detector to see the new master', 20_000);
  assert.equal(d.status().problem, undefined);
});

test('`mesoflow devcluster --zk`: the masters register while it runs and their entries go when it stops', async (t) => {
  const cmd = await spawnUntil(
    ['cli/bin.js', 'devcluster', '--port', '0', '--agents', '0', '--followers', '1', '--zk', `zk://${zk.connectString}/cli/mesos`],
    {},
    /masters registered in ZooKeeper at (\S+)/,
    { timeoutMs: 60_000 },
  );
  t.after(() => {
    if (cmd.child.exitCode === null) cmd.child.kill('SIGKILL');
  });
  const leaderUrl = /Mesos master \(devcluster\) at (http:\/\/\S+)/.exec(cmd.output())?.[1];
  assert.ok(leaderUrl, cmd.output());
  const registered = await entries('/cli/mesos');
  assert.equal(registered.length, 2);
  assert.equal(`http://127.0.0.1:${JSON.parse((registered[0] as { text: string }).text).port}`, leaderUrl);
  cmd.child.kill('SIGTERM');
  assert.equal(await cmd.exited, 0);
  // Closing the session removes the ephemeral entries at once (no wait for a session timeout).
  assert.deepEqual(await reader.getChildren('/cli/mesos'), []);
});

test('a session given an unreachable ZooKeeper retries with backoff and says why, logging the detector error once (no crash loop)', async () => {
  const logger = createMemoryLogger();
  const client = new SchedulerClient({ masters: [`zk://127.0.0.1:${await freePort()}/mesos`], leaderWaitMs: 300, logger });
  const abort = new AbortController();
  const loop = keepSubscribed({
    client,
    principal: undefined,
    signal: abort.signal,
    log: logger,
    frameworkInfo: () => ({ user: 'root', name: 'zk-unreachable', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }] }),
    frameworkId: () => undefined,
    forgetFrameworkId: () => undefined,
    onEvent: () => assert.fail('no event without a master'),
    onDisconnected: () => undefined,
  });
  const retries = () => logger.records.filter((r) => r.msg === 'subscription failed; re-subscribing');
  // The detector reports ZooKeeper unreachable after its connect timeout (5 s); attempts before that say it is connecting.
  await until(() => retries().length >= 3 && /ECONNREFUSED/.test((retries().at(-1)?.err as Error | undefined)?.message ?? ''), 'failed SUBSCRIBE attempts naming ECONNREFUSED', 30_000);
  abort.abort();
  await loop;
  await client.close();
  for (const r of retries()) {
    assert.ok((r.err as Error) instanceof LeaderUnknownError, String(r.err));
    assert.match((r.err as Error).message, /no leading Mesos master known from zk:\/\/127\.0\.0\.1:\d+\/mesos: (connecting to ZooKeeper|ZooKeeper unreachable: 127\.0\.0\.1:\d+ ECONNREFUSED)/);
  }
  assert.match((retries().at(-1)?.err as Error).message, /ECONNREFUSED/);
  const detectorErrors = logger.records.filter((r) => r.level === 'error' && r.msg === 'cannot tell the leading Mesos master');
  assert.equal(detectorErrors.length, 1, JSON.stringify(detectorErrors));
  assert.match(String(detectorErrors[0]?.problem), /ZooKeeper unreachable/);
});
