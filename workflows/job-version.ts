// Kept apart from job-workflow.ts so that starters (the API, the start-options
// builder, schedules) can name it without importing the workflow code.
/**
 * The generation of the job's steps, chosen by its starter (every starter in
 * this project sets it: the API, startJob, the start-options builder). A job
 * without it was started before issue 11, or by a starter that does not know
 * the field: it runs jobWorkflowV1, so histories recorded before the change
 * replay and jobs in flight at an upgrade finish. Chosen by input rather
 * than by patched(): a patch costs every job a marker and an upsert of
 * TemporalChangeVersion (two events, one billable action) forever.
 */
export const JOB_STEPS_VERSION = 2;
