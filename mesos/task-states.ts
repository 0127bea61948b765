// The names of Mesos task states (spec §12.1) and which of them are
// terminal, as plain constants with no dependency: the zod schemas build
// their enum from them, and workflow code (whose bundle must stay free of
// zod) imports them directly.

export const taskStates = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;
export type TaskStateName = (typeof taskStates)[number];

/** Mesos's `isTerminalState`: TASK_LOST counts as terminal though a lost task can come back. */
export const terminalTaskStates = [
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
] as const satisfies readonly TaskStateName[];
export type TerminalTaskState = (typeof terminalTaskStates)[number];
