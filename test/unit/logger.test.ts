import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, createMemoryLogger } from '../../common/logger.js';

test('createLogger writes one JSON line per record with bindings and serialized errors', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', write: (l) => lines.push(l) }).child({ frameworkId: 'F-1' });
  log.debug('hidden');
  log.warn('malformed event', { err: new Error('bad'), offset: 12n });
  assert.equal(lines.length, 1);
  const rec = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  assert.equal(rec.level, 'warn');
  assert.equal(rec.frameworkId, 'F-1');
  assert.equal(rec.offset, '12');
  assert.deepEqual((rec.err as { message: string }).message, 'bad');
});

test('createMemoryLogger keeps records with child bindings', () => {
  const log = createMemoryLogger();
  log.child({ a: 1 }).info('x', { b: 2 });
  assert.deepEqual(log.records, [{ a: 1, b: 2, level: 'info', msg: 'x' }]);
});
