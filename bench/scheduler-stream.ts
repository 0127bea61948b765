// End-to-end event rate of a SchedulerClient subscription over loopback: a
// fake master writes N recorded-shape UPDATE events (one chunk each, as
// Mesos does) and the client decodes, validates and yields them. Headline:
// events per second through the whole stack (RecordIO + lossless JSON + zod).
import { performance } from 'node:perf_hooks';
import { SchedulerClient } from '../mesos/client/index.js';
import { FakeMaster } from '../test/support/fake-master.js';
import { sampleRunningUpdate } from './lib/sample-update.js';

const N = 50_000;

const update = (i: number): string => sampleRunningUpdate(`bench-task-${i}`);


export async function run(): Promise<void> {
  const master = await FakeMaster.start({
    heartbeats: false,
    onSubscribe: async ({ stream, master: m }) => {
      m.writeOpening(stream);
      for (let i = 0; i < N; i++) {
        stream.writeEvent(update(i));
        // Let the socket drain now and then so memory stays flat.
        if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
      }
      stream.end();
    },
  });
  const client = new SchedulerClient({ masters: [master.url] });
  let updates = 0;
  let t0 = 0;
  try {
    for await (const ev of client.subscribe({ user: 'bench', name: 'bench' })) {
      if (ev.type === 'SUBSCRIBED') t0 = performance.now();
      if (ev.type === 'UPDATE') updates++;
      if (updates === N) break;
    }
  } finally {
    await client.close();
    await master.stop();
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`update_events: ${updates}`);
  console.log(`elapsed_s: ${s.toFixed(2)}`);
  console.log(`subscription_events_per_s: ${Math.round(updates / s)}`);
}
