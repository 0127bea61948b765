// What the schemas reject (with the path of the field) and what they
// tolerate (unknown event types and enum values, Mesos' lenient scalars).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MesosSchemaError,
  callSchema,
  eventTypes,
  isKnownEvent,
  isTerminalTaskState,
  parseCall,
  parseEvent,
  parseMesos,
  resourceSchema,
  safeParseEvent,
  stringifyMesosJson,
  taskStates,
  taskStatusReasons,
  terminalTaskStates,
  type AcceptCall,
  type Call,
  type Event,
  type SubscribeCall,
  type TaskState,
  type UpdateEvent,
} from '../../../mesos/schemas/index.js';

function rejects(fn: () => unknown, path: string, what?: string): MesosSchemaError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof MesosSchemaError, `expected a MesosSchemaError, got ${String(caught)}`);
  assert.ok(caught.paths.includes(path), `${caught.message} should name ${path}`);
  assert.ok(caught.message.includes(path), caught.message);
  if (what) assert.equal(caught.what, what);
  return caught;
}

const fid = { value: '3fd74b6a-b45a-4bd0-a26f-c3966b1a0881-0320' };
const aid = { value: 'eab525ee-5e1f-45be-bf32-1db6aa37e62d-S0' };

// Fresh objects every time: tests below mutate them.
const runningUpdate = () => structuredClone({
  type: 'UPDATE',
  update: {
    status: {
      task_id: { value: 't1' },
      state: 'TASK_RUNNING',
      source: 'SOURCE_EXECUTOR',
      agent_id: aid,
      executor_id: { value: 't1' },
      timestamp: 1795532553.6952083,
      uuid: '/X8EoHIASK+k046lC32mNw==',
      container_status: {
        container_id: { value: 'badc06b6-b524-4345-b64a-63939405220a' },
        network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '127.0.0.1' }] }],
        executor_pid: 24156,
      },
    },
  },
});

const accept = (resources: unknown[]) => structuredClone({
  type: 'ACCEPT',
  framework_id: fid,
  accept: {
    offer_ids: [{ value: 'M-O1' }],
    operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't' }, agent_id: aid, resources, command: { value: 'true' } }] } }],
    filters: { refuse_seconds: 5 },
  },
});

test('SUBSCRIBE without framework_info.user names subscribe.framework_info.user', () => {
  const err = rejects(
    () => parseCall({ type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x' } } }),
    'subscribe.framework_info.user',
    'scheduler Call SUBSCRIBE',
  );
  assert.match(err.message, /^Invalid scheduler Call SUBSCRIBE: subscribe\.framework_info\.user: required field missing/);
  assert.ok(err.issues.length >= 1);
  // Both missing fields are listed, as Mesos lists them.
  const both = rejects(() => parseCall({ type: 'SUBSCRIBE', subscribe: { framework_info: {} } }), 'subscribe.framework_info.name');
  assert.deepEqual(both.paths, ['subscribe.framework_info.user', 'subscribe.framework_info.name']);
});

test('a Resource with type "FOO" is rejected at its path', () => {
  rejects(() => parseCall(accept([{ name: 'cpus', type: 'FOO', scalar: { value: 1 } }])), 'accept.operations[0].launch.task_infos[0].resources[0].type');
  rejects(() => parseMesos(resourceSchema, { name: 'cpus', type: 'FOO' }, 'Resource'), 'type', 'Resource');
  rejects(() => parseMesos(resourceSchema, { type: 'SCALAR' }, 'Resource'), 'name');
  rejects(() => parseMesos(resourceSchema, { name: 'cpus', type: 'SCALAR', scalar: {} }, 'Resource'), 'scalar.value');
  rejects(() => parseMesos(resourceSchema, { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1 }] } }, 'Resource'), 'ranges.range[0].end');
});

