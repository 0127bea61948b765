// The contract of TemporalAccess: the SAME cases run against the gRPC
// implementation (@temporalio/client) and the HTTP one (fetch on the dev
// server's HTTP/JSON API), on the real dev server, with a real worker and
// devcluster for the job case. Each workflow is also read back through the
// other implementation, and both must see the same thing, so that the two
// cannot drift (payload encoding, status names, page tokens, errors).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PROGRESS_QUERY } from '../../../activities/contract.js';
import { searchAttributeEntries } from '../../../api/job-service.js';
import { runIdFor } from '../../../api/schedule-service.js';
import { TemporalError, type CreateScheduleRequest, type ScheduleDescription, type TemporalAccess, type WorkflowSummary } from '../../../api/temporal/access.js';
import { GrpcTemporalAccess } from '../../../api/temporal/grpc-access.js';
import { HttpTemporalAccess } from '../../../api/temporal/http-access.js';
import { jobSpec } from '../../../workflows/job-spec.js';
import { jobStartOptions } from '../../../workflows/job-start.js';
import type { JobWorkflowInput } from '../../../workflows/job-workflow.js';
import type { JobProgress } from '../../../workflows/progress.js';
import { fastTuning, startStack, type Stack } from '../jobs/stack.js';

let stack: Stack;
let impls: Record<'grpc' | 'http', TemporalAccess>;
/** A task queue no worker polls: workflows there stay RUNNING with their first task pending. */
const idleQueue = `idle-${randomUUID().slice(0, 8)}`;

before(async () => {
  stack = await startStack();
  impls = {
    grpc: new GrpcTemporalAccess(stack.client, stack.temporal.namespace),
    http: new HttpTemporalAccess({ baseUrl: `http://${stack.temporal.httpAddress}`, namespace: stack.temporal.namespace }),
  };
});
after(async () => {
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(150);
  }
}

/** Both implementations' view of a workflow, which must agree. */
async function describeBoth(id: string): Promise<WorkflowSummary> {
  const [g, h] = await Promise.all([impls.grpc.describeWorkflow(id), impls.http.describeWorkflow(id)]);
  assert.ok(g && h, `both describe ${id}`);
  assert.deepEqual(h, g, 'gRPC and HTTP describe the same workflow identically');
  return g;
}

/** Both implementations' view of a schedule, which must agree. */
async function describeScheduleBoth(id: string): Promise<ScheduleDescription> {
  const [g, h] = await Promise.all([impls.grpc.describeSchedule(id), impls.http.describeSchedule(id)]);
  assert.ok(g && h, `both describe schedule ${id}`);
  assert.deepEqual(h, g, 'gRPC and HTTP describe the same schedule identically');
  return g;
}

