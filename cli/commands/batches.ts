// The batch commands of `mesoflow`: batch submit FILE|- [--wait], status,
// jobs, list, cancel. They talk to the HTTP API like the job commands.
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { request } from 'undici';
import { ApiClient, CliError, type ApiJob } from '../api-client.js';
import type { BatchCounts } from '../../workflows/batch-scheduler.js';

interface ApiOptions {
  api: string;
  token?: string;
}

export interface ApiBatch {
  id: string;
  name: string | null;
  status: string;
  /** As the API serves it: the batch workflow's counts. */
  counts: BatchCounts | null;
  maxParallel: number | null;
  stopReason: string | null;
  nodes: Array<{ name: string | null; count: number; waitingFor: string[]; skipped: number; skipReason: string | null; pendingReason: string | null }>;
  createdAt: string;
  endedAt: string | null;
  links: { temporal: string | null };
}

function withApi(cmd: Command): Command {
  return cmd
    .addOption(new Option('--api <url>', 'mesoflow API base URL').env('MESOFLOW_API').default('http://127.0.0.1:8080'))
    .addOption(new Option('--token <token>', 'bearer token of the API').env('MESOFLOW_API_TOKEN'));
}

const client = (o: ApiOptions) => new ApiClient({ api: o.api, token: o.token });
const path = (id: string, rest = '') => `v1/batches/${encodeURIComponent(id)}${rest}`;

async function readSpec(file: string): Promise<unknown> {
  let text: string;
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      text = await readFile(file, 'utf8');
    }
  } catch (err) {
    throw new CliError(`cannot read the batch spec ${file}: ${(err as Error).message}`, 2);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`the batch spec ${file === '-' ? '(stdin)' : file} is not valid JSON: ${(err as Error).message}`, 2);
  }
}

/** One line of live counts, e.g. `RUNNING 12/400 done: 30 succeeded, 1 failed; 5 running, 364 pending`. */
export function countsLine(b: ApiBatch): string {
  const c = b.counts;
  if (!c) return `${b.status} (counts not available yet)`;
  const done = c.SUCCEEDED + c.FAILED + c.TIMED_OUT + c.CANCELLED + c.SKIPPED;
  const parts = [`${c.SUCCEEDED} succeeded`];
  if (c.FAILED) parts.push(`${c.FAILED} failed`);
  if (c.TIMED_OUT) parts.push(`${c.TIMED_OUT} timed out`);
  if (c.CANCELLED) parts.push(`${c.CANCELLED} cancelled`);
  if (c.SKIPPED) parts.push(`${c.SKIPPED} skipped`);
  return `${b.status} ${done}/${c.total} done: ${parts.join(', ')}; ${c.RUNNING} running, ${c.PENDING} pending`;
}

function summary(b: ApiBatch): string {
  const lines = [`id:        ${b.id}${b.name ? ` (${b.name})` : ''}`, `status:    ${countsLine(b)}`];
  if (b.maxParallel !== null) lines.push(`parallel:  at most ${b.maxParallel}`);
  if (b.stopReason) lines.push(`stopped:   ${b.stopReason}`);
  for (const n of b.nodes) {
    const why = n.skipReason ? ` skipped: ${n.skipReason}` : n.pendingReason ? ` ${n.pendingReason}` : '';
    if (n.name === null) {
      if (why) lines.push(`pending:  ${why}`);
      continue;
    }
    lines.push(`node:      ${n.name} (${n.count} job${n.count === 1 ? '' : 's'})${why}`);
  }
  lines.push(`created:   ${b.createdAt}`);
  if (b.endedAt) lines.push(`ended:     ${b.endedAt}`);
  if (b.links.temporal) lines.push(`temporal:  ${b.links.temporal}`);
  return lines.join('\n');
}

/** Follows the batch's event stream, printing a counts line per change on stderr; returns the terminal batch. */
async function waitFor(api: ApiClient, first: ApiBatch): Promise<ApiBatch> {
  let last = first;
  let res;
  try {
    res = await request(api.url(path(first.id, '/events')), { headers: api.headers({ accept: 'text/event-stream' }), bodyTimeout: 0 });
  } catch (err) {
    throw new CliError(`cannot reach the mesoflow API at ${api.target.api} (${(err as Error).message})`);
  }
  if (res.statusCode >= 400) throw new CliError(`events of batch ${first.id}: HTTP ${res.statusCode} ${await res.body.text()}`);
  let buf = '';
  for await (const chunk of res.body) {
    buf += (chunk as Buffer).toString('utf8');
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      if (!data) continue;
      last = JSON.parse(data) as ApiBatch;
      process.stderr.write(`mesoflow: batch ${last.id} ${countsLine(last)}\n`);
    }
  }
  // The stream ended (terminal, or the connection dropped): ask once more.
  if (last.status === 'RUNNING') last = await api.json<ApiBatch>('GET', path(first.id));
  if (last.status === 'RUNNING') throw new CliError(`the event stream of batch ${first.id} ended before the batch did`);
  return last;
}

