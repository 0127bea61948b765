// What a job's history costs: its events, and the billable actions among
// them as issue 11 counts them (workflow start, activity starts and retries,
// signals, timers, search-attribute upserts, child workflows; markers too,
// should any appear). Heartbeats are billed by Temporal Cloud as well but
// leave no event: bench/jobs.ts counts those on the session side.
import type { WorkflowHandle } from '@temporalio/client';

export interface HistoryBudget {
  events: number;
  actions: number;
  byKind: Record<string, number>;
}

export async function historyBudget(handle: WorkflowHandle): Promise<HistoryBudget> {
  const history = await handle.fetchHistory();
  const byKind: Record<string, number> = {};
  let actions = 0;
  const count = (kind: string, n = 1) => {
    byKind[kind] = (byKind[kind] ?? 0) + n;
    actions += n;
  };
  for (const e of history.events ?? []) {
    if (e.workflowExecutionStartedEventAttributes) count('workflow start');
    else if (e.activityTaskScheduledEventAttributes) count('activity');
    else if (e.activityTaskStartedEventAttributes && (e.activityTaskStartedEventAttributes.attempt ?? 1) > 1) count('activity retry', (e.activityTaskStartedEventAttributes.attempt ?? 1) - 1);
    else if (e.workflowExecutionSignaledEventAttributes) count('signal');
    else if (e.timerStartedEventAttributes) count('timer');
    else if (e.upsertWorkflowSearchAttributesEventAttributes) count('search-attribute upsert');
    else if (e.markerRecordedEventAttributes) count('marker');
    else if (e.startChildWorkflowExecutionInitiatedEventAttributes) count('child workflow');
  }
  return { events: history.events?.length ?? 0, actions, byKind };
}