test('an enum given as a number is rejected (TaskStatus.state, Call.type, Resource.type)', () => {
  const ev = runningUpdate() as { update: { status: Record<string, unknown> } };
  ev.update.status.state = 1;
  rejects(() => parseEvent(ev), 'update.status.state', 'scheduler Event UPDATE');
  rejects(() => parseCall({ type: 1, subscribe: { framework_info: { user: 'u', name: 'n' } } }), 'type');
  rejects(() => parseCall(accept([{ name: 'cpus', type: 0, scalar: { value: 1 } }])), 'accept.operations[0].launch.task_infos[0].resources[0].type');
  // Open (optional) enums reject numbers too, but keep unknown names.
  const ev2 = runningUpdate() as { update: { status: Record<string, unknown> } };
  ev2.update.status.reason = 9;
  rejects(() => parseEvent(ev2), 'update.status.reason');
});

test('a malformed UPDATE is an error with a path, never a crash and never an unknown event', () => {
  const cases: Array<[(s: Record<string, unknown>, u: Record<string, unknown>) => void, string]> = [
    [(s) => delete s.task_id, 'update.status.task_id'],
    [(s) => (s.task_id = 'abc'), 'update.status.task_id'],
    [(s) => (s.task_id = { value: 7 }), 'update.status.task_id.value'],
    [(s) => (s.state = 'TASK_EXPLODED'), 'update.status.state'],
    [(s) => delete s.state, 'update.status.state'],
    [(s) => (s.timestamp = 'yesterday'), 'update.status.timestamp'],
    [(s) => (s.uuid = 'ab-_ab-_ab-_ab-_ab-_ag=='), 'update.status.uuid'],
    [(s) => (s.container_status = { executor_pid: -1 }), 'update.status.container_status.executor_pid'],
    [(s) => (s.agent_id = []), 'update.status.agent_id'],
    [(_s, u) => (u.status = 'broken'), 'update.status'],
    [(_s, u) => delete u.status, 'update.status'],
  ];
  for (const [mutate, path] of cases) {
    const ev = runningUpdate() as unknown as { update: { status: Record<string, unknown> } & Record<string, unknown> };
    mutate(ev.update.status, ev.update);
    const r = safeParseEvent(ev);
    assert.ok(!r.success, path);
    assert.ok(r.error.paths.includes(path), `${r.error.message} should name ${path}`);
    rejects(() => parseEvent(ev), path);
  }
  rejects(() => parseEvent({ type: 'UPDATE' }), 'update');
  // The error says which task the bad update was about.
  const ev = runningUpdate() as { update: { status: Record<string, unknown> } };
  ev.update.status.state = 'TASK_EXPLODED';
  const err = rejects(() => parseEvent(ev), 'update.status.state');
  assert.deepEqual(err.ids, { task_id: 't1', agent_id: aid.value, executor_id: 't1', uuid: '/X8EoHIASK+k046lC32mNw==' });
  assert.match(err.message, /^Invalid scheduler Event UPDATE \(task_id=t1, agent_id=eab525ee-5e1f-45be-bf32-1db6aa37e62d-S0, executor_id=t1, uuid=\/X8EoHIASK\+k046lC32mNw==\): update\.status\.state: /);
  rejects(() => parseEvent({ type: 'UPDATE', update: null }), 'update');
});

test('random damage to an UPDATE never throws anything but MesosSchemaError', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const junk = [null, undefined, 0, -1, 1.5, 'x', '', true, [], {}, [1], { value: 1 }, 2n ** 70n];
  const nodes = (v: unknown, acc: Array<Record<string, unknown> | unknown[]> = []) => {
    if (v !== null && typeof v === 'object') {
      acc.push(v as Record<string, unknown>);
      for (const c of Object.values(v)) nodes(c, acc);
    }
    return acc;
  };
  for (let i = 0; i < 500; i++) {
    const ev = runningUpdate();
    const all = nodes(ev);
    for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
      const target = all[Math.floor(rnd() * all.length)] as Record<string, unknown>;
      const keys = Object.keys(target);
      const key = keys[Math.floor(rnd() * keys.length)];
      if (key === undefined) continue;
      if (rnd() < 0.3) delete target[key];
      else target[key] = junk[Math.floor(rnd() * junk.length)];
    }
    const r = safeParseEvent(ev);
    if (!r.success) {
      assert.ok(r.error instanceof MesosSchemaError);
      assert.ok(r.error.paths.length > 0);
    }
  }
});

