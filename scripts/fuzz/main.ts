// `npm run fuzz [-- --examples N] [-- --seed S]`: Schemathesis (installed by
// the project from PyPI into .mesoflow/tools) against a running stack's
// /openapi.json, stateless and stateful, with and without the token. Prints
// `name: value` figures per pass and in total, the headline last (5xx,
// schema-mismatching responses and undocumented status codes together; the
// target is 0), and exits 1 when that is not 0. Reports stay in the printed
// directory.
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz } from './run.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const n = i === -1 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
}

const examples = arg('--examples', 100);
const seed = arg('--seed', 20261206);
const say = (line: string) => process.stderr.write(`${line}\n`);
const runDir = mkdtempSync(join(tmpdir(), 'mesoflow-fuzz-'));
say(`machine: ${cpus().length} cpus, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; reports in ${runDir}`);
const r = await runFuzz({ examples: { withToken: examples, stateful: Math.max(5, Math.round(examples / 2)), withoutToken: Math.max(5, Math.round(examples / 4)) }, seed, runDir, say });
for (const line of r.lines) process.stdout.write(`${line}\n`);
const bad = r.total.serverErrors + r.total.schemaMismatches + r.total.undocumentedStatus;
process.exit(bad === 0 ? 0 : 1);
