// When a job run following a long task continues as new (pure): before its
// history passes the bound, not after. The workflow checks at every wake-up,
// and the check is made with the events one more step may add (the step's
// own events, a status signal or two, and the continue-as-new itself) in
// hand, so no run ends far past maxHistoryEvents. Temporal's own suggestion
// (history near its size or event limits) is heeded too.

/** What the workflow knows of its history at a wake-up (workflowInfo()). */
export interface HistoryNow {
  /** Events so far (the id of the workflow task being run). */
  historyLength: number;
  continueAsNewSuggested: boolean;
}

/**
 * Events one step of following a task adds before the next check, and the
 * end of the run. The longest step is a reconciliation: the completed task,
 * activity scheduled, started and completed, the answer's signal, the next
 * task scheduled and started (7). The end: the completed task, the patch's
 * marker and its upsert of TemporalChangeVersion, continued-as-new (4).
 * Measured (job-history test, maxHistoryEvents 24): runs of 24 and 26
 * events with 8 of headroom, the end's marker and upsert not counted.
 */
export const STEP_HEADROOM_EVENTS = 11;

/** The rule before issue 11's bound fix: continue once the limit was reached (kept for recorded histories). */
export function reachedLimit(h: HistoryNow, maxEvents: number): boolean {
  return h.historyLength >= maxEvents;
}

/** Continue now if one more step could take the run past `maxEvents`, or Temporal suggests it. */
export function shouldContinueAsNew(h: HistoryNow, maxEvents: number, headroom = STEP_HEADROOM_EVENTS): boolean {
  return h.continueAsNewSuggested || h.historyLength + headroom >= maxEvents;
}