test('the error message lists at most 10 problems', () => {
  const resources = Array.from({ length: 50 }, () => ({ name: 'cpus', type: 'FOO' }));
  const err = rejects(() => parseCall(accept(resources)), 'accept.operations[0].launch.task_infos[0].resources[0].type');
  assert.ok(err.paths.includes('accept.operations[0].launch.task_infos[0].resources[49].type'));
  assert.equal(err.issues.length, 50);
  assert.equal(err.paths.length, 50);
  assert.match(err.message, /\.\.\. and 40 more$/);
});

test('unknown event types parse to a generic event that keeps everything', () => {
  const future = { type: 'FUTURE_THING', future_thing: { a: 1, nested: { b: [1, 2] } }, extra: 'x' };
  const ev = parseEvent(future);
  assert.equal(isKnownEvent(ev), false);
  assert.deepEqual(ev, future);
  assert.equal(stringifyMesosJson(ev), JSON.stringify(future));
  assert.deepEqual(parseEvent({ type: 'UNKNOWN' }), { type: 'UNKNOWN' });
  rejects(() => parseEvent({ future_thing: {} }), 'type');
  rejects(() => parseEvent({ type: 8 }), 'type');
  for (const bad of [null, 'HEARTBEAT', [], 42]) assert.ok(!safeParseEvent(bad).success);
});

test('every known event type is recognised', () => {
  assert.equal(eventTypes.length, 11);
  assert.equal(isKnownEvent(parseEvent({ type: 'HEARTBEAT' })), true);
  assert.equal(isKnownEvent(parseEvent({ type: 'ERROR', error: { message: 'Framework failed over' } })), true);
  rejects(() => parseEvent({ type: 'ERROR', error: {} }), 'error.message');
  rejects(() => parseEvent({ type: 'RESCIND', rescind: {} }), 'rescind.offer_id');
  rejects(() => parseEvent({ type: 'SUBSCRIBED', subscribed: { heartbeat_interval_seconds: 15 } }), 'subscribed.framework_id');
  rejects(() => parseEvent({ type: 'OFFERS', offers: { offers: [{ id: { value: 'o' } }] } }), 'offers.offers[0].framework_id');
});

test('unknown values of optional enums are kept (newer Mesos), known ones typed', () => {
  const ev = runningUpdate() as { update: { status: Record<string, unknown> } };
  ev.update.status.reason = 'REASON_FROM_THE_FUTURE';
  ev.update.status.source = 'SOURCE_SOMETHING_NEW';
  const parsed = parseEvent(ev);
  assert.ok(isKnownEvent(parsed) && parsed.type === 'UPDATE');
  assert.equal(parsed.update.status.reason, 'REASON_FROM_THE_FUTURE');
  assert.equal(parsed.update.status.source, 'SOURCE_SOMETHING_NEW');
  // Capabilities Mesos 1.11 printed as `{}` (a value its proto lacked).
  parseEvent({
    type: 'SUBSCRIBED',
    subscribed: { framework_id: fid, master_info: { id: 'm', ip: 16777343, port: 5050, capabilities: [{ type: 'AGENT_UPDATE' }, {}] } },
  });
});

test('null means "not set", as in Mesos', () => {
  const call = parseCall({ type: 'SUBSCRIBE', framework_id: null, subscribe: { framework_info: { user: 'u', name: 'n', role: null, roles: ['*'] } } });
  assert.deepEqual(call, { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', roles: ['*'] } } });
  rejects(() => parseCall({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: null, name: 'n' } } }), 'subscribe.framework_info.user');
});

