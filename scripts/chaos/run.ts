// One fault-suite run: start the stack, submit the jobs at a steady pace
// through the API, inject the scheduled faults meanwhile, wait (bounded) for
// every job to end, then read the figures. The stack is always stopped.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeFigures, type Figure, type FaultRecord, type JobHistory, type JobRecord } from './figures.js';
import { injectFault } from './faults.js';
import { getJson, jobHistory, jobView, pollMasterTasks, pool, postJson, readJournal, retry } from './observe.js';
import { buildSchedule, describeSchedule, type FaultKind, type ScheduledFault } from './schedule.js';
import { startChaosStack, type ChaosStack } from './stack.js';

export interface ChaosOptions {
  jobs: number;
  /** The job's command (a short sleep). */
  command: string;
  counts: Partial<Record<FaultKind, number>>;
  /** First fault, ms after the first submission. */
  firstFaultAtMs: number;
  spacingMs: number;
  /** The submissions are spread evenly over this long. */
  submitOverMs: number;
  /** After the last fault and submission, how long the jobs get to end. */
  drainTimeoutMs: number;
  sessionHeartbeatTimeoutSeconds: number;
  /** The devcluster master's HEARTBEAT interval (Mesos: 15 s); a stalled stream is given up after 5 missed ones. */
  masterHeartbeatMs: number;
  agentResources: string;
  token?: string;
  say: (line: string) => void;
}

export interface ChaosResult {
  figures: Figure[];
  schedule: ScheduledFault[];
  faults: FaultRecord[];
  runDir: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const runDir = mkdtempSync(join(tmpdir(), 'mesoflow-chaos-'));
  const runId = runDir.slice(-6).toLowerCase().replace(/[^a-z0-9]/g, 'x');
  const frameworkName = `chaos-${runId}`;
  const schedule = buildSchedule({ counts: o.counts, firstAtMs: o.firstFaultAtMs, spacingMs: o.spacingMs });
  o.say(`run directory (logs, Temporal database): ${runDir}`);
  for (const line of describeSchedule(schedule)) o.say(line);

