// The floor Temporal allows for a job on this machine: a workflow with the
// same Temporal steps as a job (issue 11's path: started with its search
// attributes, one activity that returns once the task "runs", one
// status-update signal for the end, the running and the final status
// upserts), but no Mesos behind them.
import { condition, defineSignal, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { jobStatusKey } from '../../workflows/search-attribute-keys.js';

export interface BareActivities {
  /** Returns as placeAndLaunch does once the task ran, and then sends the terminal update, as the session would. */
  placeAndLaunch(workflowId: string): Promise<void>;
}

export const bareUpdate = defineSignal<[string]>('taskUpdate');

export async function bareJobWorkflow(workflowId: string): Promise<void> {
  const states: string[] = [];
  setHandler(bareUpdate, (s) => void states.push(s));
  const a = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });
  await a.placeAndLaunch(workflowId);
  upsertSearchAttributes([{ key: jobStatusKey, value: 'RUNNING' }]);
  await condition(() => states.includes('TASK_FINISHED'));
  upsertSearchAttributes([{ key: jobStatusKey, value: 'SUCCEEDED' }]);
}
