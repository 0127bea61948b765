// The one-command local stack behind `npm start` / `mesoflow start`: the
// Temporal dev server (unless TEMPORAL_ADDRESS is set; persisted under
// MESOFLOW_DATA_DIR so jobs survive a restart), the devcluster (unless
// MESOS_MASTER is set), the worker and the HTTP API. stop() takes it all
// down in reverse order, task processes included.
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createLogger, type Logger } from '../common/logger.js';
import { loadConfig } from '../config/load.js';
import { TemporalConnectError, temporalTarget } from '../config/temporal-connection.js';
import { startDevCluster, type DevCluster } from '../devcluster/index.js';
import { startWorker, type RunningWorker } from '../worker/start-worker.js';
import { workerConfigFromLoaded } from '../worker/config.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { createApi } from '../api/app.js';
import { apiMesosAccess } from '../api/mesos-access.js';
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

export interface StartStackOptions {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Progress lines for the person at the terminal. */
  say?: (line: string) => void;
}

export async function startLocalStack(options: StartStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env;
  // Every setting is checked before anything starts (ConfigError: one line).
  const loaded = loadConfig(env, 'start');
  const s = loaded.settings;
  const temporal = temporalTarget(env);
  const logger =
    options.logger ?? createLogger({ level: loaded.sources.MESOFLOW_LOG_LEVEL === 'env' ? s.MESOFLOW_LOG_LEVEL : 'warn', bindings: { process: 'mesoflow' } });
  const say = options.say ?? (() => {});
  for (const w of loaded.warnings) logger.warn(w);
  const dataDir = resolve(s.MESOFLOW_DATA_DIR);
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const c of cleanups.splice(0).reverse()) {
      await c().catch((err: unknown) => logger.error('stopping a part of the stack failed', { err }));
    }
  };
  try {
    let temporalAddress = temporal.address;
    let temporalUiUrl = s.MESOFLOW_TEMPORAL_UI_URL;
    const namespace = temporal.namespace;
    if (!temporalAddress) {
      say(`starting the Temporal dev server (data in ${join(dataDir, 'temporal.db')})…`);
      const server: DevServer = await startDevServer({
        dbFile: join(dataDir, 'temporal.db'),
        ...(s.MESOFLOW_TEMPORAL_PORT !== 0 ? { port: s.MESOFLOW_TEMPORAL_PORT } : {}),
        ui: true,
        ...(s.MESOFLOW_TEMPORAL_UI_PORT !== 0 ? { uiPort: s.MESOFLOW_TEMPORAL_UI_PORT } : {}),
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
    if (s.MESOS_MASTER) {
      masters = s.MESOS_MASTER;
    } else {
      say('starting the devcluster (an embedded Mesos master with one agent)…');
      cluster = await startDevCluster({
        host: s.MESOFLOW_DEVCLUSTER_HOST,
        port: s.MESOFLOW_DEVCLUSTER_PORT,
        agents: 1,
        workDir: join(dataDir, 'devcluster'),
        logger: logger.child({ component: 'devcluster' }),
        ...(s.MESOFLOW_DEVCLUSTER_RESOURCES ? { resources: s.MESOFLOW_DEVCLUSTER_RESOURCES } : {}),
      });
      const c = cluster;
      cleanups.push(() => c.stop());
      masters = [cluster.masterUrl];
    }

    const workerTarget = { ...temporal, address: temporalAddress, namespace };
    const config = workerConfigFromLoaded({ ...loaded, settings: { ...s, MESOS_MASTER: masters } }, workerTarget);
    // A local devcluster has no other frameworks to yield offers to; a short
    // refuse filter keeps the first job after an idle spell from waiting on
    // it (with the 30 s default the first job was seen waiting ~30 s).
    if (cluster && loaded.sources.MESOFLOW_DECLINE_REFUSE_SECONDS === 'default') config.declineRefuseSeconds = 2;
    say('starting the worker…');
    const worker = await startWorker(config, { logger });
    cleanups.push(() => worker.stop());

    // The API has its own connection: the worker's may be closed first on shutdown.
    const connection = await Connection.connect({ ...temporal.connection, address: temporalAddress }).catch((err: unknown) => {
      throw new TemporalConnectError(temporalAddress, temporal, err);
    });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace });
    // With zk://, the API finds the leader itself (agent logs) and reports it in /readyz.
    const mesosAccess = apiMesosAccess(config, logger);
    cleanups.push(() => mesosAccess.close());
    const api = createApi({
      client,
      namespace,
      frameworkName: config.frameworkName,
      taskQueue: config.taskQueue,
      ...mesosAccess.deps,
      token: loaded.apiToken,
      temporalUiUrl,
      logger,
      sessionStats: () => {
        const st = [...worker.sessions][0];
        return st ? { ...st.stats } : undefined;
      },
    });
    const server: ApiServer = await serveApi(api.app, { port: s.PORT, hostname: s.MESOFLOW_API_HOST });
    // Stopped first (cleanups run in reverse): no new requests, those in flight get the grace.
    cleanups.push(() => server.close({ graceMs: Math.min(s.MESOFLOW_SHUTDOWN_GRACE * 1000, 2000) }));

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
