import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideSignal, type SignalState } from '../../common/shutdown-signals.js';

test('one Ctrl-C delivered twice (terminal + npm) is one graceful stop; a later or different signal forces the exit', () => {
  const s: SignalState = {};
  assert.equal(decideSignal(s, 'SIGINT', 1000, 1000), 'stop');
  assert.equal(decideSignal(s, 'SIGINT', 1005, 1000), 'duplicate');
  assert.equal(decideSignal(s, 'SIGINT', 1900, 1000), 'duplicate');
  assert.equal(decideSignal(s, 'SIGINT', 2100, 1000), 'force');

  const t: SignalState = {};
  assert.equal(decideSignal(t, 'SIGTERM', 0, 1000), 'stop');
  assert.equal(decideSignal(t, 'SIGINT', 10, 1000), 'force');
});