for (const name of ['grpc', 'http'] as const) {
  describe(`TemporalAccess over ${name}`, () => {
    const access = () => impls[name];
    const tag = () => `${name}-${randomUUID().slice(0, 8)}`;

    test('starts a workflow with args, memo, typed search attributes; a second start with the id is refused', async () => {
      const id = `contract-${tag()}`;
      const req = {
        workflowId: id,
        workflowType: 'jobWorkflow',
        taskQueue: idleQueue,
        // Empty arrays and objects inside payloads: the HTTP API's default "shorthand" JSON loses them.
        args: [{ text: 'héllo ✓', n: 1.5, list: [1, null, 'x'], empty: [], nested: { none: {}, lists: [[], [[]]] } }],
        memo: { specHash: 'abc', name: 'naïve', deep: { a: [], b: {} } },
        searchAttributes: [
          { name: 'MesoflowJobStatus', type: 'Keyword' as const, value: 'WAITING' },
          { name: 'MesoflowFramework', type: 'Keyword' as const, value: `fw-${id}` },
          { name: 'MesoflowLabels', type: 'KeywordList' as const, value: ['team=a', "q='x'"] },
        ],
      };
      const r = await access().startWorkflow(req);
      assert.equal(r.started, true);
      assert.ok(r.runId.length > 0);
      const s = await describeBoth(id);
      assert.equal(s.workflowId, id);
      assert.equal(s.runId, r.runId);
      assert.equal(s.type, 'jobWorkflow');
      assert.equal(s.status, 'RUNNING');
      assert.deepEqual(s.memo, { specHash: 'abc', name: 'naïve', deep: { a: [], b: {} } });
      assert.deepEqual(s.searchAttributes, { MesoflowJobStatus: 'WAITING', MesoflowFramework: `fw-${id}`, MesoflowLabels: ['team=a', "q='x'"] });
      assert.ok(Math.abs(s.startTime.getTime() - Date.now()) < 60_000);
      assert.equal(s.closeTime, undefined);
      // The arguments arrive exactly as given (the SDK decodes the start event's input).
      const history = await stack.client.workflow.getHandle(id).fetchHistory();
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      const { defaultPayloadConverter } = await import('@temporalio/common');
      assert.deepEqual(started?.input?.payloads?.map((p) => defaultPayloadConverter.fromPayload(p)), req.args);

      const again = await access().startWorkflow({ ...req, args: [{ other: true }] });
      assert.equal(again.started, false);
      await stack.client.workflow.getHandle(id).terminate('contract test over');
      const closed = await describeBoth(id);
      assert.equal(closed.status, 'TERMINATED');
      assert.ok(closed.closeTime instanceof Date);
      // Closed with REJECT_DUPLICATE (the default): still refused.
      assert.equal((await access().startWorkflow(req)).started, false);
    });

    test('a jobWorkflow started through it is run by the worker to success, and its progress query answers', async () => {
      const id = `contract-job-${tag()}`;
      const input: JobWorkflowInput = { spec: jobSpec({ command: 'echo contract; exit 0' }), frameworkName: stack.frameworkName, tuning: fastTuning };
      const r = await access().startWorkflow({ workflowId: id, workflowType: 'jobWorkflow', taskQueue: stack.taskQueue, args: [input] });
      assert.equal(r.started, true);
      const done = await until('job completes', async () => {
        const s = await access().describeWorkflow(id);
        return s && s.status !== 'RUNNING' ? s : undefined;
      });
      assert.equal(done.status, 'COMPLETED');
      const p = await access().queryWorkflow<JobProgress>(id, PROGRESS_QUERY, [], 20_000);
      assert.equal(p.phase, 'terminal');
      assert.equal(p.status, 'SUCCEEDED');
      assert.equal(p.jobId, id);
      assert.deepEqual(await impls[name === 'grpc' ? 'http' : 'grpc'].queryWorkflow(id, PROGRESS_QUERY, [], 20_000), p);
      await describeBoth(id);
    });

    test('lists by visibility query in bounded pages with a token both implementations accept; counts', async () => {
      const fw = `fw-list-${tag()}`;
      const ids = [0, 1, 2].map((i) => `contract-list-${fw}-${i}`);
      for (const id of ids) {
        await access().startWorkflow({
          workflowId: id,
          workflowType: 'jobWorkflow',
          taskQueue: idleQueue,
          args: [{}],
          searchAttributes: [{ name: 'MesoflowFramework', type: 'Keyword', value: fw }],
        });
      }
      const query = `WorkflowType = 'jobWorkflow' AND MesoflowFramework = '${fw}'`;
      assert.equal(await until('visibility shows all three', async () => ((await access().countWorkflows(query)) === 3 ? 3 : undefined)), 3);
      const first = await access().listWorkflows({ query, pageSize: 2 });
      assert.equal(first.executions.length, 2);
      assert.ok(first.nextPageToken, 'a first page of two of three has a token');
      assert.match(first.nextPageToken, /^[A-Za-z0-9_-]+$/, 'the token is base64url (safe in a URL)');
      // The token from one implementation works in the other: cursors survive a switch of deployment.
      const [own, other] = await Promise.all([
        access().listWorkflows({ query, pageSize: 2, pageToken: first.nextPageToken }),
        impls[name === 'grpc' ? 'http' : 'grpc'].listWorkflows({ query, pageSize: 2, pageToken: first.nextPageToken }),
      ]);
      assert.deepEqual(own, other);
      assert.equal(own.executions.length, 1);
      assert.equal(own.nextPageToken, null);
      assert.deepEqual([...first.executions, ...own.executions].map((e) => e.workflowId).sort(), [...ids].sort());
      const g = await impls.grpc.listWorkflows({ query, pageSize: 2 });
      assert.deepEqual(first, g, 'the same page through both');
      assert.equal(await access().countWorkflows(`${query} AND MesoflowJobStatus = 'nope'`), 0);
      for (const id of ids) await stack.client.workflow.getHandle(id).terminate('contract test over');
    });

    test('cancel and signal reach the workflow; unknown ids and bad input are typed errors', async () => {
      const id = `contract-cancel-${tag()}`;
      await access().startWorkflow({ workflowId: id, workflowType: 'jobWorkflow', taskQueue: idleQueue, args: [{}] });
      await access().signalWorkflow(id, 'poke', [{ n: 7, s: 'ü', none: [] }]);
      await access().cancelWorkflow(id);
      const events = (await stack.client.workflow.getHandle(id).fetchHistory()).events ?? [];
      const { defaultPayloadConverter } = await import('@temporalio/common');
      const signaled = events.find((e) => e.workflowExecutionSignaledEventAttributes)?.workflowExecutionSignaledEventAttributes;
      assert.equal(signaled?.signalName, 'poke');
      assert.deepEqual(signaled?.input?.payloads?.map((p) => defaultPayloadConverter.fromPayload(p)), [{ n: 7, s: 'ü', none: [] }]);
      assert.ok(events.some((e) => e.workflowExecutionCancelRequestedEventAttributes), 'a cancel request is in the history');

      const missing = `contract-missing-${tag()}`;
      assert.equal(await access().describeWorkflow(missing), undefined);
      await assert.rejects(access().cancelWorkflow(missing), (e: unknown) => e instanceof TemporalError && e.kind === 'not-found' && e.message.includes(missing));
      await assert.rejects(access().listWorkflows({ query: 'WorkflowType = ', pageSize: 5 }), (e: unknown) => e instanceof TemporalError && e.kind === 'invalid-argument');
      await assert.rejects(access().listWorkflows({ query: "WorkflowType = 'x'", pageSize: 5, pageToken: '' }), (e: unknown) => e instanceof TemporalError && e.kind === 'invalid-argument');

      // No worker polls idleQueue: the query cannot be answered, and says so within its deadline.
      const t0 = Date.now();
      await assert.rejects(access().queryWorkflow(id, PROGRESS_QUERY, [], 1500), (e: unknown) => e instanceof TemporalError && e.kind === 'timeout');
      assert.ok(Date.now() - t0 < 15_000, 'the query gave up near its deadline');
      await stack.client.workflow.getHandle(id).terminate('contract test over');
    });

    test('schedules: create with every field, describe alike through both, refuse a second create, list in pages, update (keeping or replacing the action), pause, matching times, backfill, delete', async () => {
      const id = `contract-sched-${tag()}`;
      const fw = `fw-${id}`;
      const startAt = new Date('2026-01-01T00:00:00Z');
      const req: CreateScheduleRequest = {
        scheduleId: id,
        spec: {
          cronStrings: ['0 2 * * * #cron: 0 2 * * *'],
          intervals: [{ everyMs: 5_400_000, offsetMs: 300_000 }],
          timezone: 'Europe/Berlin',
          startAt,
          jitterMs: 30_000,
        },
        action: {
          workflowId: id,
          workflowType: 'jobWorkflow',
          taskQueue: idleQueue,
          args: [{ spec: { command: 'x', empty: [], deep: { none: {} } }, n: 1.5, s: 'ü' }],
          memo: { specHash: 'abc', scheduleId: id, list: [] },
          searchAttributes: [
            { name: 'MesoflowJobStatus', type: 'Keyword', value: 'WAITING_FOR_OFFER' },
            { name: 'MesoflowFramework', type: 'Keyword', value: fw },
            { name: 'MesoflowLabels', type: 'KeywordList', value: ['team=a'] },
          ],
        },
        policies: { overlap: 'BUFFER_ONE', catchupWindowMs: 3_600_000, pauseOnFailure: true },
        state: { paused: true, note: 'made by the contract test', remainingActions: 3 },
        searchAttributes: [{ name: 'MesoflowFramework', type: 'Keyword', value: fw }],
      };
      await access().createSchedule(req);
      const d = await describeScheduleBoth(id);
      assert.equal(d.scheduleId, id);
      assert.deepEqual(d.spec.calendars.map((c) => c.comment), ['cron: 0 2 * * *']);
      assert.equal(d.spec.calendars[0]?.hour[0]?.start, 2);
      assert.deepEqual(d.spec.intervals, [{ everyMs: 5_400_000, offsetMs: 300_000 }]);
      assert.equal(d.spec.timezone, 'Europe/Berlin');
      assert.deepEqual(d.spec.startAt, startAt);
      assert.equal(d.spec.endAt, undefined);
      assert.equal(d.spec.jitterMs, 30_000);
      assert.deepEqual(d.action, {
        workflowId: id,
        workflowType: 'jobWorkflow',
        taskQueue: idleQueue,
        args: req.action.args,
        memo: req.action.memo,
        searchAttributes: { MesoflowJobStatus: 'WAITING_FOR_OFFER', MesoflowFramework: fw, MesoflowLabels: ['team=a'] },
      });
      assert.deepEqual(d.policies, { overlap: 'BUFFER_ONE', catchupWindowMs: 3_600_000, pauseOnFailure: true });
      assert.deepEqual(d.state, { paused: true, note: 'made by the contract test', remainingActions: 3 });
      assert.equal(d.info.numActionsTaken, 0);
      assert.ok(d.info.nextActionTimes.length > 0);
      assert.ok(Math.abs(d.info.createdAt.getTime() - Date.now()) < 60_000);

      await assert.rejects(access().createSchedule(req), (e: unknown) => e instanceof TemporalError && e.kind === 'already-exists');
      await assert.rejects(
        access().createSchedule({ ...req, scheduleId: `${id}-tz`, spec: { ...req.spec, timezone: 'Nowhere/Atlantis' } }),
        (e: unknown) => e instanceof TemporalError && e.kind === 'invalid-argument',
      );

      // A second schedule of the same framework: two pages of one, the token good for both implementations.
      await access().createSchedule({ ...req, scheduleId: `${id}-2`, state: { paused: true, note: undefined, remainingActions: undefined } });
      const query = `MesoflowFramework = '${fw}'`;
      const first = await until('visibility lists both schedules', async () => {
        const all = await access().listSchedules({ query, pageSize: 10 });
        return all.schedules.length === 2 ? access().listSchedules({ query, pageSize: 1 }) : undefined;
      });
      assert.equal(first.schedules.length, 1);
      assert.ok(first.nextPageToken);
      const [own, other] = await Promise.all([
        access().listSchedules({ query, pageSize: 1, pageToken: first.nextPageToken }),
        impls[name === 'grpc' ? 'http' : 'grpc'].listSchedules({ query, pageSize: 1, pageToken: first.nextPageToken }),
      ]);
      assert.deepEqual(own, other);
      const listed = [...first.schedules, ...own.schedules];
      assert.deepEqual(listed.map((s) => s.scheduleId).sort(), [id, `${id}-2`].sort());
      const row = listed.find((s) => s.scheduleId === id);
      assert.equal(row?.paused, true);
      assert.equal(row?.note, 'made by the contract test');
      assert.ok((row?.nextActionTimes.length ?? 0) > 0);

      // Update without an action keeps the action exactly; the spec, policies and state change.
      await access().updateSchedule({
        scheduleId: id,
        spec: { cronStrings: ['30 3 * * * #cron: 30 3 * * *'], intervals: [], timezone: 'UTC' },
        policies: { overlap: 'ALLOW_ALL', catchupWindowMs: 60_000, pauseOnFailure: false },
        state: { paused: true, note: 'updated', remainingActions: undefined },
      });
      const u = await describeScheduleBoth(id);
      assert.deepEqual(u.action, d.action, 'the action is kept as it was');
      assert.deepEqual(u.spec.calendars.map((c) => c.comment), ['cron: 30 3 * * *']);
      assert.deepEqual(u.spec.intervals, []);
      assert.equal(u.spec.timezone, 'UTC');
      assert.deepEqual(u.policies, { overlap: 'ALLOW_ALL', catchupWindowMs: 60_000, pauseOnFailure: false });
      assert.deepEqual(u.state, { paused: true, note: 'updated', remainingActions: undefined });
      assert.ok(u.info.lastUpdatedAt instanceof Date);
      // … and with one, replaces it.
      await access().updateSchedule({
        scheduleId: id,
        spec: { cronStrings: ['30 3 * * * #cron: 30 3 * * *'], intervals: [], timezone: 'UTC' },
        action: { ...req.action, args: [{ other: [] }], memo: { v: 2 }, searchAttributes: [] },
        policies: u.policies,
        state: u.state,
      });
      const replaced = await describeScheduleBoth(id);
      assert.deepEqual([replaced.action.args, replaced.action.memo, replaced.action.searchAttributes], [[{ other: [] }], { v: 2 }, {}]);

      await access().patchSchedule(id, { unpause: 'going' });
      assert.deepEqual((await describeScheduleBoth(id)).state, { paused: false, note: 'going', remainingActions: undefined });
      await access().patchSchedule(id, { pause: 'stopped' });
      assert.deepEqual((await describeScheduleBoth(id)).state, { paused: true, note: 'stopped', remainingActions: undefined });

      const times = await access().listScheduleMatchingTimes(id, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-03T12:00:00Z'));
      assert.deepEqual(
        times.map((t) => t.toISOString()),
        ['2026-03-01T03:30:00.000Z', '2026-03-02T03:30:00.000Z', '2026-03-03T03:30:00.000Z'],
      );
      assert.deepEqual(await impls[name === 'grpc' ? 'http' : 'grpc'].listScheduleMatchingTimes(id, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-03T12:00:00Z')), times);

      // A backfill of one past slot starts its run, named by the nominal time, even while paused.
      const slot = new Date('2026-03-02T03:30:00Z');
      await access().patchSchedule(id, { backfill: [{ start: new Date(slot.getTime() - 500), end: slot, overlap: 'ALLOW_ALL' }] });
      const run = runIdFor(id, slot);
      const started = await until('the backfilled run exists', () => access().describeWorkflow(run));
      assert.equal(started.type, 'jobWorkflow');
      assert.deepEqual(started.memo, { v: 2 });
      await stack.client.workflow.getHandle(run).terminate('contract test over');

      await access().deleteSchedule(id);
      await access().deleteSchedule(`${id}-2`);
      assert.equal(await access().describeSchedule(id), undefined);
      await assert.rejects(access().deleteSchedule(id), (e: unknown) => e instanceof TemporalError && e.kind === 'not-found');
      await assert.rejects(access().patchSchedule(id, { pause: 'x' }), (e: unknown) => e instanceof TemporalError && e.kind === 'not-found');
    });

    test('a scheduled job (the action as the API builds it) triggered through it is run by the worker to success, with its memo and search attributes', async () => {
      const id = `contract-sjob-${tag()}`;
      const o = jobStartOptions({ jobId: id, spec: jobSpec({ command: 'echo scheduled; exit 0', labels: { team: 'sched' } }), frameworkName: stack.frameworkName, taskQueue: stack.taskQueue, tuning: fastTuning });
      await access().createSchedule({
        scheduleId: id,
        spec: { cronStrings: ['0 0 1 1 * #cron: 0 0 1 1 *'], intervals: [], timezone: 'UTC' },
        action: {
          workflowId: id,
          workflowType: o.workflowType,
          taskQueue: o.taskQueue,
          args: o.args,
          memo: { ...o.memo, scheduleId: id },
          searchAttributes: searchAttributeEntries(o.typedSearchAttributes),
        },
        policies: { overlap: 'SKIP', pauseOnFailure: false },
        state: { paused: false, note: undefined, remainingActions: undefined },
      });
      await access().patchSchedule(id, { trigger: { overlap: 'ALLOW_ALL' } });
      const runId = await until('the schedule took its action', async () => (await access().describeSchedule(id))?.info.recentActions[0]?.workflowId);
      assert.ok(runId.startsWith(`${id}-`), runId);
      const done = await until('the scheduled job completes', async () => {
        const s = await access().describeWorkflow(runId);
        return s && s.status !== 'RUNNING' ? s : undefined;
      });
      assert.equal(done.status, 'COMPLETED');
      const p = await access().queryWorkflow<JobProgress>(runId, PROGRESS_QUERY, [], 20_000);
      assert.equal(p.status, 'SUCCEEDED');
      const s = await describeBoth(runId);
      assert.deepEqual(s.memo, { ...o.memo, scheduleId: id });
      assert.equal(s.searchAttributes.MesoflowFramework, stack.frameworkName);
      assert.deepEqual(s.searchAttributes.MesoflowLabels, ['team=sched']);
      assert.equal(s.searchAttributes.MesoflowJobStatus, 'SUCCEEDED');
      await access().deleteSchedule(id);
    });
  });
}

test('both: the frontend is reachable; the session workflow is described alike, its held activity and its heartbeat details included', async () => {
  await impls.grpc.checkReachable(5000);
  await impls.http.checkReachable(5000);
  const { sessionWorkflowId } = await import('../../../activities/contract.js');
  // Subscribed: the held activity heartbeats the framework id (stable from then on, so both reads see the same details).
  const s = await until('the session activity heartbeats its framework id', async () => {
    const d = await impls.http.describeWorkflow(sessionWorkflowId(stack.frameworkName));
    const held = d?.pendingActivities.find((a) => a.type === 'holdSession' && a.started);
    const details = held?.heartbeatDetails[0] as { frameworkId?: unknown } | undefined;
    return typeof details?.frameworkId === 'string' ? d : undefined;
  });
  assert.equal(s.status, 'RUNNING');
  const g = await impls.grpc.describeWorkflow(sessionWorkflowId(stack.frameworkName));
  assert.deepEqual(g?.pendingActivities, s.pendingActivities);
});

test('HTTP access: an unreachable endpoint is `unavailable`, naming the URL', async () => {
  const dead = new HttpTemporalAccess({ baseUrl: 'http://127.0.0.1:9', namespace: 'default', timeoutMs: 5000 });
  await assert.rejects(dead.describeWorkflow('x'), (e: unknown) => e instanceof TemporalError && e.kind === 'unavailable' && e.message.includes('127.0.0.1:9'));
  await assert.rejects(dead.checkReachable(2000), (e: unknown) => e instanceof TemporalError && e.kind === 'unavailable');
});
