// An in-process agent that runs nothing: every launched task finishes at
// once (one reliable TASK_FINISHED update with a uuid). It lets the
// devcluster benchmark measure the master's call handling without the cost
// of spawning processes, which belongs to the agent and its own benchmark.
import { newStatusUuid } from '../../mesos/json.js';
import type { AgentInfoView, AgentSink, DevAgent } from '../../devcluster/agent/contract.js';
import type { AgentOptions } from '../../devcluster/agent/agent.js';
import type { Resource } from '../../mesos/schemas/index.js';

export function nullAgentFactory(resources: Resource[]) {
  let port = 50000;
  return async (options: AgentOptions, sink: AgentSink): Promise<DevAgent> => {
    const p = port++;
    const info: AgentInfoView = { id: options.id, hostname: '127.0.0.1', host: '127.0.0.1', port: p, url: `http://127.0.0.1:${p}`, resources, attributes: [] };
    // Updates of one turn of the event loop are delivered together, as an agent's
    // status-update manager flushes a batch (keeps the master's stream writes batched too).
    let queue: Array<() => void> = [];
    const later = (f: () => void) => {
      if (queue.length === 0) {
        setImmediate(() => {
          const q = queue;
          queue = [];
          for (const g of q) g();
        });
      }
      queue.push(f);
    };
    const finish = (frameworkId: string, taskId: string, state: 'TASK_FINISHED' | 'TASK_KILLED') => {
      later(() =>
        sink.statusUpdate({
          frameworkId,
          latestState: state,
          retry: false,
          status: {
            task_id: { value: taskId },
            state,
            message: 'Command exited with status 0',
            source: 'SOURCE_EXECUTOR',
            agent_id: { value: options.id },
            executor_id: { value: taskId },
            timestamp: Date.now() / 1000,
            uuid: newStatusUuid(),
          },
        }),
      );
    };
    return {
      info,
      launchTask: (framework, task) => finish(framework.id.value, task.task_id.value, 'TASK_FINISHED'),
      killTask: (frameworkId, taskId) => finish(frameworkId, taskId, 'TASK_KILLED'),
      acknowledge: () => {},
      shutdownFramework: () => {},
      stop: async () => {},
    };
  };
}
