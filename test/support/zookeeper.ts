// A real ZooKeeper server per test file (stack/zookeeper.ts finds or
// installs it), with its data in a private directory under .mesoflow/, and
// the classic way to expire a client's session on purpose: another client
// takes the session over with its id and password and closes it.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import zookeeper from 'node-zookeeper-client';
import { projectRoot } from '../../stack/temporal-cli.js';
import { startZooKeeper, type ZooKeeperServer } from '../../stack/zookeeper.js';

export async function useZooKeeper(options: { tickTimeMs?: number } = {}): Promise<ZooKeeperServer> {
  const dataDir = join(projectRoot(), '.mesoflow', 'test-zookeeper', randomUUID().slice(0, 8));
  // tickTime 500 ms: sessions may last 1 to 10 s, so expiry is quick to see and a restart (~3 s) keeps them.
  return startZooKeeper({ dataDir, tickTimeMs: options.tickTimeMs ?? 500, log: (m) => console.error(m) });
}

/** Ends the ZooKeeper session with these credentials; its owner sees it expire when it next talks to the server. */
export async function expireSession(connectString: string, credentials: { sessionId: Buffer; sessionPassword: Buffer }): Promise<void> {
  const thief = zookeeper.createClient(connectString, { sessionTimeout: 10_000, ...credentials } as Parameters<typeof zookeeper.createClient>[1]);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('could not take the ZooKeeper session over within 10 s')), 10_000);
    thief.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    thief.connect();
  });
  thief.close();
}
