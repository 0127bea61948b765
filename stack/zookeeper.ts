// A real ZooKeeper server for tests and local experiments, found or installed
// the way the Temporal CLI is (stack/temporal-cli.ts): MESOFLOW_ZOOKEEPER_CLASSPATH
// (the jars of an installed ZooKeeper, e.g. Debian's), a copy installed
// earlier under .mesoflow/tools, else the `org.apache.zookeeper:zookeeper`
// jar and its runtime dependencies downloaded from Maven Central (pinned
// versions, each checked against Central's SHA-1) into that directory. It
// runs on the machine's Java (17 here) as ZooKeeperServerMain, standalone,
// with its admin HTTP server off (it would take port 8080).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from './temporal-cli.js';

export const ZOOKEEPER_VERSION = '3.8.4';

/** What `mvn dependency:list` resolves for zookeeper 3.8.4's server at runtime (metrics-core and snappy are needed by the server though optional in its POM). */
const ARTIFACTS = [
  `org.apache.zookeeper:zookeeper:${ZOOKEEPER_VERSION}`,
  `org.apache.zookeeper:zookeeper-jute:${ZOOKEEPER_VERSION}`,
  'org.apache.yetus:audience-annotations:0.12.0',
  'org.slf4j:slf4j-api:1.7.30',
  'ch.qos.logback:logback-classic:1.2.13',
  'ch.qos.logback:logback-core:1.2.13',
  'commons-io:commons-io:2.11.0',
  'io.dropwizard.metrics:metrics-core:4.1.12.1',
  'org.xerial.snappy:snappy-java:1.1.10.5',
  'io.netty:netty-handler:4.1.105.Final',
  'io.netty:netty-common:4.1.105.Final',
  'io.netty:netty-resolver:4.1.105.Final',
  'io.netty:netty-buffer:4.1.105.Final',
  'io.netty:netty-transport:4.1.105.Final',
  'io.netty:netty-transport-native-unix-common:4.1.105.Final',
  'io.netty:netty-codec:4.1.105.Final',
  'io.netty:netty-transport-classes-epoll:4.1.105.Final',
  'io.netty:netty-transport-native-epoll:4.1.105.Final',
];

const CENTRAL = 'https://repo1.maven.org/maven2';

export class ZooKeeperNotFoundError extends Error {
  constructor(readonly attempts: string[]) {
    super(`ZooKeeper not found and could not be installed; tried:\n  ${attempts.join('\n  ')}`);
    this.name = 'ZooKeeperNotFoundError';
  }
}

function toolsDir(): string {
  return process.env.MESOFLOW_TOOLS_DIR ?? join(projectRoot(), '.mesoflow', 'tools');
}

function javaWorks(): boolean {
  const r = spawnSync(process.env.JAVA ?? 'java', ['-version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0;
}

function jarsIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jar')) : [];
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function installFromCentral(lib: string, log: (m: string) => void): Promise<void> {
  log(`installing ZooKeeper ${ZOOKEEPER_VERSION} (jars from Maven Central) into ${lib}`);
  const partial = `${lib}.partial`;
  await rm(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  await Promise.all(
    ARTIFACTS.map(async (coords) => {
      const [group, artifact, version] = coords.split(':') as [string, string, string];
      const url = `${CENTRAL}/${group.replace(/\./g, '/')}/${artifact}/${version}/${artifact}-${version}.jar`;
      const [jar, sha1] = await Promise.all([download(url), download(`${url}.sha1`)]);
      const actual = createHash('sha1').update(jar).digest('hex');
      if (actual !== sha1.toString('utf8').trim().split(/\s+/)[0]) throw new Error(`${url}: SHA-1 mismatch`);
      writeFileSync(join(partial, `${artifact}-${version}.jar`), jar);
    }),
  );
  writeFileSync(
    join(partial, 'logback.xml'),
    '<configuration><appender name="E" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder></appender><root level="WARN"><appender-ref ref="E"/></root></configuration>\n',
  );
  renameSync(partial, lib);
}

export interface ZooKeeperInstall {
  /** Java classpath of the server. */
  classpath: string;
  /** A logback configuration (quiet: warnings only), when the install has one. */
  logbackConfig: string | undefined;
}

/** Finds a ZooKeeper server installation, installing one under .mesoflow/tools when there is none. */
export async function findOrInstallZooKeeper(log: (m: string) => void = () => {}): Promise<ZooKeeperInstall> {
  const attempts: string[] = [];
  if (!javaWorks()) throw new ZooKeeperNotFoundError(['java: not found or not working (ZooKeeper needs a Java runtime, 11 or later)']);
  const fromEnv = process.env.MESOFLOW_ZOOKEEPER_CLASSPATH;
  if (fromEnv) return { classpath: fromEnv, logbackConfig: undefined };
  const lib = join(toolsDir(), `zookeeper-${ZOOKEEPER_VERSION}`, 'lib');
  const have = () => jarsIn(lib).length >= ARTIFACTS.length;
  if (!have()) {
    try {
      await installFromCentral(lib, log);
    } catch (err) {
      attempts.push(`Maven Central jars into ${lib}: ${(err as Error).message}`);
    }
  }
  if (have()) return { classpath: `${lib}/*`, logbackConfig: join(lib, 'logback.xml') };
  throw new ZooKeeperNotFoundError(attempts);
}

/** A free TCP port on 127.0.0.1 (ZooKeeperServerMain wants a number, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Sends a four-letter command and returns the answer ('' when the server does not answer). */
export function fourLetter(port: number, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('connect', () => socket.write(command));
    socket.on('data', (d: Buffer) => (out += d.toString('utf8')));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(''));
  });
}

