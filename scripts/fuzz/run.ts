// One fuzzing run: a stack with a token (scripts/fuzz/stack.ts), then
// Schemathesis against its /openapi.json in three passes — stateless with
// the token (examples, coverage and fuzzing phases), stateful with the token
// (sequences that follow the document's links from a created job), and
// stateless without the token — with every check on. The events route is
// left out: its answer is a stream that stays open while the job runs, and
// these jobs wait forever (the devcluster has no agent, so none of the
// generated command lines runs).
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFuzzFigures, passFigures, sumFigures, type HarFile, type PassFigures, type RunReport } from './report.js';
import { findOrInstallSchemathesis, type SchemathesisCommand } from './schemathesis-cli.js';
import { startFuzzStack } from './stack.js';

export interface FuzzOptions {
  /** Schemathesis's --max-examples per operation, per pass. */
  examples: { withToken: number; stateful: number; withoutToken: number };
  /** Without the token every /v1 answer is a 401: the bounded run (npm test) gives that pass the fuzzing phase only. */
  withoutTokenPhases?: string;
  seed: number;
  runDir: string;
  say: (line: string) => void;
}

export interface FuzzResult {
  passes: Array<{ name: string; figures: PassFigures }>;
  total: PassFigures;
  lines: string[];
}

function runSt(st: SchemathesisCommand, args: string[], logFile: string, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // In the log's directory: Schemathesis keeps a .schemathesis cache in its working directory.
    const child = spawn(st.bin, args, { cwd: join(logFile, '..'), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...st.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      writeFileSync(logFile, out);
      resolve(code);
    });
  });
}

function readReports(dir: string): { har: HarFile; report: RunReport } {
  const files = readdirSync(dir);
  const har = files.find((f) => f.startsWith('har-'));
  const json = files.find((f) => f.startsWith('json-'));
  if (!har || !json) throw new Error(`Schemathesis wrote no HAR/JSON report into ${dir} (see ${dir}.log)`);
  return { har: JSON.parse(readFileSync(join(dir, har), 'utf8')) as HarFile, report: JSON.parse(readFileSync(join(dir, json), 'utf8')) as RunReport };
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzResult> {
  const st = findOrInstallSchemathesis(o.say);
  const token = `fuzz-${Math.random().toString(36).slice(2)}`;
  const stack = await startFuzzStack({ token, say: o.say });
  try {
    o.say(`stack up: ${stack.apiUrl}/openapi.json (token set); Schemathesis: ${st.bin}`);
    const common = (dir: string) => [
      'run',
      `${stack.apiUrl}/openapi.json`,
      '--checks', 'all',
      '--exclude-path', '/v1/jobs/{id}/events',
      '--seed', String(o.seed),
      '--workers', '1',
      '--request-timeout', '30',
      '--suppress-health-check', 'all',
      '--report', 'har,json',
      '--report-dir', dir,
      '--no-color',
    ];
    const auth = ['-H', `Authorization: Bearer ${token}`];
    const plan: Array<{ name: string; args: string[] }> = [
      { name: 'with_token_stateless', args: [...auth, '--phases', 'examples,coverage,fuzzing', '--max-examples', String(o.examples.withToken)] },
      { name: 'with_token_stateful', args: [...auth, '--phases', 'stateful', '--max-examples', String(o.examples.stateful)] },
      { name: 'without_token', args: ['--phases', o.withoutTokenPhases ?? 'examples,coverage,fuzzing', '--max-examples', String(o.examples.withoutToken)] },
    ];
    const passes: FuzzResult['passes'] = [];
    for (const p of plan) {
      const dir = join(o.runDir, p.name);
      const started = Date.now();
      mkdirSync(o.runDir, { recursive: true });
      const code = await runSt(st, [...common(dir), ...p.args], `${dir}.log`, 1_200_000);
      const { har, report } = readReports(dir);
      const figures = passFigures(har, report);
      passes.push({ name: p.name, figures });
      o.say(`${p.name}: ${figures.requests} requests in ${((Date.now() - started) / 1000).toFixed(0)} s (st exit ${code}; output in ${dir}.log)`);
      for (const line of figures.failureLines) o.say(`  ${line}`);
    }
    const total = sumFigures(passes.map((p) => p.figures));
    return { passes, total, lines: formatFuzzFigures(passes) };
  } finally {
    await stack.stop();
  }
}
