// `mesoflow devcluster`: prints the master URL once ready; SIGINT stops it and every task process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { alive } from '../../support/processes.js';
import { ack, frameworkInfo, http, launch, nextOffer, nextUpdate, subscribe, task } from './master-support.js';

describe('mesoflow devcluster (CLI)', () => {
  it('serves a master, prints its URL, and stops every task process on SIGINT', async (t) => {
    const child = spawn(process.execPath, ['cli/bin.js', 'devcluster', '--port', '0', '--agents', '1', '--resources', 'cpus:2;mem:1024;disk:1024;ports:[31000-32000]'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.resume();
    const lines = createInterface({ input: child.stdout });
    const out: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; got ${out.join('\n')}`)), 30_000);
      lines.on('line', (line) => {
        out.push(line);
        const m = /^Mesos master \(devcluster\) at (http:\/\/\S+)$/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      });
    });
    assert.equal((await http(`${url}/health`, { method: 'GET' })).status, 200);
    const s = await subscribe(url, frameworkInfo('cli'));
    const offer = await nextOffer(s);
    await s.call(launch([offer.id.value], [task('cli-sleep', offer.agent_id.value, 'sleep 300')]));
    const starting = await nextUpdate(s, 'cli-sleep', 'TASK_STARTING');
    await ack(s, starting);
    const running = await nextUpdate(s, 'cli-sleep', 'TASK_RUNNING');
    const pid = (running.container_status as { executor_pid?: number } | undefined)?.executor_pid;
    assert.equal(typeof pid, 'number');
    assert.ok(alive(pid as number));
    assert.ok(out.some((l) => /^agent \S+ at http:\/\//.test(l)));

    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    const deadline = Date.now() + 10_000;
    while (alive(pid as number) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(pid as number), false);
  });
});
