// The environment a command task sees under Mesos's command executor: the
// agent's executorEnvironment() (slave.cpp), MESOS_SANDBOX from the Mesos
// containerizer, the task's CommandInfo variables (which override both), a
// default PATH when nobody set one (launch.cpp), and MESOS_ALLOCATION_ROLE
// from the executor. Nothing is inherited from the agent process itself.
import type { CommandInfo } from '../../mesos/schemas/index.js';

/** os::host_default_path(). */
export const HOST_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface TaskEnvInput {
  frameworkId: string;
  executorId: string;
  agentId: string;
  sandbox: string;
  /** host:port of the agent. */
  agentEndpoint: string;
  checkpoint: boolean;
  allocationRole: string;
  command: CommandInfo;
  /** Mesos's --executor_environment_variables. */
  executorEnvironment?: Record<string, string>;
}

export function taskEnvironment(input: TaskEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  const libprocessIp = process.env.LIBPROCESS_IP;
  if (libprocessIp !== undefined) env.LIBPROCESS_IP = libprocessIp;
  Object.assign(env, input.executorEnvironment ?? {});
  env.LIBPROCESS_PORT = '0';
  env.MESOS_FRAMEWORK_ID = input.frameworkId;
  env.MESOS_EXECUTOR_ID = input.executorId;
  env.MESOS_DIRECTORY = input.sandbox;
  env.MESOS_SLAVE_ID = input.agentId;
  env.MESOS_SLAVE_PID = `slave(1)@${input.agentEndpoint}`;
  env.MESOS_AGENT_ENDPOINT = input.agentEndpoint;
  env.MESOS_CHECKPOINT = input.checkpoint ? '1' : '0';
  env.MESOS_HTTP_COMMAND_EXECUTOR = '0';
  env.MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD = '5secs';
  env.MESOS_SANDBOX = input.sandbox;
  for (const v of input.command.environment?.variables ?? []) {
    // SECRET variables need the environment_secret isolator, which this agent lacks.
    if (v.type === 'SECRET') continue;
    env[v.name] = v.value ?? '';
  }
  if (env.PATH === undefined) env.PATH = HOST_DEFAULT_PATH;
  env.MESOS_ALLOCATION_ROLE = input.allocationRole;
  return env;
}
