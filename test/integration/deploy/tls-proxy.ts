// Test fixtures for Temporal over mTLS: certificates made with openssl (a CA,
// a server certificate for a name that is not the address, a client
// certificate, and a second, untrusted CA with its own client certificate),
// and a TLS-terminating proxy (node:tls, ALPN h2, client certificates
// required) in front of the plain-TCP dev server.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';

export const SERVER_NAME = 'temporal.mesoflow.test';

export interface TestPki {
  caPem: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  rogueCaPem: string;
  rogueClientCert: string;
  rogueClientKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function ca(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`]);
}

function leaf(dir: string, caName: string, name: string, cn: string, ext: string): void {
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.pem`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
}

/** Writes the certificates into `dir` (paths: <name>.pem / <name>.key) and returns the paths. */
export function makePki(dir: string): TestPki {
  ca(dir, 'ca');
  ca(dir, 'rogue-ca');
  leaf(dir, 'ca', 'server', SERVER_NAME, `subjectAltName=DNS:${SERVER_NAME}\nextendedKeyUsage=serverAuth\n`);
  leaf(dir, 'ca', 'client', 'mesoflow-worker', 'extendedKeyUsage=clientAuth\n');
  leaf(dir, 'rogue-ca', 'rogue-client', 'mesoflow-worker', 'extendedKeyUsage=clientAuth\n');
  const p = (f: string) => join(dir, f);
  return {
    caPem: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    rogueCaPem: p('rogue-ca.pem'),
    rogueClientCert: p('rogue-client.pem'),
    rogueClientKey: p('rogue-client.key'),
  };
}

export interface TlsProxy {
  address: string;
  /** Connections whose client certificate was verified / refused. */
  stats: { authorized: number; refused: number };
  stop(): Promise<void>;
}

export function startTlsProxy(pki: TestPki, upstream: string): Promise<TlsProxy> {
  const [host, port] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
  const stats = { authorized: 0, refused: 0 };
  const sockets = new Set<Socket>();
  const server = createServer(
    {
      key: readFileSync(pki.serverKey),
      cert: readFileSync(pki.serverCert),
      ca: [readFileSync(pki.caPem)],
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (tls: TLSSocket) => {
      stats.authorized++;
      const up = netConnect({ host, port });
      sockets.add(tls).add(up);
      tls.pipe(up).pipe(tls);
      const end = () => {
        tls.destroy();
        up.destroy();
        sockets.delete(tls);
        sockets.delete(up);
      };
      tls.on('error', end).on('close', end);
      up.on('error', end).on('close', end);
    },
  );
  server.on('tlsClientError', () => stats.refused++);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
        stats,
        stop: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
