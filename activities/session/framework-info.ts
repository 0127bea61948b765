// What the session tells the master about itself on every SUBSCRIBE.
import type { FrameworkInfo } from '../../mesos/schemas/index.js';

export interface FrameworkIdentity {
  frameworkName: string;
  user: string;
  roles: string[];
  failoverTimeoutSeconds: number;
  partitionAware: boolean;
  principal: string | undefined;
}

export function buildFrameworkInfo(who: FrameworkIdentity, frameworkId: string | undefined, hostname: string): FrameworkInfo {
  const capabilities = [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }];
  if (who.partitionAware) capabilities.push({ type: 'PARTITION_AWARE' });
  const info: FrameworkInfo = {
    user: who.user,
    name: who.frameworkName,
    roles: who.roles,
    failover_timeout: who.failoverTimeoutSeconds,
    checkpoint: true,
    hostname,
    capabilities,
  };
  if (frameworkId) info.id = { value: frameworkId };
  if (who.principal) info.principal = who.principal;
  return info;
}