  const began = Date.now();
  let stack: ChaosStack | undefined;
  try {
    stack = await startChaosStack({
      runDir,
      frameworkName,
      agentResources: o.agentResources,
      sessionHeartbeatTimeoutSeconds: o.sessionHeartbeatTimeoutSeconds,
      masterHeartbeatMs: o.masterHeartbeatMs,
      token: o.token,
      say: o.say,
    });
    const s = stack;
    const headers: Record<string, string> = o.token ? { authorization: `Bearer ${o.token}` } : {};
    await retry('the API to be ready (session held)', () => getJson(`${s.apiUrl}/readyz`), 180_000);
    o.say(`stack up in ${((Date.now() - began) / 1000).toFixed(0)} s: API ${s.apiUrl}, Temporal ${s.temporalAddress}, masters ${s.masterUrls.join(' ')}`);

    // GET_TASKS through the run: a failed-over master forgets completed tasks.
    const masterTasks = new Map<string, Set<string>>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await pollMasterTasks(s.masterUrls, masterTasks).catch(() => undefined);
        await sleep(2000);
      }
    })();

    const t0 = Date.now();
    const jobs: JobRecord[] = Array.from({ length: o.jobs }, (_, i) => ({ id: `${frameworkName}-job-${i}`, submitted: false, view: undefined }));
    const submitDeadline = t0 + o.submitOverMs + 180_000;
    const submitter = pool(jobs, 32, async (job) => {
      const index = Number(job.id.slice(job.id.lastIndexOf('-') + 1));
      const due = t0 + (o.jobs > 1 ? (index * o.submitOverMs) / (o.jobs - 1) : 0);
      if (due > Date.now()) await sleep(due - Date.now());
      // The same id resubmitted is idempotent (200), so a retry after a lost answer is safe.
      await retry(`submit ${job.id}`, () => postJson(`${s.apiUrl}/v1/jobs`, { id: job.id, command: o.command, resources: { cpus: 0.1, mem: 16 } }, headers), Math.max(1000, submitDeadline - Date.now())).then(
        () => (job.submitted = true),
        (err: unknown) => o.say(`could not submit ${job.id}: ${String(err)}`),
      );
    });

    // A mesoflow process that exited by itself (not by an injected fault) is
    // started again and counted: the figures say so instead of the run
    // quietly losing its API or a worker.
    let unexpectedExits = 0;
    const revive = () => {
      for (const p of [s.app, ...s.workers]) {
        if (p.running) continue;
        unexpectedExits++;
        o.say(`${p.spec.name} exited on its own (see ${p.spec.logFile}); starting it again`);
        p.start();
      }
    };
    const faults: FaultRecord[] = [];
    for (const [i, f] of schedule.entries()) {
      const due = t0 + f.atMs;
      if (due > Date.now()) await sleep(due - Date.now());
      revive();
      try {
        const rec = await injectFault({ stack: s, frameworkName, agentResources: o.agentResources }, f);
        faults.push(rec);
        o.say(`fault ${i + 1} ${f.kind} at +${((rec.at - t0) / 1000).toFixed(1)} s: ${rec.detail}`);
      } catch (err) {
        o.say(`fault ${i + 1} ${f.kind} could not be injected: ${String(err)}`);
      }
    }
    await submitter;
    o.say(`all faults injected, ${jobs.filter((j) => j.submitted).length} of ${o.jobs} jobs submitted at +${((Date.now() - t0) / 1000).toFixed(0)} s; waiting up to ${o.drainTimeoutMs / 1000} s for them to end`);

    // Bounded wait: a job is done once its workflow closed.
    let open = jobs.filter((j) => j.submitted).map((j) => j.id);
    const drainDeadline = Date.now() + o.drainTimeoutMs;
    let lastSaid = 0;
    while (open.length > 0 && Date.now() < drainDeadline) {
      const still = await pool(open, 16, async (id) => {
        const d = await s.client.workflow.getHandle(id).describe().catch(() => undefined);
        return d === undefined || d.status.name === 'RUNNING' ? id : undefined;
      });
      open = still.filter((x): x is string => x !== undefined);
      revive();
      if (open.length > 0) {
        if (Date.now() - lastSaid > 15_000) {
          o.say(`${open.length} jobs still running`);
          lastSaid = Date.now();
        }
        await sleep(2000);
      }
    }
    const wallMs = Date.now() - t0;
    polling = false;
    await poller;
    await pollMasterTasks(s.masterUrls, masterTasks).catch(() => undefined);

    revive();
    await retry('the API to answer again', () => getJson(`${s.apiUrl}/healthz`), 180_000).catch(() => undefined);
    await pool(jobs, 8, async (j) => {
      j.view = await retry(`read ${j.id}`, () => jobView(s.apiUrl, j.id, headers), 30_000).catch(() => undefined);
    });
    const histories = new Map<string, JobHistory>();
    await pool(jobs.filter((j) => j.submitted), 8, async (j) => {
      const h = await retry(`history of ${j.id}`, () => jobHistory(s.client, j.id), 30_000).catch(() => undefined);
      if (h) histories.set(j.id, h);
    });
    const journal = await retry('the master journal', () => readJournal(s.masterUrls), 30_000);
    if (journal.dropped > 0) o.say(`warning: the master journal dropped its ${journal.dropped} oldest entries`);
    const figures = computeFigures({ jobs, masterTasks, launches: journal.launches, acks: journal.acks, histories, faults, wallMs });
    // Before the headline (which stays last).
    figures.splice(figures.length - 1, 0, ['processes_exited_unexpectedly_count', unexpectedExits]);
    return { figures, schedule, faults, runDir };
  } finally {
    await stack?.stop();
  }
}

