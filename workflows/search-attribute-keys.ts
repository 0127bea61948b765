// Typed keys for the search attributes declared in search-attributes.ts.
import { defineSearchAttributeKey } from '@temporalio/common';

export const jobStatusKey = defineSearchAttributeKey('MesoflowJobStatus', 'KEYWORD');
export const labelsKey = defineSearchAttributeKey('MesoflowLabels', 'KEYWORD_LIST');
export const frameworkKey = defineSearchAttributeKey('MesoflowFramework', 'KEYWORD');
/** On every job of a batch: the batch's id (filter with `MesoflowBatchId = "<id>"`). */
export const batchIdKey = defineSearchAttributeKey('MesoflowBatchId', 'KEYWORD');

/**
 * What a job is listed with from its start (the starter sets these, so the
 * workflow need not upsert them): its status, framework and labels.
 */
/** Labels as the MesoflowLabels keyword list (`key=value`). */
export function labelKeywords(labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
}

export function startSearchAttributes(frameworkName: string, labels: Record<string, string> | undefined) {
  return [
    { key: jobStatusKey, value: 'WAITING_FOR_OFFER' },
    { key: frameworkKey, value: frameworkName },
    { key: labelsKey, value: labelKeywords(labels) },
  ] as const;
}
