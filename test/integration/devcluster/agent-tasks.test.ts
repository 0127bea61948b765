// Task lifecycle on a devcluster agent, against what a real Mesos 1.12 agent
// with the command executor does (mesos-transcripts 02, 03, 04, 05).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidStatusUuid } from '../../../mesos/json.js';
import { AGENT_ID, FRAMEWORK_ID, framework, isAlive, readSandboxFile, runToEnd, sandboxOf, shellTask, startTestAgent } from './agent-test-support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('exit 0: STARTING, RUNNING, FINISHED, one update at a time, each released by its ACK', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('hello', 'echo hello; echo err 1>&2'));
  const starting = await sink.nth('hello', 1);
  assert.equal(starting.state, 'TASK_STARTING');
  // The command has long finished, but nothing follows until STARTING is acknowledged.
  await sink.waitFor(() => agent.tasks().find((x) => x.taskId === 'hello')?.state === 'TASK_FINISHED', 'the task to end');
  await sleep(200);
  assert.equal(sink.all('hello').length, 1, 'only STARTING has been sent');

  agent.acknowledge(FRAMEWORK_ID, 'hello', starting.uuid as string);
  const running = await sink.nth('hello', 2);
  assert.equal(running.state, 'TASK_RUNNING');
  await sleep(100);
  assert.equal(sink.sent('hello').length, 2);
  agent.acknowledge(FRAMEWORK_ID, 'hello', running.uuid as string);
  const finished = await sink.nth('hello', 3);
  agent.acknowledge(FRAMEWORK_ID, 'hello', finished.uuid as string);

  assert.equal(finished.state, 'TASK_FINISHED');
  assert.equal(finished.message, 'Command exited with status 0');
  for (const s of [starting, running, finished]) {
    assert.equal(s.source, 'SOURCE_EXECUTOR');
    assert.equal(s.reason, undefined, 'executor updates carry no reason');
    assert.deepEqual(s.agent_id, { value: AGENT_ID });
    assert.deepEqual(s.executor_id, { value: 'hello' });
    assert.equal(typeof s.timestamp, 'number');
    assert.ok(isValidStatusUuid(s.uuid as string), `uuid ${String(s.uuid)}`);
    assert.equal(s.container_status?.container_id?.value, agent.tasks()[0]?.containerId);
    assert.deepEqual(s.container_status?.network_infos, [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '127.0.0.1' }] }]);
    assert.equal(typeof s.container_status?.executor_pid, 'number');
  }
  assert.equal(new Set([starting.uuid, running.uuid, finished.uuid]).size, 3);
  assert.equal(sink.updates.at(-1)?.latestState, 'TASK_FINISHED');
  assert.equal(readSandboxFile(agent, 'hello', 'stdout'), 'hello\n');
  const stderr = readSandboxFile(agent, 'hello', 'stderr');
  assert.match(stderr, /executor\.cpp:722\] Starting task hello\n/);
  // The task's own stderr lands between the executor's lines (its place relative to "Forked command" is a race, as in Mesos).
  assert.match(stderr, /^I\d{4} [\d:.]+ \d+ exec\.cpp:164\] Version: 1\.12\.0\n/);
  assert.match(stderr, /Forked command at \d+\n/);
  assert.match(stderr, /\nerr\n/);
  assert.match(stderr, /Command exited with status 0 \(pid: \d+\)\n$/);
  await sink.waitFor(() => agent.tasks()[0]?.active === false, 'the task to become inactive');
});

test('exit 3: TASK_FAILED "Command exited with status 3"', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('exit3', 'exit 3'));
  const states = await runToEnd(agent, sink, 'exit3');
  assert.deepEqual(states.map((s) => s.state), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
  assert.equal(states[2]?.message, 'Command exited with status 3');
  assert.equal(states[2]?.reason, undefined);
});

