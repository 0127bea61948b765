// Following a job for `mesoflow run`: progress lines from the event stream
// on stderr, the task's stdout and stderr copied as they grow, until the job
// ends. Ctrl-C cancels the job (a second one leaves at once).
import { setTimeout as sleep } from 'node:timers/promises';
import { TERMINAL, type ApiClient, type ApiJob } from '../api-client.js';

export interface FollowOptions {
  progress: boolean;
  logPollMs?: number;
}

function describe(job: ApiJob): string {
  const a = job.attempts.at(-1);
  switch (job.status) {
    case 'WAITING_FOR_OFFER':
      return `waiting for an offer${job.waiting ? `: ${job.waiting.reason}` : ''}`;
    case 'RUNNING':
      return `running${a?.hostname ? ` on ${a.hostname}` : ''}${a ? ` (task ${a.taskId})` : ''}`;
    case 'SUCCEEDED':
    case 'FAILED':
      return `${job.status.toLowerCase()}${job.exitCode !== null ? ` with exit code ${job.exitCode}` : ''}${job.message && job.status === 'FAILED' ? `: ${job.message}` : ''}`;
    default:
      return job.status.toLowerCase().replace(/_/g, ' ');
  }
}

export async function followJob(api: ApiClient, submitted: ApiJob, options: FollowOptions): Promise<ApiJob> {
  const note = (s: string) => {
    if (options.progress) process.stderr.write(`mesoflow: ${s}\n`);
  };
  note(`job ${submitted.id} submitted`);
  let last: ApiJob = submitted;
  let ended = false;
  let cancelling = false;
  const onSigint = () => {
    if (cancelling) process.exit(130);
    cancelling = true;
    note(`cancelling job ${submitted.id} (Ctrl-C again to leave without waiting)`);
    api.cancel(submitted.id).catch((err: unknown) => note(`cancel failed: ${(err as Error).message}`));
  };
  process.on('SIGINT', onSigint);

  const offsets = { stdout: 0, stderr: 0 };
  const drain = async (stream: 'stdout' | 'stderr') => {
    for (;;) {
      const r = await api.logs(submitted.id, stream, offsets[stream]);
      offsets[stream] = r.next;
      if (r.data.length === 0) return;
      (stream === 'stdout' ? process.stdout : process.stderr).write(r.data);
    }
  };
  const logs = (async () => {
    while (!ended) {
      await Promise.all([drain('stdout'), drain('stderr')]).catch(() => undefined);
      await sleep(options.logPollMs ?? 300);
    }
  })();

  try {
    let lastLine = '';
    // The stream may drop (API restart): read the job and follow again.
    while (!ended) {
      try {
        for await (const job of api.events(submitted.id)) {
          last = job;
          const line = describe(job);
          if (line !== lastLine) note(line);
          lastLine = line;
          if (TERMINAL.has(job.status)) ended = true;
        }
      } catch (err) {
        note(`event stream interrupted (${(err as Error).message}); reconnecting`);
      }
      if (!ended) {
        await sleep(1000);
        last = await api.job(submitted.id);
        if (TERMINAL.has(last.status)) {
          ended = true;
          note(describe(last));
        }
      }
    }
  } finally {
    ended = true;
    process.off('SIGINT', onSigint);
  }
  await logs;
  // Everything the task wrote, to the last byte.
  await drain('stdout');
  await drain('stderr');
  return last;
}