test("Mesos' lenient scalars: numeric strings, bool strings, bigint and int64 strings", () => {
  const call = parseCall({
    type: 'SUBSCRIBE',
    subscribe: { framework_info: { user: 'u', name: 'n', failover_timeout: '604800', checkpoint: 'true' } },
  }) as SubscribeCall;
  assert.equal(call.subscribe.framework_info.failover_timeout, 604800);
  assert.equal(call.subscribe.framework_info.checkpoint, true);
  const kill = parseCall({
    type: 'KILL',
    framework_id: fid,
    kill: { task_id: { value: 't' }, kill_policy: { grace_period: { nanoseconds: '3000000000' } } },
  });
  assert.ok(kill.type === 'KILL');
  assert.equal(kill.kill.kill_policy?.grace_period?.nanoseconds, 3_000_000_000);
  const big = parseMesos(resourceSchema, { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: '1', end: '18446744073709551615' }] } }, 'Resource');
  assert.deepEqual(big.ranges?.range?.[0], { begin: 1, end: 18446744073709551615n });
  const inf = parseMesos(resourceSchema, { name: 'cpus', type: 'SCALAR', scalar: { value: 'Infinity' } }, 'Resource');
  assert.equal(inf.scalar?.value, Infinity);
  // Not integers / not numbers.
  rejects(() => parseMesos(resourceSchema, { name: 'p', type: 'RANGES', ranges: { range: [{ begin: 1.5, end: 2 }] } }, 'Resource'), 'ranges.range[0].begin');
  rejects(() => parseMesos(resourceSchema, { name: 'p', type: 'RANGES', ranges: { range: [{ begin: 'abc', end: 2 }] } }, 'Resource'), 'ranges.range[0].begin');
  rejects(() => parseMesos(resourceSchema, { name: 'c', type: 'SCALAR', scalar: { value: 'lots' } }, 'Resource'), 'scalar.value');
  rejects(
    () => parseCall({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', checkpoint: 'yes' } } }),
    'subscribe.framework_info.checkpoint',
  );
});

