// The Temporal dev server a test file talks to: the one the test runner
// started for the whole run (MESOFLOW_TEST_TEMPORAL_ADDRESS), or, when a file
// is run on its own, one started here and stopped by `release()`.
import { startDevServer } from '../../stack/temporal-dev-server.js';
import { searchAttributeDefs } from '../../workflows/search-attributes.js';

export interface TestTemporal {
  address: string;
  /** host:port of the server's HTTP/JSON API. */
  httpAddress: string;
  namespace: string;
  release(): Promise<void>;
}

export async function useTemporal(): Promise<TestTemporal> {
  const shared = process.env.MESOFLOW_TEST_TEMPORAL_ADDRESS;
  const sharedHttp = process.env.MESOFLOW_TEST_TEMPORAL_HTTP_ADDRESS;
  if (shared && sharedHttp) return { address: shared, httpAddress: sharedHttp, namespace: 'default', release: async () => {} };
  const server = await startDevServer({ searchAttributes: [...searchAttributeDefs] });
  return { address: server.address, httpAddress: server.httpAddress, namespace: server.namespace, release: () => server.stop() };
}
