// The floor Temporal allows for a job on this machine: a workflow with the
// same steps as a job (the same activities, the same three status-update
// signals, the same search-attribute upserts), but no Mesos behind them.
import { condition, defineSignal, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { jobStatusKey } from '../../workflows/search-attribute-keys.js';

export interface BareActivities {
  ensureSession(): Promise<void>;
  awaitOffer(): Promise<void>;
  /** Sends this workflow its three status updates, as the session would. */
  launchTask(workflowId: string): Promise<void>;
}

export const bareUpdate = defineSignal<[string]>('taskUpdate');

export async function bareJobWorkflow(workflowId: string): Promise<void> {
  const states: string[] = [];
  setHandler(bareUpdate, (s) => void states.push(s));
  upsertSearchAttributes([{ key: jobStatusKey, value: 'WAITING' }]);
  const a = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });
  await a.ensureSession();
  await a.awaitOffer();
  await a.launchTask(workflowId);
  upsertSearchAttributes([{ key: jobStatusKey, value: 'RUNNING' }]);
  await condition(() => states.includes('TASK_FINISHED'));
  upsertSearchAttributes([{ key: jobStatusKey, value: 'SUCCEEDED' }]);
}
