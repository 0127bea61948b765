// Texts the devcluster agent copies from Mesos: exit messages, durations,
// file modes, the JSON of /files/read, the command executor's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandExitMessage, formatDuration, glogLine } from '../../../devcluster/agent/executor-log.js';
import { formatMode, jsonStringFromBytes } from '../../../devcluster/agent/files-api.js';
import { commandExecutorName } from '../../../devcluster/agent/agent.js';
import type { TaskInfo } from '../../../mesos/schemas/index.js';

test('command executor messages', () => {
  assert.equal(commandExitMessage(0, null), 'Command exited with status 0');
  assert.equal(commandExitMessage(3, null), 'Command exited with status 3');
  assert.equal(commandExitMessage(null, 'SIGKILL'), 'Command terminated with signal Killed');
  assert.equal(commandExitMessage(null, 'SIGTERM'), 'Command terminated with signal Terminated');
  assert.equal(commandExitMessage(null, 'SIGSEGV'), 'Command terminated with signal Segmentation fault');
});

test('stout durations', () => {
  assert.equal(formatDuration(3000), '3secs');
  assert.equal(formatDuration(1000), '1secs');
  assert.equal(formatDuration(500), '500ms');
  assert.equal(formatDuration(1500), '1500ms');
  assert.equal(formatDuration(60_000), '1mins');
  assert.equal(formatDuration(90_000), '90secs');
  assert.equal(formatDuration(0), '0ms');
});

test('glog lines', () => {
  const line = glogLine('executor.cpp:722', 'Starting task t', 'I', new Date(2026, 10, 24, 15, 2, 30, 783));
  assert.equal(line, `I1124 15:02:30.783000 ${process.pid} executor.cpp:722] Starting task t\n`);
});

test('file modes as ls prints them', () => {
  assert.equal(formatMode(0o100644), '-rw-r--r--');
  assert.equal(formatMode(0o040750), 'drwxr-x---');
  assert.equal(formatMode(0o104755), '-rwsr-xr-x');
  assert.equal(formatMode(0o041777), 'drwxrwxrwt');
  assert.equal(formatMode(0o102644), '-rw-r-Sr--');
});

test('JSON strings of raw bytes: escapes as rapidjson does, other bytes untouched', () => {
  assert.equal(jsonStringFromBytes(Buffer.from('hello\n')).toString(), '"hello\\n"');
  assert.equal(jsonStringFromBytes(Buffer.from('a"b\\c\t\r\b\f\u0001/')).toString(), '"a\\"b\\\\c\\t\\r\\b\\f\\u0001/"');
  assert.deepEqual([...jsonStringFromBytes(Buffer.from([0xc2]))], [0x22, 0xc2, 0x22]);
  assert.equal(jsonStringFromBytes(Buffer.from('é')).toString(), '"é"');
});

test('command executor names', () => {
  const task = (command: TaskInfo['command']): TaskInfo => ({ name: 'n', task_id: { value: 't1' }, agent_id: { value: 'a' }, command }) as TaskInfo;
  assert.equal(commandExecutorName(task({ value: 'sleep 120' })), "Command Executor (Task: t1) (Command: sh -c 'sleep 120')");
  assert.equal(commandExecutorName(task({ value: 'echo hello; echo err 1>&2' })), "Command Executor (Task: t1) (Command: sh -c 'echo hello; ...')");
  assert.equal(commandExecutorName(task({ shell: false, value: '/bin/ls', arguments: ['ls', '-l'] })), 'Command Executor (Task: t1) (Command: [/bin/ls, ls, -l])');
  assert.equal(commandExecutorName(task({ shell: false, value: '/bin/ls', arguments: ['ls', '-la'] })), 'Command Executor (Task: t1) (Command: [/bin/ls, ls,...])');
  assert.equal(commandExecutorName(task({ shell: false, value: 'ls', arguments: ['ls'] })), 'Command Executor (Task: t1) (Command: [ls, ls])');
});
