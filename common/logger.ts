// A minimal structured logger: one JSON object per line on stderr. Every
// component takes a Logger so tests can capture what was logged, and so a
// malformed message from Mesos is reported with its context instead of
// being thrown away.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function levelFromEnv(): LogLevel {
  const v = process.env.MESOFLOW_LOG_LEVEL;
  return v === 'debug' || v === 'info' || v === 'warn' || v === 'error' ? v : 'info';
}

function serializeError(err: unknown): unknown {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return err;
}

export interface ConsoleLoggerOptions {
  level?: LogLevel;
  bindings?: LogFields;
  write?: (line: string) => void;
}

export function createLogger(options: ConsoleLoggerOptions = {}): Logger {
  const min = order[options.level ?? levelFromEnv()];
  const bindings = options.bindings ?? {};
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (order[level] < min) return;
    const rec: LogFields = { time: new Date().toISOString(), level, msg, ...bindings };
    for (const [k, v] of Object.entries(fields ?? {})) rec[k] = k === 'err' || v instanceof Error ? serializeError(v) : v;
    write(JSON.stringify(rec, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (f) => createLogger({ ...options, bindings: { ...bindings, ...f } }),
  };
}

/** A logger that keeps records in memory; for tests that assert on what was logged. */
export function createMemoryLogger(): Logger & { records: Array<LogFields & { level: LogLevel; msg: string }> } {
  const records: Array<LogFields & { level: LogLevel; msg: string }> = [];
  const make = (bindings: LogFields): Logger => {
    const log = (level: LogLevel) => (msg: string, fields?: LogFields) => {
      records.push({ ...bindings, ...fields, level, msg });
    };
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (f) => make({ ...bindings, ...f }) };
  };
  return Object.assign(make({}), { records });
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
