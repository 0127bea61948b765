// createApp(deps): the HTTP API on Node: the core app (app-core.ts) with
// Temporal over gRPC, task logs read from the Mesos agents and Swagger UI
// read from node_modules.
import type { Hono } from 'hono';
import { createCoreApi } from './app-core.js';
import type { ApiContext, ApiCoreDeps, ApiDeps } from './context.js';
import { nodeDocsAsset } from './docs-assets.js';
import { AgentFilesClient } from './logs.js';
import { GrpcTemporalAccess } from './temporal/grpc-access.js';

export type { ApiDeps } from './context.js';

export interface MesoflowApi {
  app: Hono;
  context: ApiContext<ApiDeps & ApiCoreDeps>;
}

export function createApi(deps: ApiDeps): MesoflowApi {
  const api = createCoreApi({
    ...deps,
    temporal: deps.temporal ?? new GrpcTemporalAccess(deps.client, deps.namespace),
    logs: {
      reader: new AgentFilesClient({
        masters: deps.masters,
        tls: deps.mesosTls,
        credentials: deps.mesosCredentials,
        ...(deps.leaderDetector ? { leaderDetector: deps.leaderDetector } : {}),
      }),
    },
    docsAssets: nodeDocsAsset,
  });
  return api;
}

export function createApp(deps: ApiDeps): Hono {
  return createApi(deps).app;
}
