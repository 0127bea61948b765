// The Temporal connection, configured the way Temporal's own tools are:
// @temporalio/envconfig reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
// TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_GRPC_META_* and the profiles of
// the TOML config file (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE), so the same
// settings work for the Temporal CLI and for mesoflow.
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError } from './load.js';

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/** What both Connection.connect (client) and NativeConnection.connect (worker) take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean | null | undefined;
  apiKey?: string | undefined;
  metadata?: Record<string, string> | undefined;
}

export interface TemporalTarget {
  /** undefined when neither the environment nor a profile names one (`start` then runs a dev server). */
  address: string | undefined;
  namespace: string;
  connection: Omit<TemporalConnectionOptions, 'address'>;
  /** For logs and `mesoflow config`: never the key or certificate contents. */
  describe: { tls: 'off' | 'tls' | 'mtls'; serverName?: string; apiKey: boolean; profile?: string };
}

function definedStrings(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** Resolves the profile and the environment into connection options; a bad profile or file is a ConfigError. */
export function temporalTarget(env: NodeJS.ProcessEnv): TemporalTarget {
  const vars = definedStrings(env);
  const profile = vars.TEMPORAL_PROFILE ?? 'default';
  let cfg: ReturnType<typeof loadClientConnectConfig>;
  try {
    cfg = loadClientConnectConfig({ overrideEnvVars: vars, ...(vars.TEMPORAL_PROFILE ? { profile: vars.TEMPORAL_PROFILE } : {}) });
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0] ?? 'unreadable';
    if (/Profile .* not found/.test(msg)) throw new ConfigError('TEMPORAL_PROFILE', profile, `a profile of the Temporal config file (${msg})`);
    throw new ConfigError('TEMPORAL_CONFIG_FILE', vars.TEMPORAL_CONFIG_FILE ?? '(default location)', `a readable Temporal TOML config file whose TLS files exist (${msg})`);
  }
  const o = cfg.connectionOptions;
  const tls = o.tls;
  return {
    address: o.address,
    namespace: cfg.namespace ?? 'default',
    connection: {
      ...(tls !== undefined ? { tls } : {}),
      ...(o.apiKey !== undefined ? { apiKey: o.apiKey as string } : {}),
      ...(o.metadata !== undefined ? { metadata: o.metadata as Record<string, string> } : {}),
    },
    describe: { ...describeConnection({ tls, apiKey: o.apiKey }), profile },
  };
}

/** How a connection is secured, without any secret. */
export function describeConnection(o: Pick<TemporalConnectionOptions, 'tls' | 'apiKey'>): Omit<TemporalTarget['describe'], 'profile'> {
  const tls = o.tls;
  return {
    tls: !tls ? 'off' : typeof tls === 'object' && tls.clientCertPair ? 'mtls' : 'tls',
    ...(typeof tls === 'object' && tls?.serverNameOverride ? { serverName: tls.serverNameOverride } : {}),
    apiKey: o.apiKey !== undefined,
  };
}

/**
 * A failed first connection as one line an operator can act on: where, with
 * what TLS, and the first line of the cause (a rejected client certificate,
 * an unknown CA, a refused port).
 */
export class TemporalConnectError extends Error {
  constructor(address: string, target: { describe: Omit<TemporalTarget['describe'], 'profile'> }, cause: unknown) {
    const first = String((cause as Error)?.message ?? cause).split('\n')[0];
    const how = target.describe.tls === 'off' ? 'without TLS' : target.describe.tls === 'mtls' ? 'with mTLS' : 'with TLS';
    const hint = connectHint(target.describe.tls, first ?? '');
    super(`cannot connect to Temporal at ${address} ${how}${target.describe.serverName ? ` (server name ${target.describe.serverName})` : ''}: ${first}${hint ? ` (${hint})` : ''}`);
    this.name = 'TemporalConnectError';
  }
}

/** What the usual causes of a failed first connection mean, in the operator's terms. */
export function connectHint(tls: TemporalTarget['describe']['tls'], cause: string): string | undefined {
  if (/UnknownIssuer|InvalidCertificate|certificate verify failed|self.signed/i.test(cause)) {
    return 'the server certificate is not signed by TEMPORAL_TLS_SERVER_CA_CERT_PATH / the system CAs, or does not name TEMPORAL_TLS_SERVER_NAME';
  }
  // A refused client certificate shows as a TLS alert, or as the connection
  // closing right after the handshake (reset, broken pipe, EOF), depending on timing.
  if (tls === 'mtls' && /transport|reset|broken pipe|eof|handshake|alert|certificate/i.test(cause)) {
    return 'the server ended the TLS handshake: is the client certificate signed by a CA the server trusts?';
  }
  if (tls === 'off' && /ConnectionReset|connection reset|http2|frame/i.test(cause)) return 'does the server expect TLS? set TEMPORAL_TLS=true';
  if (/refused|deadline|timed out/i.test(cause)) return 'is Temporal listening at that address?';
  return undefined;
}