test('a task that kills itself fails with the signal named as strsignal() does', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('kill9', 'kill -9 $$'));
  agent.launchTask(framework(), shellTask('kill15', 'kill -15 $$'));
  const [k9, k15] = await Promise.all([runToEnd(agent, sink, 'kill9'), runToEnd(agent, sink, 'kill15')]);
  assert.equal(k9.at(-1)?.state, 'TASK_FAILED');
  assert.equal(k9.at(-1)?.message, 'Command terminated with signal Killed');
  assert.equal(k15.at(-1)?.state, 'TASK_FAILED');
  assert.equal(k15.at(-1)?.message, 'Command terminated with signal Terminated');
});

test('kill: SIGTERM ends the task, TASK_KILLED without TASK_KILLING for a framework lacking the capability', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('sleeper', 'sleep 300'));
  const s1 = await sink.nth('sleeper', 1);
  agent.acknowledge(FRAMEWORK_ID, 'sleeper', s1.uuid as string);
  const s2 = await sink.nth('sleeper', 2);
  agent.acknowledge(FRAMEWORK_ID, 'sleeper', s2.uuid as string);
  agent.killTask(FRAMEWORK_ID, 'sleeper', { grace_period: { nanoseconds: 60_000_000_000 } });
  const s3 = await sink.nth('sleeper', 3);
  agent.acknowledge(FRAMEWORK_ID, 'sleeper', s3.uuid as string);
  assert.equal(s3.state, 'TASK_KILLED');
  assert.equal(s3.message, 'Command terminated with signal Terminated');
  assert.equal(s3.source, 'SOURCE_EXECUTOR');
  assert.equal(s3.reason, undefined);
  const stderr = readSandboxFile(agent, 'sleeper', 'stderr');
  assert.match(stderr, /Received kill for task sleeper with grace period of 3secs/);
  // A second KILL of a finished task changes nothing.
  agent.killTask(FRAMEWORK_ID, 'sleeper');
  await sleep(100);
  assert.equal(sink.sent('sleeper').length, 3);
});

test('kill with TASK_KILLING_STATE: TASK_KILLING, then TASK_KILLED', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(['MULTI_ROLE', 'TASK_KILLING_STATE']), shellTask('k', 'sleep 300'));
  await sink.waitFor(() => agent.tasks()[0]?.pid, 'the process to start');
  agent.killTask(FRAMEWORK_ID, 'k');
  const states = await runToEnd(agent, sink, 'k');
  assert.deepEqual(states.map((s) => s.state), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
  assert.equal(states[2]?.message, undefined);
});

test('a task ignoring SIGTERM is SIGKILLed after its TaskInfo kill_policy grace period; the KILL call policy is ignored', async (t) => {
  // A default grace of 60 s would outlast the wait below: only the TaskInfo policy (300 ms) can end it in time.
  const { agent, sink } = await startTestAgent(t, { defaultKillGraceMs: 60_000 });
  agent.launchTask(framework(), shellTask('stubborn', "trap '' TERM; touch ready; sleep 30", { kill_policy: { grace_period: { nanoseconds: 300_000_000 } } }));
  await sink.nth('stubborn', 1);
  await sink.waitFor(() => existsSync(join(sandboxOf(agent, 'stubborn'), 'ready')), 'the trap to be set');
  agent.killTask(FRAMEWORK_ID, 'stubborn', { grace_period: { nanoseconds: 120_000_000_000 } });
  const states = await runToEnd(agent, sink, 'stubborn');
  assert.equal(states.at(-1)?.state, 'TASK_KILLED');
  assert.equal(states.at(-1)?.message, 'Command terminated with signal Killed');
  const stderr = readSandboxFile(agent, 'stubborn', 'stderr');
  assert.match(stderr, /with grace period of 300ms/);
  assert.match(stderr, /did not terminate after 300ms, sending SIGKILL/);
});

