// The pure pieces of the framework session, on their own: the SUBSCRIBE
// identity, the re-subscribe decisions, the REVIVE pacing, how a status
// update becomes a signal, and what a reconciliation answer means.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkErrorEventError, MesosUnauthorizedError, SubscribeRefusedError } from '../../../mesos/client/index.js';
import { taskStatusSchema } from '../../../mesos/schemas/index.js';
import { silentLogger } from '../../../common/logger.js';
import { buildFrameworkInfo } from '../../../activities/session/framework-info.js';
import { classifySubscribeFailure, nextBackoff, unauthorizedBackoff, unauthorizedMessage, withJitter } from '../../../activities/session/subscription-loop.js';
import { FREED_MAX_MS, FREED_QUIET_MS, OfferRevival, freedReviveAt, reviveDelay } from '../../../activities/session/offer-revival.js';
import { toUpdateSignal } from '../../../activities/session/status-router.js';
import { masterDoesNotKnow, TaskProbes } from '../../../activities/session/task-probes.js';
import { KnownTasks } from '../../../activities/session/known-tasks.js';
import { WaitingJobs } from '../../../activities/session/waiting-jobs.js';
import type { Waiter } from '../../../activities/session/offer-book.js';

const who = { frameworkName: 'fw', user: 'u', roles: ['*'], failoverTimeoutSeconds: 600, partitionAware: false, principal: undefined };

test('FrameworkInfo: checkpointing, MULTI_ROLE, the stored id and the principal when there is one', () => {
  const fresh = buildFrameworkInfo(who, undefined, 'h1');
  assert.deepEqual(fresh, {
    user: 'u',
    name: 'fw',
    roles: ['*'],
    failover_timeout: 600,
    checkpoint: true,
    hostname: 'h1',
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }],
  });
  const again = buildFrameworkInfo({ ...who, partitionAware: true, principal: 'p' }, 'F-1', 'h1');
  assert.deepEqual(again.id, { value: 'F-1' });
  assert.equal(again.principal, 'p');
  assert.deepEqual(again.capabilities?.map((c) => c.type), ['MULTI_ROLE', 'TASK_KILLING_STATE', 'PARTITION_AWARE']);
});

test('subscribe failures: a failover elsewhere gives the session up, a removed framework starts afresh, the rest retries', () => {
  assert.equal(classifySubscribeFailure(new FrameworkErrorEventError('Framework failed over', 'F-1'), true), 'taken-over');
  // The text a real master sends when a removed framework id subscribes again (transcript 10-errors).
  const removed = new SubscribeRefusedError('Framework has been removed', 'http://m/api/v1/scheduler');
  assert.equal(classifySubscribeFailure(removed, true), 'forgotten');
  assert.equal(classifySubscribeFailure(removed, false), 'retry');
  assert.equal(classifySubscribeFailure(new Error('connection reset'), true), 'retry');
});

