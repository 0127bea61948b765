// The API fuzzer in small (`npm run fuzz` in full): Schemathesis, installed
// by the project from PyPI, against /openapi.json of a running stack with a
// token — stateless and stateful with the token, stateless without it. No
// 5xx, no response that breaks the document's schema, no status code the
// document does not declare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz } from '../../../scripts/fuzz/run.js';

test('a bounded Schemathesis run finds no 5xx, no schema mismatch and no undocumented status code', { timeout: 600_000 }, async (t) => {
  const runDir = mkdtempSync(join(tmpdir(), 'mesoflow-fuzz-test-'));
  const r = await runFuzz({ examples: { withToken: 6, stateful: 3, withoutToken: 10 }, withoutTokenPhases: 'fuzzing', seed: 1, runDir, say: (line) => t.diagnostic(line) });
  for (const line of r.lines) t.diagnostic(line);
  const byPass = new Map(r.passes.map((p) => [p.name, p.figures]));
  // Positive proof that each pass ran.
  for (const name of ['with_token_stateless', 'with_token_stateful', 'without_token']) assert.ok((byPass.get(name)?.requests ?? 0) >= 10, `${name} sent requests`);
  assert.ok(r.total.requests >= 200, `at least 200 requests, got ${r.total.requests}`);
  const detail = `${r.lines.join('\n')}\n${r.total.failureLines.join('\n')}\nreports: ${runDir}`;
  assert.equal(r.total.serverErrors, 0, detail);
  assert.equal(r.total.schemaMismatches, 0, detail);
  assert.equal(r.total.undocumentedStatus, 0, detail);
  rmSync(runDir, { recursive: true, force: true });
});
