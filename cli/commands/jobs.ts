// The job commands of `mesoflow`: run, submit, status, list, logs, cancel.
// They talk to the HTTP API (--api / MESOFLOW_API, --token / MESOFLOW_API_TOKEN).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { ApiClient, CliError, TERMINAL, type ApiJob } from '../api-client.js';
import { followJob } from './follow.js';

export interface ApiOptions {
  api: string;
  token?: string;
}

export function withApi(cmd: Command): Command {
  return cmd
    .addOption(new Option('--api <url>', 'mesoflow API base URL').env('MESOFLOW_API').default('http://127.0.0.1:8080'))
    .addOption(new Option('--token <token>', 'bearer token of the API').env('MESOFLOW_API_TOKEN'));
}

// Without --token / MESOFLOW_API_TOKEN, the token may come from MESOFLOW_API_TOKEN_FILE.
export const client = (o: ApiOptions) => new ApiClient({ api: o.api, token: o.token ?? loadConfig(process.env, 'cli').apiToken });

function positiveNumber(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };
}

function keyValue(name: string) {
  return (v: string, prev: Record<string, string> = {}): Record<string, string> => {
    const i = v.indexOf('=');
    if (i <= 0) throw new InvalidArgumentError(`${name} must be KEY=VALUE`);
    return { ...prev, [v.slice(0, i)]: v.slice(i + 1) };
  };
}

interface SpecOptions {
  cpus?: number;
  mem?: number;
  disk?: number;
  env?: Record<string, string>;
  label?: Record<string, string>;
  name?: string;
  id?: string;
  timeout?: number;
  attempts?: number;
}

function withSpec(cmd: Command): Command {
  return cmd
    .option('--cpus <n>', 'CPUs for the task', positiveNumber('--cpus'))
    .option('--mem <mb>', 'memory in MB', positiveNumber('--mem'))
    .option('--disk <mb>', 'disk in MB', positiveNumber('--disk'))
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', keyValue('--env'))
    .option('--label <KEY=VALUE>', 'label (repeatable)', keyValue('--label'))
    .option('--name <name>', 'a name for the job')
    .option('--id <id>', 'job id (makes the submission idempotent)')
    .option('--timeout <seconds>', 'kill an attempt after this long', positiveNumber('--timeout'))
    .option('--attempts <n>', 'attempts the job\'s own failures may use', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('--attempts must be an integer >= 1');
      return n;
    });
}

/** One argument is a shell command line; several are an argv run without a shell. */
export function specFrom(command: string[], o: SpecOptions): Record<string, unknown> {
  if (command.length === 0) throw new CliError('no command given (put it after --, e.g. mesoflow run -- echo hello)', 2);
  const spec: Record<string, unknown> = { command: command.length === 1 ? command[0] : command };
  const resources: Record<string, number> = {};
  if (o.cpus !== undefined) resources.cpus = o.cpus;
  if (o.mem !== undefined) resources.mem = o.mem;
  if (o.disk !== undefined) resources.disk = o.disk;
  if (Object.keys(resources).length) spec.resources = resources;
  if (o.env) spec.env = o.env;
  if (o.label) spec.labels = o.label;
  if (o.name) spec.name = o.name;
  if (o.id) spec.id = o.id;
  if (o.timeout !== undefined) spec.timeoutSeconds = o.timeout;
  if (o.attempts !== undefined) spec.retry = { maxAttempts: o.attempts };
  return spec;
}

/** The exit code `run` ends with: the task's, or a conventional one for outcomes without one. */
export function exitCodeOf(job: ApiJob): number {
  if (job.status === 'SUCCEEDED') return job.exitCode ?? 0;
  if (job.exitCode !== null && job.exitCode !== 0) return job.exitCode;
  if (job.status === 'CANCELLED') return 130;
  if (job.status === 'TIMED_OUT') return 124;
  return 1;
}

