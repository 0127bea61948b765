// How the API reaches Mesos for agent logs, from the same settings as the
// worker: the master URLs, or (MESOS_MASTER=zk://…) a ZooKeeper leader
// detector whose status /readyz reports; the TLS files and the basic-auth
// credentials the worker presents. Used by `mesoflow api` and `mesoflow start`
// alike, so a separately started API reads logs exactly as the all-in-one does.
import type { Logger } from '../common/logger.js';
import { createZkLeaderDetector } from '../mesos/leader/zk-detector.js';
import { parseMesosMaster } from '../mesos/master-address.js';
import { mesosTlsOptions, type WorkerConfig } from '../worker/config.js';
import type { ApiDeps } from './context.js';

export interface ApiMesosAccess {
  deps: Pick<ApiDeps, 'masters' | 'leaderDetector' | 'mesosTls' | 'mesosCredentials'>;
  /** Closes the leader detector's ZooKeeper session, if there is one. */
  close(): Promise<void>;
}

export function apiMesosAccess(
  config: Pick<WorkerConfig, 'masters' | 'tlsCa' | 'tlsCert' | 'tlsKey' | 'principal' | 'secret'>,
  logger: Logger,
): ApiMesosAccess {
  const spec = parseMesosMaster(config.masters.join(','));
  const leaderDetector = spec.kind === 'zk' ? createZkLeaderDetector({ spec, logger: logger.child({ component: 'api' }) }) : undefined;
  const mesosTls = mesosTlsOptions(config);
  return {
    deps: {
      masters: spec.kind === 'urls' ? spec.urls : [],
      ...(leaderDetector ? { leaderDetector } : {}),
      ...(mesosTls !== undefined ? { mesosTls } : {}),
      ...(config.principal !== undefined ? { mesosCredentials: { principal: config.principal, secret: config.secret ?? '' } } : {}),
    },
    close: async () => {
      await leaderDetector?.close();
    },
  };
}
