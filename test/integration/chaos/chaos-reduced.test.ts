// The reduced fault suite (`npm run chaos` in small): ~60 jobs through the
// API of real processes while one fault of each kind is injected — a worker
// SIGKILLed, the session holder SIGKILLed, the Temporal dev server
// SIGKILLed and restarted on its database, a master failover, an agent
// removed, the framework's stream stalled. Every job must end SUCCEEDED with
// exactly the tasks its attempts name, and no status update may be
// acknowledged before Temporal recorded it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { formatFigures, violations } from '../../../scripts/chaos/figures.js';
import { reducedRun } from '../../../scripts/chaos/presets.js';
import { runChaos } from '../../../scripts/chaos/run.js';

test('reduced fault suite: 0 lost, 0 launched twice, 0 stuck, 0 updates acknowledged before they were recorded', { timeout: 420_000 }, async (t) => {
  const result = await runChaos({ ...reducedRun(), say: (line) => t.diagnostic(line) });
  const lines = formatFigures(result.figures);
  for (const line of lines) t.diagnostic(line);
  const f = new Map(result.figures);
  // Positive proof the faults happened and the jobs ran through them.
  assert.equal(result.faults.length, result.schedule.length, `every scheduled fault was injected: ${JSON.stringify(result.faults)}`);
  assert.equal(f.get('jobs_submitted_count'), 60);
  assert.equal(f.get('jobs_succeeded_count'), 60, lines.join('\n'));
  assert.ok(Number(f.get('status_updates_acked_count')) >= 60, 'the master journal saw the ACKs');
  assert.deepEqual(violations(result.figures), [], `${lines.join('\n')}\nlogs: ${result.runDir}`);
  rmSync(result.runDir, { recursive: true, force: true });
});
