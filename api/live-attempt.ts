// What the open activity of a job's attempt heartbeated (why it waits, a
// launch under way, a starting task's updates), read from the pending
// activities DescribeWorkflowExecution returns with the rest.
import { defaultPayloadConverter } from '@temporalio/common';
import type { LiveAttemptDetails } from '../workflows/progress.js';

export interface PendingActivity {
  activityType?: { name?: string | null } | null;
  heartbeatDetails?: { payloads?: Array<Parameters<typeof defaultPayloadConverter.fromPayload>[0]> | null } | null;
}

/** The heartbeat details of the attempt's open placeAndLaunch (or of a pre-issue-11 awaitOffer), if any. */
export function liveAttemptDetails(pending: readonly PendingActivity[] | null | undefined): LiveAttemptDetails | undefined {
  for (const a of pending ?? []) {
    const type = a.activityType?.name;
    if (type !== 'placeAndLaunch' && type !== 'awaitOffer') continue;
    const payload = a.heartbeatDetails?.payloads?.[0];
    if (!payload) return undefined;
    try {
      const d = defaultPayloadConverter.fromPayload<unknown>(payload);
      if (d === null || typeof d !== 'object') return undefined;
      // awaitOffer heartbeated the bare waiting summary.
      return type === 'awaitOffer' ? { waiting: d as LiveAttemptDetails['waiting'] } : (d as LiveAttemptDetails);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
