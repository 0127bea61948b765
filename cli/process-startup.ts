// How a long-running mesoflow process (api, worker, start) begins and ends:
// its settings are loaded and checked once (a wrong one is one line on
// stderr and exit code 2), a failed first connection is one line and exit
// code 1, and SIGINT/SIGTERM stop it gracefully (common/shutdown-signals.ts).
import { createLogger, type Logger } from '../common/logger.js';
import { handleShutdownSignals } from '../common/shutdown-signals.js';
import type { Role } from '../config/definitions.js';
import { ConfigError, loadConfig, type LoadedConfig } from '../config/load.js';
import { TemporalConnectError, temporalTarget, type TemporalTarget } from '../config/temporal-connection.js';

export interface Started {
  stop(): Promise<void>;
}

/** One line and an exit code for what stops a process at its start; undefined for anything else. */
export function startupFailure(err: unknown): { line: string; code: number } | undefined {
  if (err instanceof ConfigError) return { line: `invalid configuration: ${err.message}`, code: 2 };
  if (err instanceof TemporalConnectError) return { line: err.message, code: 1 };
  return undefined;
}

export async function runProcess(
  role: Role,
  start: (loaded: LoadedConfig, temporal: TemporalTarget, logger: Logger) => Promise<Started>,
  options: { env?: NodeJS.ProcessEnv; logger?: (loaded: LoadedConfig) => Logger } = {},
): Promise<void> {
  const env = options.env ?? process.env;
  let logger: Logger | undefined;
  try {
    const loaded = loadConfig(env, role);
    const temporal = temporalTarget(env);
    logger = options.logger?.(loaded) ?? createLogger({ level: loaded.settings.MESOFLOW_LOG_LEVEL, bindings: { process: `mesoflow-${role}`, pid: process.pid } });
    const log = logger;
    const started = await start(loaded, temporal, log);
    handleShutdownSignals({
      stop: () => started.stop(),
      log: (msg, fields) => log.warn(msg, fields),
      // The grace for activities and requests, plus time to close connections.
      hardTimeoutMs: (loaded.settings.MESOFLOW_SHUTDOWN_GRACE + 20) * 1000,
    });
  } catch (err) {
    const f = startupFailure(err);
    if (f) {
      process.stderr.write(`mesoflow ${role}: ${f.line}\n`);
      process.exit(f.code);
    }
    if (logger) logger.error(`mesoflow ${role} failed to start`, { err });
    else process.stderr.write(`mesoflow ${role}: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  }
}