test('KILL call kill_policy is ignored: the default grace applies', async (t) => {
  const { agent, sink } = await startTestAgent(t, { defaultKillGraceMs: 200 });
  agent.launchTask(framework(), shellTask('stubborn2', "trap '' TERM; touch ready; sleep 30"));
  await sink.nth('stubborn2', 1);
  await sink.waitFor(() => existsSync(join(sandboxOf(agent, 'stubborn2'), 'ready')), 'the trap to be set');
  agent.killTask(FRAMEWORK_ID, 'stubborn2', { grace_period: { nanoseconds: 120_000_000_000 } });
  const states = await runToEnd(agent, sink, 'stubborn2');
  assert.equal(states.at(-1)?.message, 'Command terminated with signal Killed');
});

test('an unacknowledged update is re-sent with the same uuid and the retry flag; wrong and duplicate ACKs are ignored', async (t) => {
  const { agent, sink } = await startTestAgent(t, { statusUpdateRetryMs: 100, statusUpdateMaxRetryMs: 400 });
  agent.launchTask(framework(), shellTask('retry', 'exit 0'));
  const starting = await sink.nth('retry', 1);
  await sink.waitFor(() => sink.all('retry').length >= 3, 'two retries');
  const copies = sink.all('retry');
  assert.deepEqual(copies.map((u) => u.retry), copies.map((_, i) => i > 0));
  for (const u of copies) {
    assert.equal(u.status.uuid, starting.uuid);
    assert.equal(u.status.state, 'TASK_STARTING');
    assert.equal(u.frameworkId, FRAMEWORK_ID);
  }
  await sink.waitFor(() => sink.all('retry').at(-1)?.latestState === 'TASK_FINISHED', 'a retry carrying latest_state TASK_FINISHED');

  // A uuid that is not the one in flight releases nothing.
  agent.acknowledge(FRAMEWORK_ID, 'retry', 'AAAAAAAAQACAAAAAAAAAAA==');
  await sleep(300);
  assert.equal(sink.sent('retry').length, 1);

  agent.acknowledge(FRAMEWORK_ID, 'retry', starting.uuid as string);
  const running = await sink.nth('retry', 2);
  assert.equal(running.state, 'TASK_RUNNING');
  // A duplicate ACK of STARTING does not release FINISHED.
  agent.acknowledge(FRAMEWORK_ID, 'retry', starting.uuid as string);
  await sleep(50);
  assert.equal(sink.sent('retry').length, 2);
  agent.acknowledge(FRAMEWORK_ID, 'retry', running.uuid as string);
  const finished = await sink.nth('retry', 3);
  agent.acknowledge(FRAMEWORK_ID, 'retry', finished.uuid as string);
  const count = sink.all('retry').length;
  await sleep(500);
  assert.equal(sink.all('retry').length, count, 'nothing is re-sent once everything is acknowledged');
});

test('the task sees Mesos environment variables and CommandInfo.environment, and runs in its sandbox', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  const cmd = 'echo "$MESOS_SANDBOX|$MESOS_DIRECTORY|$MESOS_FRAMEWORK_ID|$MESOS_EXECUTOR_ID|$MESOS_SLAVE_ID|$MESOS_ALLOCATION_ROLE|$FOO|$(pwd)|$PATH"';
  agent.launchTask(framework(), shellTask('env', cmd, { command: { value: cmd, environment: { variables: [{ name: 'FOO', value: 'bar baz' }] } } }));
  const states = await runToEnd(agent, sink, 'env');
  assert.equal(states.at(-1)?.state, 'TASK_FINISHED');
  const sandbox = sandboxOf(agent, 'env');
  const [msb, mdir, fid, eid, aid, role, foo, cwd, path] = readSandboxFile(agent, 'env', 'stdout').trim().split('|');
  assert.equal(msb, sandbox);
  assert.equal(mdir, sandbox);
  assert.equal(fid, FRAMEWORK_ID);
  assert.equal(eid, 'env');
  assert.equal(aid, AGENT_ID);
  assert.equal(role, '*');
  assert.equal(foo, 'bar baz');
  assert.equal(cwd, sandbox);
  assert.equal(path, '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  assert.match(sandbox, new RegExp(`/slaves/${AGENT_ID}/frameworks/${FRAMEWORK_ID}/executors/env/runs/[0-9a-f-]{36}$`));
});

