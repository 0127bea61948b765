// The workflows the worker registers (its workflowsPath points here).
export { jobWorkflow } from './job-workflow.js';
export { sessionWorkflow } from './session-workflow.js';
export { batchWorkflow } from './batch-workflow.js';
