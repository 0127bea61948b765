// The list cursor and the listed-workflow summary (public SDK pieces only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPayloadConverter } from '@temporalio/common';
import { decodeCursor, encodeCursor } from '../../../api/cursor.js';
import { summaryFromRaw, type RawExecution } from '../../../api/execution-summary.js';
import { jobStatusKey, labelsKey } from '../../../workflows/search-attribute-keys.js';

test('a cursor round-trips for its query and is refused for another query or when made up', () => {
  const token = new Uint8Array([1, 2, 3, 250, 0, 7]);
  const c = encodeCursor(token, 'q1');
  assert.match(c, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeCursor(c, 'q1'), token);
  assert.equal(decodeCursor(c, 'q2'), undefined);
  const flipped = c.slice(0, 5) + (c[5] === 'A' ? 'B' : 'A') + c.slice(6);
  for (const bogus of ['', '0'.repeat(4096), 'AAAA', '\u0086', c.slice(0, -2), flipped]) assert.equal(decodeCursor(bogus, 'q1'), undefined, bogus);
});

test('a raw visibility record reads into the summary describe() gives', () => {
  const payload = (v: unknown) => defaultPayloadConverter.toPayload(v);
  const raw = {
    execution: { workflowId: 'job-1' },
    type: { name: 'jobWorkflow' },
    status: 2,
    startTime: { seconds: 1_700_000_000, nanos: 5_000_000 },
    closeTime: { seconds: 1_700_000_010, nanos: 0 },
    memo: { fields: { name: payload('nightly'), specHash: payload('abc') } },
    searchAttributes: { indexedFields: { MesoflowJobStatus: payload('SUCCEEDED'), MesoflowLabels: payload(['team=data']), Other: payload(1) } },
  } as unknown as RawExecution;
  const s = summaryFromRaw(raw, defaultPayloadConverter);
  assert.equal(s.workflowId, 'job-1');
  assert.equal(s.type, 'jobWorkflow');
  assert.equal(s.status.name, 'COMPLETED');
  assert.deepEqual(s.memo, { name: 'nightly', specHash: 'abc' });
  assert.equal(s.typedSearchAttributes.get(jobStatusKey), 'SUCCEEDED');
  assert.deepEqual(s.typedSearchAttributes.get(labelsKey), ['team=data']);
  assert.equal(s.startTime.getTime(), 1_700_000_000_005);
  assert.equal(s.closeTime?.getTime(), 1_700_000_010_000);
  const running = summaryFromRaw({ ...raw, status: 1, closeTime: null } as unknown as RawExecution, defaultPayloadConverter);
  assert.equal(running.status.name, 'RUNNING');
  assert.equal(running.closeTime, undefined);
});