test("call-level rules Mesos enforces on the body: framework_id, payloads, uuid, id mismatch", () => {
  rejects(() => parseCall({ type: 'REVIVE' }), 'framework_id', 'scheduler Call REVIVE');
  rejects(() => parseCall({ type: 'DECLINE', framework_id: fid }), 'decline');
  rejects(() => parseCall({ type: 'FOO', framework_id: fid }), 'type');
  rejects(() => parseCall({ type: 'KILL', framework_id: fid, kill: {} }), 'kill.task_id');
  rejects(() => parseCall({ type: 'SHUTDOWN', framework_id: fid, shutdown: { executor_id: { value: 'e' } } }), 'shutdown.agent_id');
  rejects(() => parseCall({ type: 'MESSAGE', framework_id: fid, message: { agent_id: aid, executor_id: { value: 'e' } } }), 'message.data');
  rejects(() => parseCall({ type: 'RECONCILE', framework_id: fid, reconcile: { tasks: [{ agent_id: aid }] } }), 'reconcile.tasks[0].task_id');
  rejects(
    () => parseCall({ type: 'ACKNOWLEDGE', framework_id: fid, acknowledge: { agent_id: aid, task_id: { value: 't' }, uuid: 'bm90LWEtdXVpZA==' } }),
    'acknowledge.uuid',
  );
  rejects(
    () => parseCall({ type: 'SUBSCRIBE', framework_id: { value: 'x' }, subscribe: { framework_info: { user: 'u', name: 'n' } } }),
    'framework_id',
  );
  rejects(
    () =>
      parseCall({
        type: 'UPDATE_FRAMEWORK',
        framework_id: fid,
        update_framework: { framework_info: { user: 'u', name: 'n', id: { value: 'other' } } },
      }),
    'framework_id',
  );
  rejects(
    () => parseCall({ type: 'ACCEPT', framework_id: fid, accept: { operations: [{ type: 'LAUNCH' }] } }),
    'accept.operations[0].launch',
  );
  rejects(
    () => parseCall({ type: 'ACCEPT', framework_id: fid, accept: { operations: [{ type: 'EXPLODE' }] } }),
    'accept.operations[0].type',
  );
  rejects(
    () => parseCall({ type: 'ACCEPT', framework_id: fid, accept: { operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't' }] } }] } }),
    'accept.operations[0].launch.task_infos[0].task_id',
  );
  rejects(
    () =>
      parseCall({
        type: 'ACCEPT',
        framework_id: fid,
        accept: {
          operations: [
            {
              type: 'LAUNCH',
              launch: { task_infos: [{ name: 't', task_id: { value: 't' }, agent_id: aid, container: { type: 'DOCKER', docker: {} } }] },
            },
          ],
        },
      }),
    'accept.operations[0].launch.task_infos[0].container.docker.image',
  );
  // Resubscription with matching ids, and every other call type, are fine.
  parseCall({ type: 'SUBSCRIBE', framework_id: fid, subscribe: { framework_info: { user: 'u', name: 'n', id: fid } } });
  for (const c of [
    { type: 'TEARDOWN', framework_id: fid },
    { type: 'REVIVE', framework_id: fid, revive: { roles: ['web'] } },
    { type: 'SUPPRESS', framework_id: fid },
    { type: 'REQUEST', framework_id: fid, request: { requests: [{ agent_id: aid, resources: [] }] } },
    { type: 'ACCEPT_INVERSE_OFFERS', framework_id: fid, accept_inverse_offers: { inverse_offer_ids: [{ value: 'i' }] } },
    { type: 'DECLINE_INVERSE_OFFERS', framework_id: fid, decline_inverse_offers: { inverse_offer_ids: [{ value: 'i' }], filters: {} } },
    {
      type: 'ACKNOWLEDGE_OPERATION_STATUS',
      framework_id: fid,
      acknowledge_operation_status: { agent_id: aid, uuid: 'V4K79vYOQnqhb83ZemZnoA==', operation_id: { value: 'op' } },
    },
    { type: 'RECONCILE_OPERATIONS', framework_id: fid, reconcile_operations: { operations: [{ operation_id: { value: 'op' } }] } },
    { type: 'UPDATE_FRAMEWORK', framework_id: fid, update_framework: { framework_info: { user: 'u', name: 'n', id: fid } } },
    { type: 'UNKNOWN', framework_id: fid },
  ]) {
    assert.deepEqual(parseCall(c), c);
  }
});

test('operations of every type parse', () => {
  const res = [{ name: 'disk', type: 'SCALAR', scalar: { value: 64 }, reservations: [{ type: 'DYNAMIC', role: 'web' }] }];
  const vol = { ...res[0], disk: { persistence: { id: 'v' }, volume: { mode: 'RW', container_path: 'data' } } };
  const ops = [
    {
      type: 'LAUNCH_GROUP',
      launch_group: {
        executor: { type: 'DEFAULT', executor_id: { value: 'e' }, resources: res },
        task_group: { tasks: [{ name: 't', task_id: { value: 't' }, agent_id: aid, command: { shell: false, value: '/bin/true', arguments: ['true'] } }] },
      },
    },
    { type: 'RESERVE', id: { value: 'op1' }, reserve: { resources: res } },
    { type: 'UNRESERVE', unreserve: { resources: res } },
    { type: 'CREATE', create: { volumes: [vol] } },
    { type: 'DESTROY', destroy: { volumes: [vol] } },
    { type: 'GROW_VOLUME', grow_volume: { volume: vol, addition: res[0] } },
    { type: 'SHRINK_VOLUME', shrink_volume: { volume: vol, subtract: { value: 1 } } },
    { type: 'CREATE_DISK', create_disk: { source: res[0], target_type: 'MOUNT' } },
    { type: 'DESTROY_DISK', destroy_disk: { source: res[0] } },
  ];
  const c = { type: 'ACCEPT', framework_id: fid, accept: { offer_ids: [{ value: 'o' }], operations: ops } };
  assert.deepEqual(parseCall(c), c);
});

