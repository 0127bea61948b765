// What every route handler shares: the job service, where logs come from,
// the metrics and the dependencies the app was created with. Edge-safe
// (type imports only): the edge entry builds the app from ApiCoreDeps.
import type { Client } from '@temporalio/client';
import type { Logger } from '../common/logger.js';
import type { LeaderDetector } from '../mesos/leader/detector.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import type { LogReader } from './log-source.js';
import type { AgentFilesClientOptions } from './logs.js';
import type { ApiMetrics } from './metrics.js';
import type { JobService } from './job-service.js';
import type { JobFacts } from './job-view.js';
import type { ApiJob } from './schemas.js';
import type { TemporalAccess } from './temporal/access.js';

/** The Swagger UI files /docs serves (bundled at the edge, read from node_modules on Node). */
export type DocsAssetName = 'swagger-ui.css' | 'swagger-ui-bundle.js';
export type DocsAssets = (name: DocsAssetName) => Uint8Array | string;

/** What the app needs whatever it runs on (Node or the edge). */
export interface ApiCoreDeps {
  temporal: TemporalAccess;
  namespace: string;
  frameworkName: string;
  /** Task queue of the job workflows (the worker's). */
  taskQueue: string;
  /**
   * Task logs: read from the agents (Node), or, where agents cannot be reached
   * (the edge), a 307 redirect to this internal mesoflow API base URL. With
   * neither, the logs route answers 501.
   */
  logs: { reader: LogReader } | { redirectTo: string } | undefined;
  docsAssets: DocsAssets | undefined;
  /** Finds the leading Mesos master (MESOS_MASTER=zk://…, Node only); its status is part of /readyz. */
  leaderDetector?: LeaderDetector;
  /** When set, every /v1 route requires `Authorization: Bearer <token>`. */
  token?: string | undefined;
  tuning?: Partial<JobTuning>;
  /** Base URL of the Temporal Web UI, for links. */
  temporalUiUrl?: string | undefined;
  /** Largest accepted request body; default 64 KiB. */
  bodyLimitBytes?: number;
  /** Counters of the framework session when it runs in this process (offers, launches). */
  sessionStats?: () => Record<string, number> | undefined;
  /** Interval at which the events stream polls the job; default 500 ms. */
  eventPollMs?: number;
  /** Longest an events stream stays open before the client must reconnect (edge runtimes bound a request's life); default unbounded. */
  eventStreamMaxMs?: number;
  logger?: Logger;
}

/** The Node API's dependencies: a gRPC client and the Mesos masters (for logs). */
export interface ApiDeps extends Omit<ApiCoreDeps, 'temporal' | 'logs' | 'docsAssets'> {
  client: Client;
  /** Overrides the gRPC access built from `client` (tests run the Node API over HTTP too). */
  temporal?: TemporalAccess;
  /** Mesos master URLs, for finding agents (logs); empty when leaderDetector finds the leader. */
  masters: string[];
  /** TLS (CA, client certificate) and basic auth for those masters and their agents. */
  mesosTls?: AgentFilesClientOptions['tls'];
  mesosCredentials?: AgentFilesClientOptions['credentials'];
}

export interface ApiContext<D extends ApiCoreDeps = ApiCoreDeps> {
  deps: D;
  service: JobService;
  metrics: ApiMetrics;
  logger: Logger;
  view(facts: JobFacts): ApiJob;
}

/** The Node app's context: its deps also carry the gRPC client. */
export type NodeApiContext = ApiContext<ApiDeps & ApiCoreDeps>;
