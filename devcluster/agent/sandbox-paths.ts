// Where Mesos puts an executor's sandbox (src/slave/paths.cpp) and the
// virtual path under which /files exposes it.
import { join } from 'node:path';

export function executorRunPath(workDir: string, agentId: string, frameworkId: string, executorId: string, containerId: string): string {
  return join(workDir, 'slaves', agentId, 'frameworks', frameworkId, 'executors', executorId, 'runs', containerId);
}

export function executorLatestRunPath(workDir: string, agentId: string, frameworkId: string, executorId: string): string {
  return join(workDir, 'slaves', agentId, 'frameworks', frameworkId, 'executors', executorId, 'runs', 'latest');
}

/** The path schedulers are meant to use: /frameworks/<fid>/executors/<eid>/runs/latest. */
export function executorVirtualPath(frameworkId: string, executorId: string): string {
  return `/frameworks/${frameworkId}/executors/${executorId}/runs/latest`;
}