export interface ZooKeeperServerOptions {
  /** Data directory (kept across restart(), removed by stop() when removeData). */
  dataDir: string;
  /** Default: a free port. */
  port?: number;
  /** The server's tick: sessions may last 2 to 20 ticks. Small ticks make session expiry testable quickly. */
  tickTimeMs?: number;
  log?: (m: string) => void;
}

export interface ZooKeeperServer {
  readonly port: number;
  /** `127.0.0.1:<port>` */
  readonly connectString: string;
  /** Output of the current server process (warnings and errors). */
  output(): string;
  /** Stops the server process (SIGTERM, then SIGKILL) keeping its data. */
  halt(): Promise<void>;
  /** Starts it again on the same port and data (sessions survive a restart until they time out). */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(options?: { removeData?: boolean }): Promise<void>;
}

export async function startZooKeeper(options: ZooKeeperServerOptions): Promise<ZooKeeperServer> {
  const install = await findOrInstallZooKeeper(options.log);
  const port = options.port ?? (await freePort());
  const tick = options.tickTimeMs ?? 2000;
  mkdirSync(options.dataDir, { recursive: true });
  let child: ChildProcess | undefined;
  let out = '';

  const launch = async (): Promise<void> => {
    out = '';
    const args = [
      '-Xmx256m',
      '-XX:+UseSerialGC',
      '-Dzookeeper.admin.enableServer=false',
      '-Dzookeeper.4lw.commands.whitelist=ruok,srvr',
      ...(install.logbackConfig ? [`-Dlogback.configurationFile=${install.logbackConfig}`] : []),
      '-cp',
      install.classpath,
      'org.apache.zookeeper.server.ZooKeeperServerMain',
      String(port),
      options.dataDir,
      String(tick),
    ];
    const c = spawn(process.env.JAVA ?? 'java', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = c;
    c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`ZooKeeper exited at start (port ${port}):\n${out}`);
      if ((await fourLetter(port, 'ruok', 1000)) === 'imok' && /standalone/.test(await fourLetter(port, 'srvr', 1000))) return;
      if (Date.now() > deadline) throw new Error(`ZooKeeper did not start on port ${port} within 60 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  const halt = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    try {
      process.kill(-(c.pid as number), 'SIGTERM');
    } catch {
      c.kill('SIGTERM');
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(c.pid as number), 'SIGKILL');
      } catch {
        c.kill('SIGKILL');
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await launch();
  } catch (err) {
    await halt();
    throw err;
  }
  options.log?.(`ZooKeeper ${ZOOKEEPER_VERSION} on 127.0.0.1:${port} (tickTime ${tick} ms)`);
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    output: () => out,
    halt,
    async restart() {
      await halt();
      await launch();
    },
    async stop(o = {}) {
      await halt();
      if (o.removeData) await rm(options.dataDir, { recursive: true, force: true });
    },
  };
}
