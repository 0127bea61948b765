// The fault suite's pure parts: the schedule and the figures, checked on
// hand-built runs where each violation is planted once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchedule, describeSchedule } from '../../../scripts/chaos/schedule.js';
import { computeFigures, violations, type FigureInput, type JobRecord } from '../../../scripts/chaos/figures.js';
import type { ApiJob } from '../../../api/schemas.js';

test('the schedule interleaves the kinds, alternates the worker kills and spaces the faults evenly', () => {
  const s = buildSchedule({ counts: { 'worker-kill': 3, 'holder-kill': 1, 'master-failover': 1 }, firstAtMs: 1000, spacingMs: 500 });
  assert.deepEqual(
    s.map((f) => [f.atMs, f.kind, f.worker]),
    [
      [1000, 'worker-kill', 0],
      [1500, 'holder-kill', undefined],
      [2000, 'master-failover', undefined],
      [2500, 'worker-kill', 1],
      [3000, 'worker-kill', 0],
    ],
  );
  assert.match(describeSchedule(s)[0] ?? '', /^fault 1 at \+1 s: worker-kill \(worker-1 preferred\): SIGKILL/);
  assert.deepEqual(buildSchedule({ counts: {}, firstAtMs: 0, spacingMs: 1 }), []);
});

function job(id: string, status: ApiJob['status'], attempts: Array<{ n: number; outcome: string | null }>): JobRecord {
  const view = {
    id,
    status,
    attempts: attempts.map((a) => ({ attempt: a.n, taskId: `${id}.${a.n}`, outcome: a.outcome })),
  } as unknown as ApiJob;
  return { id, submitted: true, view };
}

function cleanRun(): FigureInput {
  return {
    jobs: [job('a', 'SUCCEEDED', [{ n: 1, outcome: 'succeeded' }]), job('b', 'SUCCEEDED', [{ n: 1, outcome: 'infrastructure' }, { n: 2, outcome: 'succeeded' }])],
    masterTasks: new Map([
      ['a.1', new Set(['TASK_RUNNING', 'TASK_FINISHED'])],
      ['b.1', new Set(['TASK_RUNNING', 'TASK_GONE_BY_OPERATOR'])],
      ['b.2', new Set(['TASK_FINISHED'])],
      ['someone-else.1', new Set(['TASK_FINISHED'])],
    ]),
    launches: [
      { at: 100, taskId: 'a.1' },
      { at: 200, taskId: 'b.1' },
      { at: 900, taskId: 'b.2' },
    ],
    acks: [
      { at: 150, taskId: 'a.1', uuid: 'u1' },
      { at: 160, taskId: 'a.1', uuid: 'u2' },
    ],
    histories: new Map([
      ['a', { updates: [{ uuid: 'u1', at: 140 }, { uuid: 'u2', at: 155 }], closedAt: 170 }],
      ['b', { updates: [], closedAt: 1000 }],
    ]),
    faults: [{ kind: 'holder-kill', at: 500, detail: 'worker-1' }],
    wallMs: 2000,
  };
}

const byName = (input: FigureInput) => new Map(computeFigures(input));

test('a clean run: every target met, the infrastructure retry counted apart, recovery timed to the next launch', () => {
  const figures = computeFigures(cleanRun());
  const f = new Map(figures);
  assert.deepEqual(violations(figures), []);
  assert.equal(f.get('jobs_succeeded_count'), 2);
  assert.equal(f.get('attempts_per_job_histogram'), '1:1 2:1');
  assert.equal(f.get('tasks_per_job_histogram'), '1:1 2:1');
  assert.equal(f.get('attempts_infrastructure_count'), 1);
  assert.equal(f.get('jobs_relaunched_after_infrastructure_loss_count'), 1);
  assert.equal(f.get('status_updates_acked_count'), 2);
  assert.equal(f.get('fault_1_holder_kill_to_next_launch_s'), 0.4);
  assert.equal(f.get('holder_death_to_next_launch_max_s'), 0.4);
  assert.deepEqual(figures.at(-1), ['jobs_lost_launched_twice_or_stuck_count', 0]);
});

