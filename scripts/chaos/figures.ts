// The fault suite's figures (pure): from the jobs as the API shows them, the
// tasks the master reported (GET_TASKS, polled through the run because a
// failed-over master forgets completed tasks), the master's journal of
// accepted LAUNCHes and ACKNOWLEDGEs, and each job's Temporal history.
import type { ApiJob } from '../../api/schemas.js';
import { parseTaskId } from '../../workflows/task-id.js';
import type { FaultKind } from './schedule.js';

export interface JobRecord {
  id: string;
  /** The API accepted the submission. */
  submitted: boolean;
  /** The final view (undefined if it could not be read). */
  view: ApiJob | undefined;
}

export interface JournalLaunch {
  at: number;
  taskId: string;
}
export interface JournalAck {
  at: number;
  taskId: string;
  uuid: string;
}

/** A status update as Temporal recorded it in the job's history. */
export interface RecordedUpdate {
  uuid: string | undefined;
  /** The history event's time, ms since the epoch. */
  at: number;
  /**
   * Recorded by the attempt's placeAndLaunch activity: in its heartbeat
   * details first (the session ACKs after that heartbeat was accepted),
   * which the history shows only with the activity's completion, so `at` is
   * that later event's time.
   */
  viaActivity?: boolean;
}

export interface JobHistory {
  updates: RecordedUpdate[];
  /** When the workflow closed, ms since the epoch. */
  closedAt: number | undefined;
}

export interface FaultRecord {
  kind: FaultKind;
  /** When the fault was injected (the SIGKILL, the POST), ms since the epoch. */
  at: number;
  detail: string;
}

export interface FigureInput {
  jobs: JobRecord[];
  /** task id → every state GET_TASKS showed for it */
  masterTasks: Map<string, Set<string>>;
  launches: JournalLaunch[];
  acks: JournalAck[];
  histories: Map<string, JobHistory>;
  faults: FaultRecord[];
  wallMs: number;
}

export type Figure = [name: string, value: string | number];

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);
/** Attempt outcomes charged to the job's own retry budget (workflows/retry-decision.ts). */
const OWN_BUDGET = new Set(['failed', 'killed', 'error', 'timeout']);

