// Timings of the job workflow; the defaults suit production, tests shorten them.
export interface JobTuning {
  /** How long the first awaitOffer call waits before reporting why nothing fits (pre-issue-11 jobs only). */
  offerPollSeconds: number;
  /** Quiet time after which the task is reconciled explicitly (doubles while quiet, up to 15 min). */
  reconcileAfterSeconds: number;
  /** How long a task may stay TASK_UNREACHABLE before the attempt counts as lost. */
  unreachableBoundSeconds: number;
  /** How long past the kill grace period to wait for TASK_KILLED. */
  killWaitMarginSeconds: number;
  /** Heartbeat timeout of the session-bound activities (detects a dead session worker). */
  sessionActivityHeartbeatSeconds: number;
  /** How long placeAndLaunch waits after the launch for the first update past TASK_STARTING. */
  firstUpdateSeconds: number;
  /** While following a task, continue as new before the history reaches this many events (the live attempt carries over; history-bound.ts). */
  maxHistoryEvents: number;
}

export const defaultJobTuning: JobTuning = {
  offerPollSeconds: 30,
  reconcileAfterSeconds: 60,
  unreachableBoundSeconds: 300,
  killWaitMarginSeconds: 15,
  sessionActivityHeartbeatSeconds: 20,
  firstUpdateSeconds: 10,
  maxHistoryEvents: 1000,
};