test('shell: false execs value with arguments, argv[0] included', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  const script = "tr '\\0' '|' < /proc/$$/cmdline; echo; echo \"$0/$1\"";
  agent.launchTask(framework(), shellTask('argv', '', { command: { shell: false, value: '/bin/sh', arguments: ['custom-argv0', '-c', script, 'zero', 'one two'] } }));
  const states = await runToEnd(agent, sink, 'argv');
  assert.equal(states.at(-1)?.state, 'TASK_FINISHED');
  assert.equal(readSandboxFile(agent, 'argv', 'stdout'), `custom-argv0|-c|${script}|zero|one two|\nzero/one two\n`);
});

test('shell: false with a missing executable fails like a failed exec', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('noexec', '', { command: { shell: false, value: '/nonexistent/binary', arguments: ['binary'] } }));
  const states = await runToEnd(agent, sink, 'noexec');
  assert.deepEqual(states.map((s) => s.state), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
  assert.equal(states.at(-1)?.message, 'Command exited with status 1');
  assert.match(readSandboxFile(agent, 'noexec', 'stderr'), /\nFailed to execute '\/nonexistent\/binary': No such file or directory\n/);
});

test('a DOCKER container cannot run here: TASK_FAILED from the agent, as with no docker containerizer', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('docker', 'true', { container: { type: 'DOCKER', docker: { image: 'alpine' } } }));
  const [s] = await runToEnd(agent, sink, 'docker');
  assert.equal(s?.state, 'TASK_FAILED');
  assert.equal(s?.source, 'SOURCE_AGENT');
  assert.equal(s?.reason, 'REASON_EXECUTOR_TERMINATED');
  assert.equal(s?.message, 'Abnormal executor termination: unknown container');
  assert.ok(isValidStatusUuid(s?.uuid as string));
  assert.equal(sink.sent('docker').length, 1);
});

test('a MESOS container with an image cannot be provisioned: TASK_FAILED REASON_CONTAINER_LAUNCH_FAILED', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('image', 'true', { container: { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'alpine' } } } } }));
  const [s] = await runToEnd(agent, sink, 'image');
  assert.equal(s?.state, 'TASK_FAILED');
  assert.equal(s?.source, 'SOURCE_AGENT');
  assert.equal(s?.reason, 'REASON_CONTAINER_LAUNCH_FAILED');
  assert.equal(s?.message, 'Failed to launch container: Unsupported container image type: DOCKER');
});

test('a MESOS container without an image runs normally', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('mesosc', 'echo ok', { container: { type: 'MESOS' } }));
  const states = await runToEnd(agent, sink, 'mesosc');
  assert.equal(states.at(-1)?.state, 'TASK_FINISHED');
});

test('an unknown user: the sandbox cannot be chowned, the agent reports TASK_LOST (TASK_DROPPED when partition-aware)', async (t) => {
  const { agent, sink } = await startTestAgent(t, { switchUser: true });
  agent.launchTask(framework(), shellTask('nouser', 'true', { command: { value: 'true', user: 'no-such-user-mesoflow' } }));
  agent.launchTask(framework(['PARTITION_AWARE'], 'fw-pa'), shellTask('nouser2', 'true', { command: { value: 'true', user: 'no-such-user-mesoflow' } }));
  const [lost] = await runToEnd(agent, sink, 'nouser');
  const [dropped] = await runToEnd(agent, sink, 'nouser2', 'fw-pa');
  assert.equal(lost?.state, 'TASK_LOST');
  assert.equal(dropped?.state, 'TASK_DROPPED');
  assert.equal(lost?.source, 'SOURCE_AGENT');
  assert.equal(lost?.reason, 'REASON_EXECUTOR_TERMINATED');
  assert.match(lost?.message ?? '', /^Failed to create executor directory '.*': Failed to chown directory to 'no-such-user-mesoflow': No such user 'no-such-user-mesoflow'$/);
});

