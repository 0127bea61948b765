// Leader choice and MesosMaster parsing, against what two real Mesos 1.12
// masters wrote in ZooKeeper (mesos-transcripts/14).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLeader, ipFromPacked, leaderAddress, LeaderDataError, parseMember } from '../../../mesos/leader/leader-choice.js';
import { describeMesosMasters, MesosMasterSpecError, parseMesosMaster, zkConnectString } from '../../../mesos/master-address.js';
import { readTranscript } from '../../support/fixtures.js';

interface Transcript14 {
  zookeeper: { path: string; children_after_both_started: string[]; data: Record<string, unknown> };
  leader: { observed: string };
  leader_killed: { new_leader: string; children_after: string[]; killed_master_restarted: { children: string[] } };
}

const t14 = readTranscript<Transcript14>('14-zookeeper-leader.json');

test('the recorded masters: the oldest member leads, at the address its MasterInfo JSON gives', () => {
  const member = chooseLeader(t14.zookeeper.children_after_both_started);
  assert.equal(member?.name, 'json.info_0000000000');
  const address = leaderAddress(member!, JSON.stringify(t14.zookeeper.data[member!.name]));
  // "master@127.0.0.1:25060 (json.info_0000000000)" led.
  assert.match(t14.leader.observed, /master@127\.0\.0\.1:25060/);
  assert.equal(address.url, 'http://127.0.0.1:25060');
  assert.equal(address.info?.id, '4f1f3b07-96ea-473f-938a-caef3e423e50');
  // After the leader's node went, the other one leads; a restarted master gets a higher sequence and follows.
  const after = chooseLeader(t14.leader_killed.children_after)!;
  assert.equal(leaderAddress(after, JSON.stringify(t14.zookeeper.data[after.name])).url, 'http://127.0.0.1:25061');
  assert.equal(chooseLeader(t14.leader_killed.killed_master_restarted.children)?.name, 'json.info_0000000001');
});

test('members: label_sequence or a bare sequence; other children are not members; order is numeric, not by label or listing', () => {
  assert.deepEqual(parseMember('json.info_0000000012'), { name: 'json.info_0000000012', label: 'json.info', sequence: 12n });
  assert.deepEqual(parseMember('0000000003'), { name: '0000000003', label: '', sequence: 3n });
  assert.equal(parseMember('log_replicas'), undefined);
  assert.equal(parseMember('json.info_'), undefined);
  assert.equal(chooseLeader(['log_replicas', 'json.info_0000000010', 'info_0000000009', 'json.info_0000000011'])?.name, 'info_0000000009');
  assert.equal(chooseLeader(['json.info_2147483648', 'json.info_0000000100'])?.name, 'json.info_0000000100');
  assert.equal(chooseLeader(['log_replicas']), undefined);
  assert.equal(chooseLeader([]), undefined);
});

test('leader data: address.hostname, else address.ip, else hostname, else the packed ip; UPIDs; unreadable data is a clear error', () => {
  const base = { id: 'm', ip: 16777343, port: 5050 };
  const json = (v: object) => leaderAddress(parseMember('json.info_0000000001')!, JSON.stringify(v));
  assert.equal(json({ ...base, hostname: 'h', address: { hostname: 'm1.example', ip: '10.0.0.1', port: 5051 } }).url, 'http://m1.example:5051');
  assert.equal(json({ ...base, address: { ip: '10.0.0.1', port: 5051 } }).url, 'http://10.0.0.1:5051');
  assert.equal(json({ ...base, hostname: 'm2' }).url, 'http://m2:5050');
  assert.equal(json(base).url, 'http://127.0.0.1:5050');
  assert.equal(ipFromPacked(16777343), '127.0.0.1');
  assert.equal(ipFromPacked(0x0500000a), '10.0.0.5');
  assert.equal(leaderAddress(parseMember('0000000001')!, 'master@10.1.2.3:5050').url, 'http://10.1.2.3:5050');
  assert.equal(leaderAddress(parseMember('json.info_0000000001')!, JSON.stringify(base), 'https').url, 'https://127.0.0.1:5050');
  assert.throws(() => json({ port: 1 }), (e: unknown) => e instanceof LeaderDataError && /json\.info_0000000001/.test(e.message) && /id/.test(e.message));
  assert.throws(() => leaderAddress(parseMember('json.info_0000000001')!, '{'), /not JSON/);
  assert.throws(() => leaderAddress(parseMember('info_0000000001')!, Buffer.from([8, 1])), /protobuf \(Mesos < 0\.24\)/);
});

test('parseMesosMaster: URLs, or one zk:// address with servers, path and credentials; bad input names the problem', () => {
  assert.deepEqual(parseMesosMaster('http://m1:5050, https://m2:5050'), { kind: 'urls', urls: ['http://m1:5050', 'https://m2:5050'] });
  const zk = parseMesosMaster('zk://alice:s3cret@zk1:2181,zk2:2182,[::1]:2183/mesos/prod/');
  assert.equal(zk.kind, 'zk');
  if (zk.kind !== 'zk') return;
  assert.deepEqual(zk.servers, [
    { host: 'zk1', port: 2181 },
    { host: 'zk2', port: 2182 },
    { host: '::1', port: 2183 },
  ]);
  assert.equal(zk.path, '/mesos/prod');
  assert.deepEqual(zk.auth, { user: 'alice', password: 's3cret' });
  assert.equal(zk.display, 'zk://alice:********@zk1:2181,zk2:2182,[::1]:2183/mesos/prod/');
  assert.equal(zkConnectString(zk), 'zk1:2181,zk2:2182,[::1]:2183');
  assert.deepEqual(parseMesosMaster('zk://127.0.0.1:2181/mesos'), { kind: 'zk', servers: [{ host: '127.0.0.1', port: 2181 }], path: '/mesos', display: 'zk://127.0.0.1:2181/mesos' });
  const bad: Array<[string, RegExp]> = [
    ['zk://zk1:2181', /needs a path/],
    ['zk://zk1:2181/', /not the root/],
    ['zk://zk1/mesos', /not host:port/],
    ['zk://zk1:99999/mesos', /out of range/],
    ['zk://:pw@zk1:2181/mesos', /user:password/],
    ['http://m1:5050,zk://zk1:2181/mesos', /cannot be mixed/],
    ['ftp://m1:5050', /http:\/\/ or https:\/\//],
    ['not a url', /neither a URL/],
    ['  ', /empty/],
  ];
  for (const [text, problem] of bad) {
    assert.throws(() => parseMesosMaster(text), (e: unknown) => e instanceof MesosMasterSpecError && problem.test(e.message), text);
  }
  // A password never shows in the error.
  assert.throws(() => parseMesosMaster('zk://u:hunter2@zk1/mesos'), (e: unknown) => e instanceof Error && !e.message.includes('hunter2'));
});

test('describeMesosMasters masks a zk:// password for logs', () => {
  assert.equal(describeMesosMasters(['zk://u:hunter2@zk1:2181/mesos']), 'zk://u:********@zk1:2181/mesos');
  assert.equal(describeMesosMasters(['http://m1:5050', 'http://m2:5050']), 'http://m1:5050,http://m2:5050');
});