test('TaskInfo with container, health check, kill policy, labels and limits', () => {
  const task = {
    name: 'job',
    task_id: { value: 'job-1' },
    agent_id: aid,
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }],
    command: {
      value: 'python -m app',
      uris: [{ value: 'http://x/app.tgz', extract: true, cache: false }],
      environment: { variables: [{ name: 'A', value: '1' }, { name: 'S', type: 'SECRET', secret: { type: 'REFERENCE', reference: { name: 's' } } }] },
      user: 'nobody',
    },
    container: { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'python:3.12' }, cached: true } } },
    health_check: { type: 'HTTP', http: { port: 8080, path: '/health' }, delay_seconds: 15, interval_seconds: 10 },
    kill_policy: { grace_period: { nanoseconds: 5_000_000_000 } },
    labels: { labels: [{ key: 'mesoflow/job', value: 'j' }] },
    max_completion_time: { nanoseconds: 3_600_000_000_000 },
    limits: { cpus: { value: 'Infinity' }, mem: { value: 512 } },
  };
  const c = parseCall({ ...accept([]), accept: { operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } }) as AcceptCall;
  const op = c.accept.operations?.[0];
  assert.ok(op?.type === 'LAUNCH');
  const ti = op.launch.task_infos?.[0];
  assert.equal(ti?.limits?.cpus?.value, Infinity);
  assert.equal(ti?.container?.mesos?.image?.docker?.name, 'python:3.12');
  // Infinity is written as a string Mesos accepts, so the body stays valid JSON.
  assert.match(stringifyMesosJson(c), /"cpus":\{"value":"Infinity"\}/);
  rejects(() => parseCall({ ...accept([]), accept: { operations: [{ type: 'LAUNCH', launch: { task_infos: [{ ...task, container: { mesos: {} } }] } }] } }), 'accept.operations[0].launch.task_infos[0].container.type');
});

test('task states: the list, terminal ones per §12.1', () => {
  assert.equal(taskStates.length, 14);
  assert.deepEqual(
    taskStates.filter((s) => isTerminalTaskState(s)),
    ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR'],
  );
  for (const s of ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE', 'TASK_UNKNOWN'] satisfies TaskState[]) {
    assert.equal(isTerminalTaskState(s), false, s);
  }
  assert.equal(isTerminalTaskState('TASK_NONSENSE'), false);
  assert.ok(terminalTaskStates.every((s) => (taskStates as readonly string[]).includes(s)));
  assert.ok(taskStatusReasons.includes('REASON_RECONCILIATION'));
  assert.ok(taskStatusReasons.every((r) => r.startsWith('REASON_') && !r.includes('SLAVE')));
});

test('types narrow on type (compile-time check that the unions are usable)', () => {
  const describe = (e: Event): string => {
    if (!isKnownEvent(e)) return `unknown ${e.type}`;
    switch (e.type) {
      case 'UPDATE': {
        const u: UpdateEvent = e;
        return `${u.update.status.task_id.value} ${u.update.status.state}`;
      }
      case 'OFFERS':
        return String(e.offers.offers?.length ?? 0);
      case 'ERROR':
        return e.error.message;
      default:
        return e.type;
    }
  };
  assert.equal(describe(parseEvent(runningUpdate())), 't1 TASK_RUNNING');
  assert.equal(describe(parseEvent({ type: 'NEW' })), 'unknown NEW');
  const call: Call = parseCall(accept([{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }]));
  if (call.type === 'ACCEPT') assert.equal(call.accept.offer_ids?.[0]?.value, 'M-O1');
  // The zod schema is usable directly too.
  assert.equal(callSchema.safeParse({ type: 'TEARDOWN', framework_id: fid }).success, true);
});