export function registerBatchCommands(program: Command): void {
  const batch = program.command('batch').description('Batches: many jobs as one (an array or a dependency graph)');

  withApi(batch.command('submit'))
    .description('Submit a batch spec (JSON) from FILE or - (stdin) and print its id')
    .argument('<file>', 'the batch spec, or - for stdin')
    .option('--id <id>', 'batch id (makes the submission idempotent); overrides the spec\'s id')
    .option('--wait', 'show live counts and exit non-zero unless the batch succeeded')
    .option('--json', 'print the batch as JSON')
    .action(async (file: string, o: ApiOptions & { id?: string; wait?: boolean; json?: boolean }) => {
      const spec = await readSpec(file);
      if (o.id !== undefined) {
        if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new CliError('the batch spec must be a JSON object', 2);
        (spec as Record<string, unknown>).id = o.id;
      }
      const api = client(o);
      const b = await api.json<ApiBatch>('POST', 'v1/batches', spec);
      if (!o.wait) {
        process.stdout.write(o.json ? `${JSON.stringify(b, null, 2)}\n` : `${b.id}\n`);
        return;
      }
      process.stderr.write(`mesoflow: batch ${b.id} submitted${b.links.temporal ? ` (${b.links.temporal})` : ''}\n`);
      const end = await waitFor(api, b);
      process.stdout.write(o.json ? `${JSON.stringify(end, null, 2)}\n` : `${summary(end)}\n`);
      process.exitCode = end.status === 'SUCCEEDED' ? 0 : end.status === 'CANCELLED' ? 130 : 1;
    });

  withApi(batch.command('status'))
    .description('Show a batch: counts by job status, what its nodes wait for')
    .argument('<id>', 'batch id')
    .option('--json', 'print the batch as JSON')
    .action(async (id: string, o: ApiOptions & { json?: boolean }) => {
      const b = await client(o).json<ApiBatch>('GET', path(id));
      process.stdout.write(o.json ? `${JSON.stringify(b, null, 2)}\n` : `${summary(b)}\n`);
    });

  withApi(batch.command('jobs'))
    .description('List the jobs of a batch (SKIPPED: the ones never started, with why)')
    .argument('<id>', 'batch id')
    .option('--status <status>', 'only jobs with this status (SKIPPED included)')
    .option('--limit <n>', 'page size', '50')
    .option('--cursor <cursor>', 'the next-page cursor a previous call printed')
    .option('--json', 'print the page as JSON')
    .action(async (id: string, o: ApiOptions & { status?: string; limit: string; cursor?: string; json?: boolean }) => {
      const q = new URLSearchParams({ limit: o.limit });
      if (o.status) q.set('status', o.status);
      if (o.cursor) q.set('cursor', o.cursor);
      const page = await client(o).json<{ jobs: ApiJob[]; skipped: Array<{ id: string; reason: string }>; nextCursor: string | null }>('GET', path(id, `/jobs?${q.toString()}`));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        return;
      }
      for (const j of page.jobs) process.stdout.write(`${j.id}\t${j.status}${j.exitCode !== null ? `(${j.exitCode})` : ''}\t${j.startedAt ?? '-'}\t${j.endedAt ?? '-'}\n`);
      for (const j of page.skipped) process.stdout.write(`${j.id}\tSKIPPED\t${j.reason}\n`);
      if (page.nextCursor) process.stderr.write(`more: --cursor ${page.nextCursor}\n`);
    });

  withApi(batch.command('list'))
    .description('List batches, newest first')
    .option('--status <status>', 'RUNNING, SUCCEEDED, FAILED or CANCELLED')
    .option('--label <KEY=VALUE>', 'only batches with this label (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--limit <n>', 'page size', '20')
    .option('--cursor <cursor>', 'the next-page cursor a previous list printed')
    .option('--json', 'print the page as JSON')
    .action(async (o: ApiOptions & { status?: string; label?: string[]; limit: string; cursor?: string; json?: boolean }) => {
      const q = new URLSearchParams({ limit: o.limit });
      if (o.status) q.set('status', o.status);
      for (const l of o.label ?? []) q.append('label', l);
      if (o.cursor) q.set('cursor', o.cursor);
      const page = await client(o).json<{ batches: ApiBatch[]; nextCursor: string | null }>('GET', `v1/batches?${q.toString()}`);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        return;
      }
      for (const b of page.batches) process.stdout.write(`${b.id}\t${countsLine(b)}\t${b.createdAt}\t${b.name ?? ''}\n`);
      if (page.nextCursor) process.stderr.write(`more: --cursor ${page.nextCursor}\n`);
    });

  withApi(batch.command('cancel'))
    .description('Cancel a batch: pending jobs end SKIPPED, running ones are killed with their grace period')
    .argument('<id>', 'batch id')
    .action(async (id: string, o: ApiOptions) => {
      await client(o).call('POST', path(id, '/cancel'));
      process.stdout.write(`cancellation of batch ${id} requested\n`);
    });
}
