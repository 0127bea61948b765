// Helpers for the devcluster agent tests: a sink that records every update
// the agent sends and lets a test wait for one, and small task builders.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { FrameworkInfo, TaskInfo, TaskStatus } from '../../../mesos/schemas/index.js';
import type { AgentSink, AgentStatusUpdate } from '../../../devcluster/agent/contract.js';
import { createAgent, type AgentOptions, type DevAgentHandle } from '../../../devcluster/agent/agent.js';

export const FRAMEWORK_ID = 'test-master-0000';
export const AGENT_ID = 'test-master-S0';

export class CollectingSink implements AgentSink {
  readonly updates: AgentStatusUpdate[] = [];
  private waiters = new Set<() => void>();

  statusUpdate(update: AgentStatusUpdate): void {
    this.updates.push(structuredClone(update));
    for (const w of [...this.waiters]) w();
  }

  /** First sends (not retries) for a task, in order. */
  sent(taskId: string): TaskStatus[] {
    return this.updates.filter((u) => u.status.task_id.value === taskId && !u.retry).map((u) => u.status);
  }

  all(taskId: string): AgentStatusUpdate[] {
    return this.updates.filter((u) => u.status.task_id.value === taskId);
  }

  /** Resolves with the first truthy value of `probe`, re-checked after every update and every 50 ms. */
  waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const v = probe();
        if (v === undefined || v === false) return false;
        cleanup();
        resolve(v);
        return true;
      };
      const poll = setInterval(() => check(), 50);
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; updates: ${JSON.stringify(this.updates.map((u) => [u.status.task_id.value, u.status.state, u.retry]))}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearInterval(poll);
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = (): void => {
        check();
      };
      this.waiters.add(waiter);
      check();
    });
  }

  /** Waits for the n-th (1-based) first send of a task. */
  nth(taskId: string, n: number, timeoutMs?: number): Promise<TaskStatus> {
    return this.waitFor(() => this.sent(taskId)[n - 1], `update #${n} of ${taskId}`, timeoutMs);
  }
}

/** Acknowledges each update of the task as it arrives until a terminal one; returns all of them. */
export async function runToEnd(agent: DevAgentHandle, sink: CollectingSink, taskId: string, frameworkId = FRAMEWORK_ID, timeoutMs = 20_000): Promise<TaskStatus[]> {
  const terminal = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE']);
  for (let n = 1; ; n++) {
    const s = await sink.nth(taskId, n, timeoutMs);
    agent.acknowledge(frameworkId, taskId, s.uuid as string);
    if (terminal.has(s.state)) return sink.sent(taskId);
  }
}

export function framework(capabilities: string[] = [], id = FRAMEWORK_ID): FrameworkInfo & { id: { value: string } } {
  return {
    id: { value: id },
    name: 'agent-tests',
    user: userInfo().username,
    roles: ['*'],
    capabilities: capabilities.map((type) => ({ type })),
  } as FrameworkInfo & { id: { value: string } };
}

export function shellTask(taskId: string, command: string, extra: Partial<TaskInfo> = {}): TaskInfo {
  return {
    name: taskId,
    task_id: { value: taskId },
    agent_id: { value: AGENT_ID },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, allocation_info: { role: '*' } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 }, allocation_info: { role: '*' } },
    ],
    command: { value: command },
    ...extra,
  } as TaskInfo;
}

/** A started agent in a fresh work dir, stopped and removed after the test. */
export async function startTestAgent(t: TestContext, options: Partial<AgentOptions> = {}): Promise<{ agent: DevAgentHandle; sink: CollectingSink; workDir: string }> {
  const workDir = mkdtempSync(join(tmpdir(), 'mesoflow-agent-test-'));
  const sink = new CollectingSink();
  const agent = await createAgent(
    { id: AGENT_ID, workDir, resources: 'cpus:2;mem:1024;disk:1024;ports:[31000-32000]', statusUpdateRetryMs: 60_000, ...options },
    sink,
  );
  t.after(async () => {
    await agent.stop();
    rmSync(workDir, { recursive: true, force: true });
  });
  return { agent, sink, workDir };
}

export function sandboxOf(agent: DevAgentHandle, taskId: string): string {
  const view = agent.tasks().find((x) => x.taskId === taskId);
  if (!view) throw new Error(`no task ${taskId} on the agent`);
  return view.sandbox;
}

export function readSandboxFile(agent: DevAgentHandle, taskId: string, name: string): string {
  return readFileSync(join(sandboxOf(agent, taskId), name), 'utf8');
}

/** Whether a process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}
