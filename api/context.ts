// What every route handler shares: the job service, the agent files client,
// the metrics and the dependencies the app was created with.
import type { Client } from '@temporalio/client';
import type { Logger } from '../common/logger.js';
import type { LeaderDetector } from '../mesos/leader/detector.js';
import type { JobTuning } from '../workflows/job-workflow.js';
import type { AgentFilesClient, AgentFilesClientOptions } from './logs.js';
import type { ApiMetrics } from './metrics.js';
import type { JobService } from './job-service.js';
import type { JobFacts } from './job-view.js';
import type { ApiJob } from './schemas.js';

export interface ApiDeps {
  client: Client;
  namespace: string;
  frameworkName: string;
  /** Task queue of the job workflows (the worker's). */
  taskQueue: string;
  /** Mesos master URLs, for finding agents (logs); empty when leaderDetector finds the leader. */
  masters: string[];
  /** Finds the leading master (MESOS_MASTER=zk://…); its status is part of /readyz. */
  leaderDetector?: LeaderDetector;
  /** TLS (CA, client certificate) and basic auth for those masters and their agents. */
  mesosTls?: AgentFilesClientOptions['tls'];
  mesosCredentials?: AgentFilesClientOptions['credentials'];
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
  logger?: Logger;
}

export interface ApiContext {
  deps: ApiDeps;
  service: JobService;
  files: AgentFilesClient;
  metrics: ApiMetrics;
  logger: Logger;
  view(facts: JobFacts): ApiJob;
}
