// The processes of a fault-suite run, each a ManagedProcess in its own
// process group: the Temporal dev server on a database file, the devcluster
// (two agents, two masters so a failover has somewhere to go), `mesoflow
// start` (worker + API, pointed at both) and two extra workers.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../common/free-port.js';
import { findOrInstallTemporalCli, projectRoot } from '../../stack/temporal-cli.js';
import { searchAttributeDefs } from '../../workflows/search-attributes.js';
import { ManagedProcess } from './processes.js';
import { retry } from './observe.js';

export interface ChaosStackOptions {
  runDir: string;
  frameworkName: string;
  /** Resources of each devcluster agent. */
  agentResources: string;
  sessionHeartbeatTimeoutSeconds: number;
  /** The master's HEARTBEAT interval: a stalled stream is noticed after 5 missed ones. */
  masterHeartbeatMs: number;
  token: string | undefined;
  say: (line: string) => void;
}

export interface ChaosStack {
  temporal: ManagedProcess;
  temporalAddress: string;
  devcluster: ManagedProcess;
  masterUrls: string[];
  /** `mesoflow start` with TEMPORAL_ADDRESS and MESOS_MASTER set: worker + API. */
  app: ManagedProcess;
  apiUrl: string;
  workers: [ManagedProcess, ManagedProcess];
  client: Client;
  /** Waits until Temporal answers again (after a restart). */
  waitTemporal(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const node = process.execPath;

async function temporalReady(address: string): Promise<void> {
  const conn = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    await conn.workflowService.describeNamespace({ namespace: 'default' });
  } finally {
    await conn.close();
  }
}

export async function startChaosStack(o: ChaosStackOptions): Promise<ChaosStack> {
  const root = projectRoot();
  const started: ManagedProcess[] = [];
  const make = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv) => {
    const p = new ManagedProcess({ name, command, args, env, cwd: root, logFile: join(o.runDir, `${name}.log`) });
    started.push(p);
    return p;
  };
  let connection: Connection | undefined;
  const stopAll = async () => {
    await connection?.close().catch(() => undefined);
    // Reverse order: mesoflow processes first (they release the session), then Mesos, then Temporal.
    for (const p of started.slice().reverse()) await p.stop();
  };
  try {
    mkdirSync(o.runDir, { recursive: true });
    const temporalPort = await freePort();
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const temporalArgs = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(temporalPort), '--headless', '--namespace', 'default'];
    temporalArgs.push('--log-level', 'error', '--db-filename', join(o.runDir, 'temporal.db'));
    for (const sa of searchAttributeDefs) temporalArgs.push('--search-attribute', `${sa.name}=${sa.type}`);
    const temporal = make('temporal', findOrInstallTemporalCli(o.say), temporalArgs, { ...process.env });
    temporal.start();
    const waitTemporal = (timeoutMs: number) => retry('Temporal dev server to answer', () => temporalReady(temporalAddress), timeoutMs, 500);

    const devcluster = make('devcluster', node, ['--import', 'tsx', 'cli/main.ts', 'devcluster', '--port', '0', '--agents', '2', '--followers', '1', '--resources', o.agentResources, '--work-dir', join(o.runDir, 'devcluster'), '--heartbeat-interval', String(o.masterHeartbeatMs)], {
      ...process.env,
      MESOFLOW_LOG_LEVEL: 'warn',
    });
    devcluster.start();
    const leader = (await devcluster.waitFor(/Mesos master \(devcluster\) at (\S+)/, 120_000))[1] as string;
    const follower = (await devcluster.waitFor(/non-leading master at (\S+)/, 10_000))[1] as string;
    await devcluster.waitFor(/agent \S+ at \S+\n(?:.*\n)*?agent \S+ at \S+/, 60_000);
    const masterUrls = [leader, follower];
    await waitTemporal(120_000);

    const apiPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: temporalAddress,
      MESOS_MASTER: masterUrls.join(','),
      MESOFLOW_FRAMEWORK_NAME: o.frameworkName,
      MESOFLOW_SESSION_HEARTBEAT_TIMEOUT: String(o.sessionHeartbeatTimeoutSeconds),
      MESOFLOW_DECLINE_REFUSE_SECONDS: '1',
      MESOFLOW_FAILOVER_TIMEOUT: '3600',
      MESOFLOW_LOG_LEVEL: 'warn',
      MESOFLOW_DATA_DIR: join(o.runDir, 'app'),
      PORT: String(apiPort),
      ...(o.token !== undefined ? { MESOFLOW_API_TOKEN: o.token } : {}),
    };
    const app = make('app', node, ['--import', 'tsx', 'cli/main.ts', 'start'], env);
    const workers: [ManagedProcess, ManagedProcess] = [make('worker-1', node, ['--import', 'tsx', 'worker/main.ts'], env), make('worker-2', node, ['--import', 'tsx', 'worker/main.ts'], env)];
    app.start();
    for (const w of workers) w.start();
    await app.waitFor(/mesoflow is up/, 300_000);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection, namespace: 'default' });
    return { temporal, temporalAddress, devcluster, masterUrls, app, apiUrl, workers, client, waitTemporal, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
