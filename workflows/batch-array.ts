// What a batch's workflow needs of an array without the zod schema
// (batch-spec.ts): the workflow bundle must stay free of zod, because the
// SDK evaluates every bundled module again for each new workflow, and zod's
// module initialisation made starting 100 jobs at once take over a second
// of the worker's time before the first one reached its activity.

/** The environment variables every batch job gets (and the placeholders they provide). */
export const BATCH_ENV = { id: 'MESOFLOW_BATCH_ID', index: 'MESOFLOW_BATCH_INDEX', job: 'MESOFLOW_BATCH_JOB' } as const;

/** How many jobs an array expands to. */
export function arrayCount(a: { count?: number | undefined; parameters?: readonly unknown[] | undefined }): number {
  return a.count ?? a.parameters?.length ?? 0;
}