test('refused credentials (401): their own slow backoff and a message naming the principal and the settings', () => {
  const err = new MesosUnauthorizedError(401, '401 Unauthorized.', 'SUBSCRIBE', 'https://m1:5050/api/v1/scheduler', 'Basic realm="mesos-master-scheduler"');
  assert.equal(classifySubscribeFailure(err, true), 'unauthorized');
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 20].map(unauthorizedBackoff), [2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  const named = unauthorizedMessage(err, 'fw');
  assert.match(named, /https:\/\/m1:5050\/api\/v1\/scheduler refused the framework's credentials with HTTP 401 \(principal 'fw'\)/);
  assert.match(named, /MESOS_SECRET_FILE/);
  assert.match(unauthorizedMessage(err, undefined), /no credentials were sent.*set MESOS_PRINCIPAL/);
});

test('re-subscribe backoff doubles up to 10 s, with up to 30 % jitter', () => {
  assert.equal(nextBackoff(250), 500);
  assert.equal(nextBackoff(8000), 10_000);
  assert.equal(nextBackoff(10_000), 10_000);
  assert.equal(withJitter(1000, () => 0), 1000);
  assert.equal(withJitter(1000, () => 1), 1300);
});

test('REVIVE pacing: the first one soon, then at most four a second', () => {
  assert.equal(reviveDelay(0, 1_000_000), 20);
  assert.equal(reviveDelay(1000, 1100), 150);
  assert.equal(reviveDelay(1000, 1240), 20);
});

test('REVIVE after tasks ended: once their ends went quiet, bounded, paced like every REVIVE', () => {
  // A lone end: the quiet gap after it.
  assert.equal(freedReviveAt(10_000, 10_000, 0), 10_000 + FREED_QUIET_MS);
  // Ends keep coming: each pushes it back, but not past the bound after the first.
  assert.equal(freedReviveAt(10_000, 10_050, 0), 10_050 + FREED_QUIET_MS);
  assert.equal(freedReviveAt(10_000, 10_140, 0), 10_000 + FREED_MAX_MS);
  // A REVIVE went out just now: at most four a second.
  assert.equal(freedReviveAt(10_000, 10_000, 9_900), 10_150);
});

test('revival: the end of a task REVIVEs while jobs wait (the freed room comes at once), not when nobody waits', async () => {
  const calls: string[] = [];
  let waiting = 0;
  const stats = { revives: 0, suppresses: 0 };
  const r = new OfferRevival({
    suppressDelayMs: 60_000,
    isSubscribed: () => true,
    waiting: () => waiting,
    suppress: async () => void calls.push('SUPPRESS'),
    revive: async () => void calls.push('REVIVE'),
    stats,
    log: silentLogger,
  });
  r.onSubscribed();
  r.resourcesFreed();
  // Proof that the idle end was weighed and dropped: a later end with a waiter revives once, and only once.
  waiting = 2;
  r.resourcesFreed();
  r.resourcesFreed();
  await until(() => calls.length === 1);
  assert.deepEqual(calls, ['REVIVE']);
  waiting = 0;
  r.resourcesFreed();
  waiting = 1;
  r.evaluate(false);
  r.resourcesFreed();
  await until(() => calls.length === 2);
  assert.equal(stats.revives, 2);
  r.stop();
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition not reached within 5 s');
}

test('revival: SUPPRESS once nobody waits; a waiter then REVIVEs; nothing while unsubscribed', async () => {
  const calls: string[] = [];
  let waiting = 0;
  let subscribed = false;
  const stats = { revives: 0, suppresses: 0 };
  const r = new OfferRevival({
    suppressDelayMs: 1,
    isSubscribed: () => subscribed,
    waiting: () => waiting,
    suppress: async () => void calls.push('SUPPRESS'),
    revive: async () => void calls.push('REVIVE'),
    stats,
    log: silentLogger,
  });
  r.evaluate();
  subscribed = true;
  r.onSubscribed();
  r.evaluate();
  await until(() => calls.length === 1);
  assert.deepEqual(calls, ['SUPPRESS']);
  waiting = 1;
  r.evaluate(true);
  await until(() => calls.length === 2);
  assert.deepEqual(calls, ['SUPPRESS', 'REVIVE']);
  assert.deepEqual(stats, { revives: 1, suppresses: 1 });
  r.stop();
});

test('revival: a new job and the end of a task close together make one REVIVE, the next one paced', async () => {
  const calls: number[] = [];
  const stats = { revives: 0, suppresses: 0 };
  const r = new OfferRevival({
    suppressDelayMs: 60_000,
    isSubscribed: () => true,
    waiting: () => 1,
    suppress: async () => undefined,
    revive: async () => void calls.push(Date.now()),
    stats,
    log: silentLogger,
  });
  r.onSubscribed();
  // The job's REVIVE is armed for 20 ms from now, the task end's for 40 ms.
  r.evaluate(true);
  r.resourcesFreed();
  await until(() => calls.length === 2);
  assert.ok((calls[1] as number) - (calls[0] as number) >= 245, `REVIVEs ${(calls[1] as number) - (calls[0] as number)} ms apart`);
  r.stop();
});

// Reconciliation answers recorded from Mesos 1.12 (transcript 09-reconcile).
const unknownTask = taskStatusSchema.parse({
  task_id: { value: 'nope' },
  state: 'TASK_LOST',
  message: 'Reconciliation: Task is unknown',
  source: 'SOURCE_MASTER',
  reason: 'REASON_RECONCILIATION',
  timestamp: 1795532587.95,
});
const runningTask = taskStatusSchema.parse({
  task_id: { value: 'job-1.1' },
  state: 'TASK_RUNNING',
  message: 'Reconciliation: Latest task state',
  source: 'SOURCE_MASTER',
  reason: 'REASON_RECONCILIATION',
  agent_id: { value: 'A-S0' },
  timestamp: 1795532587.5,
});

test('a reconciliation answer says whether the master never heard of the task', () => {
  assert.equal(masterDoesNotKnow(unknownTask), true);
  assert.equal(masterDoesNotKnow(runningTask), false);
  assert.equal(masterDoesNotKnow({ ...unknownTask, reason: 'REASON_AGENT_REMOVED' }), false);
});

test('a status update becomes a signal with the fields Mesos sent, plus the host the session knows', () => {
  assert.deepEqual(toUpdateSignal(runningTask, 'host-a'), {
    taskId: 'job-1.1',
    state: 'TASK_RUNNING',
    timestamp: 1795532587.5,
    reason: 'REASON_RECONCILIATION',
    source: 'SOURCE_MASTER',
    message: 'Reconciliation: Latest task state',
    agentId: 'A-S0',
    hostname: 'host-a',
  });
  const { timestamp: _, ...noTime } = runningTask;
  const s = toUpdateSignal(noTime, undefined);
  assert.ok(s.timestamp > 0);
  assert.equal('hostname' in s, false);
});

test('probes: the next update of the task answers every probe of it; a lost subscription answers none', async () => {
  const p = new TaskProbes();
  const a = p.wait('job-1.1', 60_000);
  const b = p.wait('job-1.1', 60_000);
  const c = p.wait('other', 60_000);
  p.answer(runningTask);
  assert.equal(await a, runningTask);
  assert.equal(await b, runningTask);
  p.abandonAll();
  assert.equal(await c, undefined);
});

test('live tasks are reconciled and occupy their UNIQUE groups; ended ones do neither', () => {
  const tasks = new KnownTasks();
  tasks.launching('t1', { agentId: 'A1', hostname: 'h1', uniqueGroups: ['g'] });
  tasks.launching('t2', { agentId: 'A2', hostname: 'h2', uniqueGroups: ['g'] });
  tasks.launching('t3', { agentId: 'A3', hostname: 'h3', uniqueGroups: ['g'] });
  assert.deepEqual(tasks.updated({ task_id: { value: 't1' }, state: 'TASK_RUNNING', agent_id: { value: 'A1' } }), { hostname: 'h1', freed: false });
  // The end of a task frees its resources once: a repeated terminal update (not acknowledged in time) does not again.
  assert.deepEqual(tasks.updated({ task_id: { value: 't2' }, state: 'TASK_FINISHED' }), { hostname: 'h2', freed: true });
  assert.deepEqual(tasks.updated({ task_id: { value: 't2' }, state: 'TASK_FINISHED' }), { hostname: 'h2', freed: false });
  tasks.notLaunched('t3');
  assert.deepEqual(tasks.updated({ task_id: { value: 'nobody' }, state: 'TASK_RUNNING' }), { hostname: undefined, freed: false });
  assert.deepEqual(tasks.liveRefs(), [{ task_id: 't1', agent_id: 'A1' }]);
  assert.deepEqual(tasks.hostsInUse(), new Map([['g', new Set(['h1'])]]));
  tasks.ended('t2');
  assert.equal(tasks.size, 1);
  assert.equal(tasks.get('t1')?.state, 'TASK_RUNNING');
});

function waiter(taskId: string): Waiter {
  return { taskId, demand: { id: taskId, resources: { cpus: 0.1, mem: 32 } }, uniqueGroups: [], since: 0, resolve: () => undefined, abandon: () => undefined, seenOffers: new Set(), offersSeen: 0, reasons: new Map() };
}

test('waiting jobs: served in arrival order, a re-placed task first; statistics kept between polls for 10 min', () => {
  const jobs = new WaitingJobs();
  const a = waiter('a');
  jobs.add(a, false);
  jobs.add(waiter('b'), false);
  jobs.add(waiter('c'), true);
  assert.deepEqual([...jobs.waiters.keys()], ['c', 'a', 'b']);
  a.offersSeen = 7;
  jobs.remove(a, true, 1000);
  assert.deepEqual([...jobs.waiters.keys()], ['c', 'b']);
  assert.equal(jobs.takePrevious('a')?.offersSeen, 7);
  assert.equal(jobs.takePrevious('a'), undefined);
  jobs.remove(a, true, 1000);
  jobs.forgetIdle(1000 + 10 * 60_000 + 1);
  assert.equal(jobs.takePrevious('a'), undefined);
});
