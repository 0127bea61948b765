// The Mesos v1 scheduler client: import from here.
export { SchedulerClient } from './scheduler-client.js';
export type { IdLike, CallOptions, SubscribeOptions, UpdateFrameworkOptions, ReconcileTask, ReconcileOperation } from './scheduler-client.js';
export { Subscription } from './subscription.js';
export { compileConfig, schedulerClientOptionsSchema, SchedulerClientConfigError, SCHEDULER_PATH } from './config.js';
export type { SchedulerClientOptions, SchedulerClientConfig } from './config.js';
export { decodeEventRecord, encodeCall } from './codec.js';
export type { CallWithoutFrameworkId, DecodedEvent } from './codec.js';
export { resolveLocation } from './http.js';
export * from './errors.js';
