// A real ZooKeeper server per test file (stack/zookeeper.ts finds or
// installs it), with its data in a private directory under .mesoflow/, and a
// partitioning TCP proxy: the way to expire a client's session for real is to
// keep it away from the server past its session timeout. (Taking the session
// over with its id and password and closing it races with the owner's
// reconnection, and proved flaky.)
import { randomUUID } from 'node:crypto';
import { connect as netConnect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../stack/temporal-cli.js';
import { startZooKeeper, type ZooKeeperServer } from '../../stack/zookeeper.js';

export async function useZooKeeper(options: { tickTimeMs?: number } = {}): Promise<ZooKeeperServer> {
  const dataDir = join(projectRoot(), '.mesoflow', 'test-zookeeper', randomUUID().slice(0, 8));
  // tickTime 500 ms: sessions may last 1 to 10 s (the server clamps them to 2-20 ticks), so expiry is quick to see.
  return startZooKeeper({ dataDir, tickTimeMs: options.tickTimeMs ?? 500, log: (m) => console.error(m) });
}

export interface TcpProxy {
  readonly port: number;
  /** A network partition: open connections are cut, new ones are accepted but never answered. */
  partition(): void;
  /** Ends the partition: held connections are dropped so clients connect afresh, and are forwarded again. */
  heal(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy to 127.0.0.1:`targetPort` that a test can partition: the way to
 * make a client's ZooKeeper session expire for real (the server hears
 * nothing from it for longer than the session timeout) while ZooKeeper runs.
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ a: Socket; b: Socket }>();
  const held = new Set<Socket>();
  let partitioned = false;
  const server = createServer((client) => {
    if (partitioned) {
      held.add(client);
      client.on('error', () => undefined);
      client.on('close', () => held.delete(client));
      return;
    }
    const upstream = netConnect({ host: '127.0.0.1', port: targetPort });
    const pair = { a: client, b: upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    partition() {
      partitioned = true;
      for (const p of [...pairs]) {
        p.a.destroy();
        p.b.destroy();
      }
    },
    heal() {
      partitioned = false;
      for (const s of [...held]) s.destroy();
    },
    async close() {
      for (const p of [...pairs]) {
        p.a.destroy();
        p.b.destroy();
      }
      for (const s of [...held]) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
