// The one-command local stack behind `npm start` / `mesoflow start`: the
// Temporal dev server (unless TEMPORAL_ADDRESS is set; persisted under
// MESOFLOW_DATA_DIR so jobs survive a restart), the devcluster (unless
// MESOS_MASTER is set), the worker and the HTTP API. stop() takes it all
// down in reverse order, task processes included.
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createLogger, type Logger, type LogLevel } from '../common/logger.js';
import { startDevCluster, type DevCluster } from '../devcluster/index.js';
import { startWorker, type RunningWorker } from '../worker/start-worker.js';
import { mesosMastersFromEnv, mesosTlsOptions, workerConfigFromEnv } from '../worker/config.js';
import { parseMesosMaster } from '../mesos/master-address.js';
import { createZkLeaderDetector } from '../mesos/leader/zk-detector.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { createApi } from '../api/app.js';
import { serveApi, type ApiServer } from '../api/server.js';
import { startDevServer, type DevServer } from './temporal-dev-server.js';

export interface LocalStack {
  apiUrl: string;
  docsUrl: string;
  /** undefined when connected to an external Temporal. */
  temporalUiUrl: string | undefined;
  temporalAddress: string;
  namespace: string;
  masterUrls: string[];
  /** Whether the devcluster was started here (no MESOS_MASTER). */
  devcluster: boolean;
  worker: RunningWorker;
  stop(): Promise<void>;
}

export class StackConfigError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${value}: ${expected}`);
    this.name = 'StackConfigError';
  }
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new StackConfigError(name, v, 'expected a port number (0 = any free port)');
  return n;
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const v = env.MESOFLOW_LOG_LEVEL;
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' ? v : 'warn';
}

export interface StartStackOptions {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Progress lines for the person at the terminal. */
  say?: (line: string) => void;
}

export async function startLocalStack(options: StartStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger({ level: logLevel(env), bindings: { process: 'mesoflow' } });
  const say = options.say ?? (() => {});
  const dataDir = resolve(env.MESOFLOW_DATA_DIR || '.mesoflow');
  const apiPort = port(env, 'PORT', 8080);
  const grpcPort = port(env, 'MESOFLOW_TEMPORAL_PORT', 7233);
  const uiPort = port(env, 'MESOFLOW_TEMPORAL_UI_PORT', 8233);
  const masterPort = port(env, 'MESOFLOW_DEVCLUSTER_PORT', 5050);
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const c of cleanups.splice(0).reverse()) {
      await c().catch((err: unknown) => logger.error('stopping a part of the stack failed', { err }));
    }
  };
  try {
    let temporalAddress = env.TEMPORAL_ADDRESS;
    let temporalUiUrl = env.MESOFLOW_TEMPORAL_UI_URL || undefined;
    const namespace = env.TEMPORAL_NAMESPACE || 'default';
    if (!temporalAddress) {
      say(`starting the Temporal dev server (data in ${join(dataDir, 'temporal.db')})…`);
      const server: DevServer = await startDevServer({
        dbFile: join(dataDir, 'temporal.db'),
        ...(grpcPort !== 0 ? { port: grpcPort } : {}),
        ui: true,
        ...(uiPort !== 0 ? { uiPort } : {}),
        namespace,
        searchAttributes: [...searchAttributeDefs],
        log: (m) => say(m),
      });
      cleanups.push(() => server.stop());
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
    }

    let masters: string[];
    let cluster: DevCluster | undefined;
    if (env.MESOS_MASTER) {
      masters = mesosMastersFromEnv(env.MESOS_MASTER);
    } else {
      say('starting the devcluster (an embedded Mesos master with one agent)…');
      cluster = await startDevCluster({
        host: env.MESOFLOW_DEVCLUSTER_HOST || '127.0.0.1',
        port: masterPort,
        agents: 1,
        workDir: join(dataDir, 'devcluster'),
        logger: logger.child({ component: 'devcluster' }),
        ...(env.MESOFLOW_DEVCLUSTER_RESOURCES ? { resources: env.MESOFLOW_DEVCLUSTER_RESOURCES } : {}),
      });
      const c = cluster;
      cleanups.push(() => c.stop());
      masters = [cluster.masterUrl];
    }

    const workerEnv: NodeJS.ProcessEnv = { ...env, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: namespace, MESOS_MASTER: masters.join(',') };
    // A local devcluster has no other frameworks to yield offers to; a short
    // refuse filter keeps the first job after an idle spell from waiting on
    // it (with the 30 s default the first job was seen waiting ~30 s).
    if (cluster && !env.MESOFLOW_DECLINE_REFUSE_SECONDS) workerEnv.MESOFLOW_DECLINE_REFUSE_SECONDS = '2';
    const config = workerConfigFromEnv(workerEnv);
    say('starting the worker…');
    const worker = await startWorker(config, { logger });
    cleanups.push(() => worker.stop());

    // The API has its own connection: the worker's may be closed first on shutdown.
    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace });
    // With zk://, the API finds the leader itself (agent logs) and reports it in /readyz.
    const masterSpec = parseMesosMaster(masters.join(','));
    const leaderDetector = masterSpec.kind === 'zk' ? createZkLeaderDetector({ spec: masterSpec, logger: logger.child({ component: 'api' }) }) : undefined;
    if (leaderDetector) cleanups.push(() => leaderDetector.close());
    const api = createApi({
      client,
      namespace,
      frameworkName: config.frameworkName,
      taskQueue: config.taskQueue,
      masters: masterSpec.kind === 'urls' ? masterSpec.urls : [],
      ...(leaderDetector ? { leaderDetector } : {}),
      mesosTls: mesosTlsOptions(config),
      mesosCredentials: config.principal !== undefined ? { principal: config.principal, secret: config.secret ?? '' } : undefined,
      token: env.MESOFLOW_API_TOKEN || undefined,
      temporalUiUrl,
      logger,
      sessionStats: () => {
        const s = [...worker.sessions][0];
        return s ? { ...s.stats } : undefined;
      },
    });
    const server: ApiServer = await serveApi(api.app, { port: apiPort, hostname: env.MESOFLOW_API_HOST || '127.0.0.1' });
    cleanups.push(() => server.close());

    return {
      apiUrl: server.url,
      docsUrl: `${server.url}/docs`,
      temporalUiUrl,
      temporalAddress,
      namespace,
      masterUrls: masters,
      devcluster: cluster !== undefined,
      worker,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
