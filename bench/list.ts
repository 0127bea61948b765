// GET /v1/jobs with 10,000 jobs in the namespace: the time of one page of
// 100 (JobService.list, what the route calls), filtered by status and by
// label, unfiltered, and the next page by cursor. The jobs are jobWorkflow
// executions started with the search attributes and memo the API starts
// jobs with, spread over the eight statuses; no worker runs them (a list
// never asks a workflow anything, which is what this measures).
// Baseline in the same run: a bare ListWorkflowExecutions of 100 on the same
// server, the floor one visibility call sets here.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { JobService } from '../api/job-service.js';
import { GrpcTemporalAccess } from '../api/temporal/grpc-access.js';
import { startDevServer } from '../stack/temporal-dev-server.js';
import { jobStatuses } from '../workflows/job-status.js';
import { JOB_STEPS_VERSION, type JobWorkflowInput } from '../workflows/job-workflow.js';
import { frameworkKey, jobStatusKey, labelsKey } from '../workflows/search-attribute-keys.js';
import { searchAttributeDefs } from '../workflows/search-attributes.js';
import { median, quantile } from './lib/stats.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGE = 100;

async function mapLimit(n: number, limit: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function run(): Promise<void> {
  const server = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const frameworkName = `bench-${randomUUID().slice(0, 8)}`;
  const taskQueue = `bench-list-${frameworkName}`;
  const service = new JobService({ temporal: new GrpcTemporalAccess(client, server.namespace), frameworkName, taskQueue });
  try {
    const t0 = performance.now();
    await mapLimit(JOBS, 64, async (i) => {
      const status = jobStatuses[i % jobStatuses.length] as string;
      const input: JobWorkflowInput = { spec: { command: 'true' }, frameworkName, steps: JOB_STEPS_VERSION };
      await client.workflow.start('jobWorkflow', {
        taskQueue,
        workflowId: `job-list-${i}`,
        args: [input],
        memo: { name: `job ${i}`, ...(status === 'FAILED' ? { exitCode: 3, message: 'all 1 attempts used' } : {}) },
        typedSearchAttributes: [
          { key: jobStatusKey, value: status },
          { key: frameworkKey, value: frameworkName },
          { key: labelsKey, value: [`team=t${i % 10}`] },
        ],
      });
    });
    console.error(`started ${JOBS} jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // Visibility is eventually consistent: wait until it counts them all.
    for (let i = 0; i < 600; i++) {
      const c = await client.workflow.count(`WorkflowType = 'jobWorkflow' AND MesoflowFramework = '${frameworkName}'`);
      if (c.count >= JOBS) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    const cases: Record<string, number[]> = { unfiltered: [], by_status: [], by_label: [], next_page: [], bare_visibility: [] };
    let rows = 0;
    let fullPages = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      cases.unfiltered?.push(await timeMs(async () => (rows = (await service.list({ labels: [], limit: PAGE })).jobs.length)));
      let cursor: string | null = null;
      cases.by_status?.push(
        await timeMs(async () => {
          const r = await service.list({ labels: [], limit: PAGE, status: 'RUNNING' });
          cursor = r.nextCursor;
          if (r.jobs.length === PAGE && r.jobs.every((j) => j.progress === undefined)) fullPages++;
        }),
      );
      cases.by_label?.push(await timeMs(() => service.list({ labels: ['team=t3'], limit: PAGE })));
      const c = cursor as string | null;
      if (c !== null) cases.next_page?.push(await timeMs(() => service.list({ labels: [], limit: PAGE, status: 'RUNNING', cursor: c })));
      cases.bare_visibility?.push(
        await timeMs(() =>
          client.workflowService.listWorkflowExecutions({ namespace: server.namespace, pageSize: PAGE, query: `WorkflowType = 'jobWorkflow' AND MesoflowFramework = '${frameworkName}'` }),
        ),
      );
      console.error(
        `round ${round}: ${Object.entries(cases)
          .map(([k, v]) => `${k} ${(v.at(-1) ?? NaN).toFixed(1)} ms`)
          .join(', ')}`,
      );
    }
    console.log(`jobs_in_namespace: ${JOBS}`);
    console.log(`rounds: ${ROUNDS}`);
    console.log(`rows_per_page: ${rows}`);
    console.log(`full_status_pages: ${fullPages}/${ROUNDS}`);
    for (const [k, v] of Object.entries(cases)) {
      const sorted = [...v].sort((a, b) => a - b);
      console.log(`list_${k}_rounds_ms: ${v.map((x) => x.toFixed(1)).join(' ')}`);
      console.log(`list_${k}_p95_ms: ${quantile(sorted, 0.95).toFixed(1)}`);
      if (k !== 'by_status') console.log(`list_${k}_median_ms: ${median(v).toFixed(1)}`);
    }
    console.log(`list_page_of_${PAGE}_by_status_median_ms: ${median(cases.by_status ?? []).toFixed(1)}`);
  } finally {
    await connection.close().catch(() => undefined);
    await server.stop();
  }
}
