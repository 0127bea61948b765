// A throwaway PKI for TLS tests, made with the openssl command line (part of
// every Debian/Ubuntu base system that has git or curl): a CA, a server
// certificate for 127.0.0.1/localhost signed by it, a client certificate
// signed by it, and an unrelated CA that signs a second client certificate.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A client certificate the CA did not sign. */
  strangerCertFile: string;
  strangerKeyFile: string;
  ca: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
}

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  } catch (err) {
    throw new Error(`openssl ${args.join(' ')} failed (the TLS tests need the openssl command): ${(err as Error).message}`, { cause: err });
  }
}

function selfSignedCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

function signed(dir: string, ca: string, name: string, ext: string): void {
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`]);
}

export function createTestPki(dir: string): TestPki {
  selfSignedCa(dir, 'ca');
  signed(dir, 'ca', 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signed(dir, 'ca', 'client', 'extendedKeyUsage=clientAuth\n');
  selfSignedCa(dir, 'stranger-ca');
  signed(dir, 'stranger-ca', 'stranger', 'extendedKeyUsage=clientAuth\n');
  const f = (n: string) => join(dir, n);
  return {
    dir,
    caFile: f('ca.crt'),
    serverCertFile: f('server.crt'),
    serverKeyFile: f('server.key'),
    clientCertFile: f('client.crt'),
    clientKeyFile: f('client.key'),
    strangerCertFile: f('stranger.crt'),
    strangerKeyFile: f('stranger.key'),
    ca: readFileSync(f('ca.crt')),
    clientCert: readFileSync(f('client.crt')),
    clientKey: readFileSync(f('client.key')),
  };
}
