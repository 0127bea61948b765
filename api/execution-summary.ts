// A listed workflow (the raw visibility record of ListWorkflowExecutions)
// read into the same summary describe() gives, with public SDK pieces only:
// the client's payload converter for memo and search attributes, and
// TypedSearchAttributes for the typed keys. The API lists through the raw
// service call because the SDK's list() does not hand out page tokens,
// which the API's cursor carries.
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import type { Client, WorkflowExecutionInfo, WorkflowExecutionStatusName } from '@temporalio/client';
import { batchIdKey, jobStatusKey, labelsKey } from '../workflows/search-attribute-keys.js';
import { timestampToDate } from './proto-time.js';

/** What both describe() and the list tell of a workflow. */
export type ExecutionSummary = Pick<WorkflowExecutionInfo, 'type' | 'workflowId' | 'status' | 'memo' | 'typedSearchAttributes' | 'startTime' | 'closeTime'>;

type ListResponse = Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>>;
export type RawExecution = NonNullable<ListResponse['executions']>[number];
type PayloadConverter = Client['options']['loadedDataConverter']['payloadConverter'];

// temporal.api.enums.v1.WorkflowExecutionStatus, by number.
const statusNames: WorkflowExecutionStatusName[] = ['UNSPECIFIED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT', 'PAUSED'];


/** The typed search attributes the API reads (job status, labels, batch id); others are left out. */
const readKeys = [jobStatusKey, labelsKey, batchIdKey] as const;

export function summaryFromRaw(raw: RawExecution, converter: PayloadConverter): ExecutionSummary {
  const code = Number(raw.status ?? 0);
  const memo: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(raw.memo?.fields ?? {})) memo[k] = converter.fromPayload(p);
  const indexed = raw.searchAttributes?.indexedFields ?? {};
  const pairs: SearchAttributePair[] = [];
  for (const key of readKeys) {
    const p = indexed[key.name];
    if (p === undefined || p === null) continue;
    const value: unknown = converter.fromPayload(p);
    if (value !== null && value !== undefined) pairs.push({ key, value } as SearchAttributePair);
  }
  const startTime = timestampToDate(raw.startTime);
  if (startTime === undefined) throw new Error(`visibility record of ${raw.execution?.workflowId ?? '?'} has no start time`);
  return {
    type: raw.type?.name ?? '',
    workflowId: raw.execution?.workflowId ?? '',
    status: { code, name: statusNames[code] ?? 'UNKNOWN' } as WorkflowExecutionInfo['status'],
    memo,
    typedSearchAttributes: new TypedSearchAttributes(pairs),
    startTime,
    closeTime: timestampToDate(raw.closeTime),
  };
}
