// Typed keys for the search attributes declared in search-attributes.ts.
import { defineSearchAttributeKey } from '@temporalio/common';

export const jobStatusKey = defineSearchAttributeKey('MesoflowJobStatus', 'KEYWORD');
export const labelsKey = defineSearchAttributeKey('MesoflowLabels', 'KEYWORD_LIST');
export const frameworkKey = defineSearchAttributeKey('MesoflowFramework', 'KEYWORD');
/** On every job of a batch: the batch's id (filter with `MesoflowBatchId = "<id>"`). */
export const batchIdKey = defineSearchAttributeKey('MesoflowBatchId', 'KEYWORD');
