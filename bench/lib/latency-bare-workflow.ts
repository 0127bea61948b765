// The Temporal floor for bench/latency.ts: a workflow start plus one activity.
import { proxyActivities } from '@temporalio/workflow';

export interface LatencyBareActivities {
  started(workflowId: string): Promise<void>;
}

export async function latencyBareWorkflow(workflowId: string): Promise<void> {
  const { started } = proxyActivities<LatencyBareActivities>({ startToCloseTimeout: '1 minute' });
  await started(workflowId);
}
