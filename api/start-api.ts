// The API process, programmatically (`mesoflow api`): the HTTP API alone,
// with its own Temporal connection, no worker and no devcluster. Any number
// of them may run against one namespace; they keep no state of their own.
import { Client, Connection } from '@temporalio/client';
import type { Logger } from '../common/logger.js';
import type { LoadedConfig } from '../config/load.js';
import { DEFAULT_TEMPORAL_ADDRESS, TemporalConnectError, type TemporalTarget } from '../config/temporal-connection.js';
import { mesosConnectionFromLoaded } from '../worker/config.js';
import { createApi } from './app.js';
import { apiMesosAccess } from './mesos-access.js';
import { serveApi } from './server.js';

export interface RunningApi {
  url: string;
  /** Stops accepting, gives requests in flight the shutdown grace, then closes the Temporal connection. */
  stop(): Promise<void>;
}

export async function startApiProcess(loaded: LoadedConfig, temporal: TemporalTarget, logger: Logger): Promise<RunningApi> {
  const s = loaded.settings;
  const address = temporal.address ?? DEFAULT_TEMPORAL_ADDRESS;
  for (const w of loaded.warnings) logger.warn(w);
  // Read before connecting: an unreadable file stops the process at once.
  const mesosConnection = mesosConnectionFromLoaded(loaded);
  const connection = await Connection.connect({ ...temporal.connection, address }).catch((err: unknown) => {
    throw new TemporalConnectError(address, temporal, err);
  });
  // Agent logs: the same masters, TLS files and credentials as the worker's;
  // with zk://, a leader detector of its own (also reported by /readyz).
  const mesosAccess = apiMesosAccess({ masters: s.MESOS_MASTER ?? [], ...mesosConnection }, logger);
  const api = createApi({
    client: new Client({ connection, namespace: temporal.namespace }),
    namespace: temporal.namespace,
    frameworkName: s.MESOFLOW_FRAMEWORK_NAME,
    taskQueue: s.MESOFLOW_TASK_QUEUE,
    ...mesosAccess.deps,
    token: loaded.apiToken,
    temporalUiUrl: s.MESOFLOW_TEMPORAL_UI_URL,
    logger,
  });
  const server = await serveApi(api.app, { port: s.PORT, hostname: s.MESOFLOW_API_HOST });
  logger.info('API listening', { url: server.url, temporal: address, namespace: temporal.namespace, auth: loaded.apiToken !== undefined ? 'bearer token' : 'none' });
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    stop() {
      stopping ??= (async () => {
        await server.close({ graceMs: s.MESOFLOW_SHUTDOWN_GRACE * 1000 });
        await connection.close().catch(() => undefined);
        await mesosAccess.close().catch(() => undefined);
        logger.info('API stopped');
      })();
      return stopping;
    },
  };
}