test('an ACK before Temporal recorded the update, or of an update it never recorded, is counted', () => {
  const early = cleanRun();
  early.histories.set('a', { updates: [{ uuid: 'u1', at: 151 }, { uuid: 'u2', at: 155 }], closedAt: 170 });
  assert.equal(byName(early).get('status_updates_acked_before_recorded_count'), 1);
  const never = cleanRun();
  never.histories.set('a', { updates: [{ uuid: 'u1', at: 140 }], closedAt: 170 });
  assert.equal(byName(never).get('status_updates_acked_before_recorded_count'), 1);
  // After the job closed, an unrecorded ACK is the session dropping an update for an ended job.
  const afterEnd = cleanRun();
  afterEnd.histories.set('a', { updates: [{ uuid: 'u1', at: 140 }], closedAt: 158 });
  const f = byName(afterEnd);
  assert.equal(f.get('status_updates_acked_before_recorded_count'), 0);
  assert.equal(f.get('status_updates_acked_after_job_ended_count'), 1);
});

test("an update the attempt's activity recorded (heartbeat first, shown at its completion) is not early; a signal shown later is", () => {
  const viaActivity = cleanRun();
  viaActivity.histories.set('a', { updates: [{ uuid: 'u1', at: 140 }, { uuid: 'u2', at: 165, viaActivity: true }], closedAt: 170 });
  const f = byName(viaActivity);
  assert.equal(f.get('status_updates_acked_before_recorded_count'), 0);
  assert.equal(f.get('status_updates_recorded_by_activity_heartbeat_count'), 1);
  const signalLater = cleanRun();
  signalLater.histories.set('a', { updates: [{ uuid: 'u1', at: 140 }, { uuid: 'u2', at: 165 }], closedAt: 170 });
  assert.equal(byName(signalLater).get('status_updates_acked_before_recorded_count'), 1);
});

test('lost, launched twice, stuck and budget-charged jobs each break the targets', () => {
  const lost = cleanRun();
  lost.launches = lost.launches.filter((l) => l.taskId !== 'a.1');
  lost.masterTasks.delete('a.1');
  assert.equal(byName(lost).get('jobs_lost_count'), 1);

  const relaunched = cleanRun();
  relaunched.launches.push({ at: 300, taskId: 'a.1' });
  assert.equal(byName(relaunched).get('task_ids_launched_twice_count'), 1);
  assert.equal(byName(relaunched).get('jobs_launched_twice_count'), 1);

  const unknown = cleanRun();
  unknown.masterTasks.set('a.2', new Set(['TASK_RUNNING']));
  assert.equal(byName(unknown).get('tasks_unknown_to_their_job_count'), 1);

  const finishedTwice = cleanRun();
  finishedTwice.masterTasks.set('b.1', new Set(['TASK_FINISHED']));
  assert.equal(byName(finishedTwice).get('jobs_launched_twice_count'), 1);

  const stuck = cleanRun();
  stuck.jobs[0] = job('a', 'RUNNING', [{ n: 1, outcome: null }]);
  const budget = cleanRun();
  budget.jobs[1] = job('b', 'SUCCEEDED', [{ n: 1, outcome: 'failed' }, { n: 2, outcome: 'succeeded' }]);
  for (const [input, name] of [
    [lost, 'jobs_lost_count'],
    [relaunched, 'jobs_launched_twice_count'],
    [stuck, 'jobs_stuck_count'],
    [budget, 'attempts_charged_to_job_budget_count'],
  ] as const) {
    const figures = computeFigures(input);
    assert.ok(violations(figures).some((v) => v.startsWith(name)), `${name}: ${violations(figures).join('; ')}`);
  }
  assert.equal(new Map(computeFigures(stuck)).get('jobs_lost_launched_twice_or_stuck_count'), 1);
});
