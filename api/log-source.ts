// Where the logs route reads task output from, as the route sees it: the
// Node API reads the agents' /files/read (logs.ts, over undici); the edge API
// cannot reach agents and sends the client to an internal mesoflow API
// instead. Edge-safe: no imports.

export class LogReadError extends Error {
  constructor(
    message: string,
    readonly context: { agentId?: string; path?: string; status?: number },
    /** true when the file (or its agent) does not exist (yet). */
    readonly notFound = false,
  ) {
    super(message);
    this.name = 'LogReadError';
  }
}

export interface LogChunk {
  data: Uint8Array;
  offset: number;
  nextOffset: number;
}

/** Reads a slice of a sandbox file from the agent that ran the task; LogReadError when it cannot. */
export interface LogReader {
  read(agentId: string, path: string, offset: number, length: number): Promise<LogChunk>;
}

/** The virtual sandbox path of a command task's file (the executor id is the task id). */
export function sandboxPath(frameworkId: string, taskId: string, file: 'stdout' | 'stderr'): string {
  return `/frameworks/${frameworkId}/executors/${taskId}/runs/latest/${file}`;
}