// Root only (README "Checks"): switching a task to another user needs root, as on a real agent.
const notRoot = process.getuid?.() !== 0 ? `ROOT ONLY, not run: switching a task's user needs root and this runs as uid ${process.getuid?.() ?? '?'}` : false;
test('run as another user when the agent is root (root only)', { skip: notRoot }, async (t) => {
  t.diagnostic('running as root: the task runs as nobody');
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('asnobody', 'id -un', { command: { value: 'id -un', user: 'nobody' } }));
  const states = await runToEnd(agent, sink, 'asnobody');
  assert.equal(states.at(-1)?.state, 'TASK_FINISHED');
  assert.equal(readSandboxFile(agent, 'asnobody', 'stdout'), 'nobody\n');
});

test('max_completion_time: killed and failed with REASON_MAX_COMPLETION_TIME_REACHED', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('slow', 'sleep 300', { max_completion_time: { nanoseconds: 200_000_000 } }));
  const states = await runToEnd(agent, sink, 'slow');
  assert.equal(states.at(-1)?.state, 'TASK_FAILED');
  assert.equal(states.at(-1)?.reason, 'REASON_MAX_COMPLETION_TIME_REACHED');
  // Mesos kills with a zero grace period: SIGTERM, then SIGKILL at once; either may end it.
  assert.match(states.at(-1)?.message ?? '', /^Command terminated with signal (Killed|Terminated)$/);
});

test('shutdownFramework kills the tasks and sends nothing more', async (t) => {
  const { agent, sink } = await startTestAgent(t, { defaultKillGraceMs: 200 });
  agent.launchTask(framework(), shellTask('fw-task', 'sleep 300'));
  const s1 = await sink.nth('fw-task', 1);
  agent.acknowledge(FRAMEWORK_ID, 'fw-task', s1.uuid as string);
  await sink.nth('fw-task', 2);
  const pid = await sink.waitFor(() => agent.tasks()[0]?.pid, 'the pid');
  agent.shutdownFramework(FRAMEWORK_ID);
  await sink.waitFor(() => !isAlive(pid), 'the task process to die');
  await sleep(200);
  assert.deepEqual(sink.sent('fw-task').map((s) => s.state), ['TASK_STARTING', 'TASK_RUNNING']);
  const state = agent.state() as { frameworks: unknown[]; completed_frameworks: Array<{ id: string; completed_executors: Array<{ completed_tasks: Array<{ state: string }> }> }> };
  assert.equal(state.frameworks.length, 0);
  assert.equal(state.completed_frameworks[0]?.id, FRAMEWORK_ID);
  assert.equal(state.completed_frameworks[0]?.completed_executors[0]?.completed_tasks[0]?.state, 'TASK_RUNNING');
});

test('stop() kills every task process and its children; nothing outlives the agent', async (t) => {
  const { agent, sink } = await startTestAgent(t);
  agent.launchTask(framework(), shellTask('bg', 'sleep 300 & echo $! > child.pid; wait'));
  agent.launchTask(framework(), shellTask('fg', "trap '' TERM; touch ready; sleep 300"));
  await sink.nth('bg', 1);
  await sink.nth('fg', 1);
  const pids = await sink.waitFor(() => {
    const ps = agent.tasks().map((x) => x.pid);
    return ps.every((p) => p !== undefined) ? (ps as number[]) : undefined;
  }, 'both pids');
  const childPid = await sink.waitFor(() => {
    try {
      const n = Number(readFileSync(`${sandboxOf(agent, 'bg')}/child.pid`, 'utf8'));
      return n > 0 ? n : undefined;
    } catch {
      return undefined;
    }
  }, 'the background child pid');
  for (const p of [...pids, childPid]) assert.ok(isAlive(p));
  await agent.stop();
  await sink.waitFor(() => [...pids, childPid].every((p) => !isAlive(p)), 'all processes to be gone', 10_000);
});
