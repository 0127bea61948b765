// The stack the fuzzer talks to: a Temporal dev server (in memory), a
// devcluster with no agent — so the jobs the fuzzer submits wait for an
// offer and none of its generated command lines ever runs on this machine —
// and the worker plus the API of `mesoflow start`, with a bearer token.
import { startDevCluster } from '../../devcluster/index.js';
import { startLocalStack, type LocalStack } from '../../stack/start-stack.js';
import { startDevServer } from '../../stack/temporal-dev-server.js';
import { searchAttributeDefs } from '../../workflows/search-attributes.js';

export interface FuzzStack {
  apiUrl: string;
  token: string;
  stop(): Promise<void>;
}

export async function startFuzzStack(options: { token: string; say: (line: string) => void }): Promise<FuzzStack> {
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const temporal = await startDevServer({ searchAttributes: [...searchAttributeDefs], log: options.say });
    cleanups.push(() => temporal.stop());
    const cluster = await startDevCluster({ agents: 0 });
    cleanups.push(() => cluster.stop());
    const stack: LocalStack = await startLocalStack({
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: temporal.address,
        MESOS_MASTER: cluster.masterUrl,
        PORT: '0',
        MESOFLOW_API_TOKEN: options.token,
        MESOFLOW_FRAMEWORK_NAME: 'fuzz',
        MESOFLOW_LOG_LEVEL: 'error',
      },
    });
    cleanups.push(() => stack.stop());
    return { apiUrl: stack.apiUrl, token: options.token, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