function summary(job: ApiJob): string {
  const a = job.attempts.at(-1);
  const lines = [
    `id:        ${job.id}${job.name ? ` (${job.name})` : ''}`,
    `status:    ${job.status}${job.exitCode !== null ? ` (exit code ${job.exitCode})` : ''}`,
  ];
  if (job.waiting) lines.push(`waiting:   ${job.waiting.reason}`);
  if (job.message) lines.push(`message:   ${job.message}`);
  if (a) lines.push(`attempt:   ${a.attempt} task ${a.taskId}${a.state ? ` ${a.state}` : ''}${a.hostname ? ` on ${a.hostname}` : ''}`);
  lines.push(`created:   ${job.createdAt}`);
  if (job.startedAt) lines.push(`started:   ${job.startedAt}`);
  if (job.endedAt) lines.push(`ended:     ${job.endedAt}`);
  if (Object.keys(job.labels).length) lines.push(`labels:    ${Object.entries(job.labels).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (job.links.temporal) lines.push(`temporal:  ${job.links.temporal}`);
  return lines.join('\n');
}

export function registerJobCommands(program: Command): void {
  withSpec(withApi(program.command('run')))
    .description('Submit a job, show its progress, stream its stdout/stderr and exit with its exit code')
    .argument('<command...>', 'the command (after --)')
    .option('-q, --quiet', 'no progress lines on stderr')
    .action(async (command: string[], o: SpecOptions & ApiOptions & { quiet?: boolean }) => {
      const api = client(o);
      const job = await api.submit(specFrom(command, o));
      const end = await followJob(api, job, { progress: !o.quiet });
      process.exitCode = exitCodeOf(end);
    });

  withSpec(withApi(program.command('submit')))
    .description('Submit a job and print its id')
    .argument('<command...>', 'the command (after --)')
    .option('--json', 'print the job as JSON')
    .action(async (command: string[], o: SpecOptions & ApiOptions & { json?: boolean }) => {
      const job = await client(o).submit(specFrom(command, o));
      process.stdout.write(o.json ? `${JSON.stringify(job, null, 2)}\n` : `${job.id}\n`);
    });

  withApi(program.command('status'))
    .description('Show a job')
    .argument('<id>', 'job id')
    .option('--json', 'print the job as JSON')
    .action(async (id: string, o: ApiOptions & { json?: boolean }) => {
      const job = await client(o).job(id);
      process.stdout.write(o.json ? `${JSON.stringify(job, null, 2)}\n` : `${summary(job)}\n`);
    });

  withApi(program.command('list'))
    .description('List jobs, newest first')
    .option('--status <status>', 'only jobs with this status')
    .option('--label <KEY=VALUE>', 'only jobs with this label (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--limit <n>', 'page size', '20')
    .option('--cursor <cursor>', 'the next-page cursor a previous list printed')
    .option('--json', 'print the page as JSON')
    .action(async (o: ApiOptions & { status?: string; label?: string[]; limit: string; cursor?: string; json?: boolean }) => {
      const q = new URLSearchParams();
      if (o.status) q.set('status', o.status);
      for (const l of o.label ?? []) q.append('label', l);
      q.set('limit', o.limit);
      if (o.cursor) q.set('cursor', o.cursor);
      const page = await client(o).json<{ jobs: ApiJob[]; nextCursor: string | null }>('GET', `v1/jobs?${q.toString()}`);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        return;
      }
      for (const j of page.jobs) {
        process.stdout.write(`${j.id}\t${j.status}${j.exitCode !== null ? `(${j.exitCode})` : ''}\t${j.createdAt}\t${j.name ?? ''}\n`);
      }
      if (page.nextCursor) process.stderr.write(`more: --cursor ${page.nextCursor}\n`);
    });

  withApi(program.command('logs'))
    .description("Print a job's stdout (or stderr)")
    .argument('<id>', 'job id')
    .option('--stderr', 'stderr instead of stdout')
    .option('-f, --follow', 'keep printing until the job ends')
    .action(async (id: string, o: ApiOptions & { stderr?: boolean; follow?: boolean }) => {
      const api = client(o);
      const stream = o.stderr ? 'stderr' : 'stdout';
      const out = o.stderr ? process.stderr : process.stdout;
      let offset = 0;
      for (;;) {
        const r = await api.logs(id, stream, offset);
        if (r.data.length > 0) out.write(r.data);
        offset = r.next;
        if (r.data.length > 0) continue;
        if (!o.follow || (r.status !== undefined && TERMINAL.has(r.status))) break;
        await new Promise((res) => setTimeout(res, 500));
      }
    });

  withApi(program.command('cancel'))
    .description('Cancel a job (its task is killed)')
    .argument('<id>', 'job id')
    .action(async (id: string, o: ApiOptions) => {
      await client(o).cancel(id);
      process.stdout.write(`cancellation of ${id} requested\n`);
    });
}
