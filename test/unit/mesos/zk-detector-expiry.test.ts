// A ZooKeeper session that expires while a detection waits on it: the old
// client may never answer its queued request, and the new session's
// detection must not wait for it (it did: the leader stayed unknown for good).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ZkLeaderDetector, type ZkSessionLike } from '../../../mesos/leader/zk-detector.js';
import { parseMesosMaster, type ZkMasterSpec } from '../../../mesos/master-address.js';
import { readTranscript } from '../../support/fixtures.js';
import { until } from '../../support/wait.js';

interface Transcript14 {
  zookeeper: { children_after_both_started: string[]; data: Record<string, unknown> };
}
const t14 = readTranscript<Transcript14>('14-zookeeper-leader.json');

/** A session driven by the test: `answers` false leaves every read unanswered, as a client cut off from its server does. */
class ScriptedSession extends EventEmitter {
  connected = false;
  readonly sessionId = '0x1';
  constructor(private readonly answers: boolean) {
    super();
  }
  connect(): void {
    this.connected = true;
    queueMicrotask(() => this.emit('connected'));
  }
  close(): void {
    this.connected = false;
  }
  credentials() {
    return { sessionId: Buffer.from('1'), sessionPassword: Buffer.from('p') };
  }
  getChildren(): Promise<string[]> {
    return this.answers ? Promise.resolve(t14.zookeeper.children_after_both_started) : new Promise<string[]>(() => undefined);
  }
  exists(): Promise<boolean> {
    return Promise.resolve(true);
  }
  getData(path: string): Promise<Buffer> {
    const name = path.split('/').pop() as string;
    return Promise.resolve(Buffer.from(JSON.stringify(t14.zookeeper.data[name])));
  }
}

test('a detection left waiting on an expired session does not keep the new session from naming the leader', async () => {
  const sessions: ScriptedSession[] = [];
  const detector = new ZkLeaderDetector({
    spec: parseMesosMaster('zk://zk1:2181/mesos') as ZkMasterSpec,
    newSession: () => {
      const s = new ScriptedSession(sessions.length > 0);
      sessions.push(s);
      return s as unknown as ZkSessionLike;
    },
  });
  try {
    // The first session connects; its read of the masters never comes back.
    await until(() => sessions.length === 1 && sessions[0]?.connected, 'the first session', 5000, 5);
    await new Promise((r) => setImmediate(r));
    sessions[0]?.emit('expired');
    await until(() => detector.status().leader, 'the leader named through the second session', 5000, 10);
    assert.equal(sessions.length, 2);
    assert.equal(detector.status().leader, 'http://127.0.0.1:25060');
    assert.equal(detector.status().problem, undefined);
  } finally {
    await detector.close();
  }
});
