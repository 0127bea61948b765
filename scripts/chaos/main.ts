// `npm run chaos [-- --jobs N] [-- --reduced]`: the fault suite. Prints the
// schedule, the faults as they are injected, then `name: value` figures with
// the headline last; exits 1 when a target (0 lost, 0 launched twice,
// 0 stuck, …) is missed. The run directory (every process's log and the
// Temporal database) is kept when a target is missed, removed otherwise.
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { formatFigures, violations } from './figures.js';
import { fullRun, reducedRun } from './presets.js';
import { runChaos } from './run.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const jobsArg = arg('--jobs');
const jobs = jobsArg === undefined ? undefined : Number(jobsArg);
if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
  console.error('--jobs must be a positive integer');
  process.exit(2);
}
const preset = process.argv.includes('--reduced') ? reducedRun(jobs) : fullRun(jobs);

const say = (line: string) => process.stderr.write(`${line}\n`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
say(`machine: ${cpus().length} cpus, load average ${load()} (a loaded machine makes the times longer; the counts must not change)`);
const result = await runChaos({ ...preset, say });
say(`load average after the run: ${load()}`);
for (const line of formatFigures(result.figures)) process.stdout.write(`${line}\n`);
const missed = violations(result.figures);
if (missed.length > 0) {
  say(`targets missed: ${missed.join('; ')}; logs kept in ${result.runDir}`);
  process.exit(1);
}
rmSync(result.runDir, { recursive: true, force: true });
process.exit(0);
