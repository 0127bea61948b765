// The one status vocabulary of a job: what the API returns, what the
// MesoflowJobStatus search attribute holds (so a list filters exactly), and
// the label of /metrics' job counts. Pure: the workflow bundle imports it.
export const jobStatuses = ['QUEUED', 'WAITING_FOR_OFFER', 'LAUNCHING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] as const;
export type ListedStatus = (typeof jobStatuses)[number];

/**
 * Search-attribute values written by jobs started before issue 11, for the
 * statuses that share them: a list filter also matches these.
 */
export const legacySearchStatuses: Partial<Record<ListedStatus, string[]>> = {
  QUEUED: ['WAITING'],
  WAITING_FOR_OFFER: ['WAITING'],
};

/** What a list row shows beyond the search attributes: kept in the memo, written once at the end. */
export interface JobMemo {
  specHash?: string;
  name?: string;
  exitCode?: number;
  message?: string;
  startedAt?: string;
}
