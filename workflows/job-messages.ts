// The job workflow's typed signal and query, shared by the workflow and
// every client (API, CLI helpers, tests): no caller names them by string.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { PROGRESS_QUERY, TASK_UPDATE_SIGNAL, type TaskUpdateSignal } from '../activities/contract.js';
import type { JobProgress } from './progress.js';

export const taskUpdateSignal = defineSignal<[TaskUpdateSignal]>(TASK_UPDATE_SIGNAL);
export const progressQuery = defineQuery<JobProgress>(PROGRESS_QUERY);