function histogram(values: number[]): string {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k}:${n}`).join(' ') || '-';
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(1));

export function computeFigures(input: FigureInput): Figure[] {
  const ours = new Set(input.jobs.map((j) => j.id));
  const jobOf = (taskId: string): string | undefined => {
    const p = parseTaskId(taskId);
    return p && ours.has(p.workflowId) ? p.workflowId : undefined;
  };

  // Tasks per job: every task id the master accepted a LAUNCH for or listed.
  const tasksByJob = new Map<string, Set<string>>();
  const addTask = (taskId: string) => {
    const job = jobOf(taskId);
    if (job === undefined) return;
    let s = tasksByJob.get(job);
    if (!s) tasksByJob.set(job, (s = new Set()));
    s.add(taskId);
  };
  const launchCount = new Map<string, number>();
  for (const l of input.launches) {
    addTask(l.taskId);
    launchCount.set(l.taskId, (launchCount.get(l.taskId) ?? 0) + 1);
  }
  for (const t of input.masterTasks.keys()) addTask(t);

  const submitted = input.jobs.filter((j) => j.submitted);
  const status = (j: JobRecord) => j.view?.status;
  const succeeded = submitted.filter((j) => status(j) === 'SUCCEEDED').length;
  const stuck = submitted.filter((j) => !TERMINAL.has(status(j) ?? '')).length;
  const failed = submitted.length - succeeded - stuck;

  let attemptsInfra = 0;
  let attemptsOwn = 0;
  const attemptsPerJob: number[] = [];
  let unknownTasks = 0;
  let relaunchedAfterLoss = 0;
  const twice = new Set<string>();
  const lost: string[] = [];
  for (const j of submitted) {
    const attempts = j.view?.attempts ?? [];
    attemptsPerJob.push(attempts.length);
    for (const a of attempts) {
      if (a.outcome === 'infrastructure') attemptsInfra++;
      else if (a.outcome !== null && OWN_BUDGET.has(a.outcome)) attemptsOwn++;
    }
    const tasks = tasksByJob.get(j.id) ?? new Set<string>();
    if (tasks.size === 0) lost.push(j.id);
    const known = new Set(attempts.map((a) => a.taskId));
    for (const t of tasks) {
      if (!known.has(t)) {
        unknownTasks++;
        twice.add(j.id);
      }
      if ((launchCount.get(t) ?? 0) > 1) twice.add(j.id);
    }
    const finished = [...tasks].filter((t) => input.masterTasks.get(t)?.has('TASK_FINISHED')).length;
    if (finished > 1) twice.add(j.id);
    if (tasks.size > 1 && finished <= 1) relaunchedAfterLoss++;
  }
  const tasksPerJob = submitted.map((j) => tasksByJob.get(j.id)?.size ?? 0);
  const taskIdsLaunchedTwice = [...launchCount.entries()].filter(([t, n]) => n > 1 && jobOf(t) !== undefined).length;

  // ACKs against what Temporal recorded: an ACK is early when the job's
  // history has no taskUpdate signal with that uuid from before the ACK.
  // An ACK after the job closed is the session dropping an update for a job
  // that no longer runs (by design), counted apart.
  let acksOurs = 0;
  let ackedEarly = 0;
  let ackedAfterEnd = 0;
  let ackedViaActivity = 0;
  for (const a of input.acks) {
    const job = jobOf(a.taskId);
    if (job === undefined) continue;
    acksOurs++;
    const h = input.histories.get(job);
    const recorded = h?.updates.find((u) => u.uuid === a.uuid);
    if (recorded !== undefined && recorded.at <= a.at) continue;
    if (recorded?.viaActivity) {
      ackedViaActivity++;
      continue;
    }
    if (recorded === undefined && h?.closedAt !== undefined && h.closedAt <= a.at) ackedAfterEnd++;
    else ackedEarly++;
  }

  const figures: Figure[] = [
    ['jobs_submitted_count', submitted.length],
    ['jobs_not_submitted_count', input.jobs.length - submitted.length],
    ['jobs_succeeded_count', succeeded],
    ['jobs_failed_count', failed],
    ['jobs_stuck_count', stuck],
    ['attempts_per_job_histogram', histogram(attemptsPerJob)],
    ['attempts_infrastructure_count', attemptsInfra],
    ['attempts_charged_to_job_budget_count', attemptsOwn],
    ['tasks_per_job_histogram', histogram(tasksPerJob)],
    ['jobs_lost_count', lost.length],
    ['task_ids_launched_twice_count', taskIdsLaunchedTwice],
    ['tasks_unknown_to_their_job_count', unknownTasks],
    ['jobs_launched_twice_count', twice.size],
    ['jobs_relaunched_after_infrastructure_loss_count', relaunchedAfterLoss],
    ['status_updates_acked_count', acksOurs],
    ['status_updates_acked_after_job_ended_count', ackedAfterEnd],
    ['status_updates_recorded_by_activity_heartbeat_count', ackedViaActivity],
    ['status_updates_acked_before_recorded_count', ackedEarly],
  ];
  // Recovery: from each fault to the next LAUNCH the master accepted.
  const launchTimes = input.launches.map((l) => l.at).sort((a, b) => a - b);
  const nextLaunch = (t: number) => launchTimes.find((x) => x > t);
  const holderGaps: number[] = [];
  input.faults.forEach((f, i) => {
    const next = nextLaunch(f.at);
    const gap = next === undefined ? 'none' : seconds(next - f.at);
    figures.push([`fault_${i + 1}_${f.kind.replace(/-/g, '_')}_to_next_launch_s`, gap]);
    if (f.kind === 'holder-kill' && next !== undefined) holderGaps.push(next - f.at);
  });
  if (holderGaps.length > 0) figures.push(['holder_death_to_next_launch_max_s', seconds(Math.max(...holderGaps))]);
  figures.push(['wall_time_s', seconds(input.wallMs)]);
  figures.push(['jobs_lost_launched_twice_or_stuck_count', lost.length + twice.size + stuck + (input.jobs.length - submitted.length)]);
  return figures;
}

export function formatFigures(figures: Figure[]): string[] {
  return figures.map(([k, v]) => `${k}: ${v}`);
}

/** The figures the targets are about, for the reduced test and the exit code. */
export function violations(figures: Figure[]): string[] {
  const zeroes = [
    'jobs_not_submitted_count',
    'jobs_stuck_count',
    'jobs_lost_count',
    'jobs_launched_twice_count',
    'attempts_charged_to_job_budget_count',
    'status_updates_acked_before_recorded_count',
    'jobs_failed_count',
    // Added by run.ts: a mesoflow process that died without an injected fault.
    'processes_exited_unexpectedly_count',
  ];
  const byName = new Map(figures);
  return zeroes.filter((n) => byName.has(n) && byName.get(n) !== 0).map((n) => `${n} = ${byName.get(n)} (target 0)`);
}
