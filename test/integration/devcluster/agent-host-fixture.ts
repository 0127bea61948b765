// A process hosting one agent with one long task; prints the task's pid and
// then idles, so a test can kill this process and watch the task die with it.
import { createAgent } from '../../../devcluster/agent/agent.js';
import { framework, shellTask } from './agent-test-support.js';

const workDir = process.argv[2] as string;
const agent = await createAgent({ id: 'host-fixture-S0', workDir, resources: 'cpus:1;mem:128' }, { statusUpdate: () => undefined });
agent.launchTask(framework(), shellTask('orphan-candidate', 'sleep 300 & sleep 300'));
const timer = setInterval(() => {
  const pid = agent.tasks()[0]?.pid;
  if (pid !== undefined) {
    process.stdout.write(`${pid}\n`);
    clearInterval(timer);
  }
}, 20);
setInterval(() => undefined, 60_000);
