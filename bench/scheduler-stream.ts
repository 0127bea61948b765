// End-to-end event rate of a SchedulerClient subscription over loopback: a
// fake master writes N recorded-shape UPDATE events (one chunk each, as
// Mesos does) and the client decodes, validates and yields them. Headline:
// events per second through the whole stack (RecordIO + lossless JSON + zod).
import { performance } from 'node:perf_hooks';
import { SchedulerClient } from '../mesos/client/index.js';
import { FakeMaster } from '../test/support/fake-master.js';

const N = 50_000;

const update = (i: number): string =>
  JSON.stringify({
    type: 'UPDATE',
    update: {
      status: {
        task_id: { value: `bench-task-${i}` },
        state: 'TASK_RUNNING',
        source: 'SOURCE_EXECUTOR',
        agent_id: { value: 'eab525ee-5e1f-45be-bf32-1db6aa37e62d-S0' },
        executor_id: { value: `bench-task-${i}` },
        timestamp: 1795532553.6952083,
        uuid: '/X8EoHIASK+k046lC32mNw==',
        container_status: {
          container_id: { value: 'badc06b6-b524-4345-b64a-63939405220a' },
          network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '127.0.0.1' }] }],
          executor_pid: 24156,
        },
      },
    },
  });

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
  console.log(`events: ${updates} UPDATE`);
  console.log(`elapsed: ${s.toFixed(2)} s`);
  console.log(`subscription events/s: ${Math.round(updates / s)}`);
}
