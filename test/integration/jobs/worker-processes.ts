// Worker processes (worker/main.ts, as deployed) against a test stack, for
// the tests that SIGKILL a worker mid-run: started with the stack's
// Temporal, master, framework and queue, their output kept (the last 20 KB,
// for a failing test's diagnostics), and killed at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Stack } from './stack.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export class WorkerProcesses {
  private readonly children: ChildProcess[] = [];
  /** What the workers printed, the last 20 KB. */
  output = '';

  constructor(private readonly stack: () => Stack) {}

  spawn(): ChildProcess {
    const st = this.stack();
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: st.temporal.address,
        TEMPORAL_NAMESPACE: st.temporal.namespace,
        MESOS_MASTER: st.cluster.masterUrl,
        MESOFLOW_FRAMEWORK_NAME: st.frameworkName,
        MESOFLOW_TASK_QUEUE: st.taskQueue,
        MESOFLOW_SESSION_HEARTBEAT_TIMEOUT: String(st.workerConfig.sessionHeartbeatTimeoutSeconds),
        MESOFLOW_FAILOVER_TIMEOUT: '600',
        MESOFLOW_DECLINE_REFUSE_SECONDS: '1',
        MESOFLOW_LEASE_TIMEOUT_MS: '2000',
        MESOFLOW_LOG_LEVEL: 'warn',
      },
    });
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.push(child);
    return child;
  }

  /** SIGKILL every worker still running. */
  killAll(): void {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}
