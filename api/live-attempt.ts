// What the open activity of a job's attempt heartbeated (why it waits, a
// launch under way, a starting task's updates), read from the pending
// activities DescribeWorkflowExecution returns with the rest. Pure: it takes
// the details already decoded (TemporalAccess decodes them for gRPC and HTTP
// alike), so it sits on the edge build's import graph.
import type { LiveAttemptDetails } from '../workflows/progress.js';

export interface PendingActivity {
  type: string;
  /** The last heartbeat's details, decoded. */
  heartbeatDetails: readonly unknown[];
}

/** The heartbeat details of the attempt's open placeAndLaunch (or of a pre-issue-11 awaitOffer), if any. */
export function liveAttemptDetails(pending: readonly PendingActivity[] | null | undefined): LiveAttemptDetails | undefined {
  for (const a of pending ?? []) {
    if (a.type !== 'placeAndLaunch' && a.type !== 'awaitOffer') continue;
    const d = a.heartbeatDetails[0];
    if (d === null || d === undefined || typeof d !== 'object') return undefined;
    // awaitOffer heartbeated the bare waiting summary.
    return a.type === 'awaitOffer' ? { waiting: d as LiveAttemptDetails['waiting'] } : (d as LiveAttemptDetails);
  }
  return undefined;
}
