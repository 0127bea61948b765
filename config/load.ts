// Reading the table's settings from the environment, once, at the start of a
// process: every setting its role uses is parsed, and the first wrong one
// stops the process with one line naming the variable, the value (masked when
// secret) and what is allowed.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { defaultFrameworkUser, settingDefs, settingNames, type Role, type SettingDef, type SettingName, type Settings } from './definitions.js';
import { maskPassword, PASSWORD_MASK } from '../mesos/master-address.js';
import { SettingValueError } from './parsers.js';

export const MASK = PASSWORD_MASK;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly shownValue: string,
    readonly allowed: string,
  ) {
    super(`${variable}=${shownValue}: expected ${allowed}`);
    this.name = 'ConfigError';
  }
}

export type Source = 'env' | 'default';

export interface LoadedConfig {
  role: Role;
  settings: Settings;
  sources: Record<SettingName, Source>;
  /** The API token from MESOFLOW_API_TOKEN or MESOFLOW_API_TOKEN_FILE. */
  apiToken: string | undefined;
  /** The Mesos secret from MESOS_SECRET or MESOS_SECRET_FILE. */
  mesosSecret: string | undefined;
  /** Warnings to log at every start (e.g. an API open without a token, on purpose). */
  warnings: string[];
}

/** `scheme://user:password@host` → `scheme://user:********@host` (a zk:// or http:// master may carry credentials; mesos/master-address.ts masks them the same way). */
export const redactCredentials = maskPassword;

/** The shown form of a raw value: secrets never leave the process. */
export function showValue(name: SettingName, raw: string): string {
  return settingDefs[name].secret ? MASK : redactCredentials(JSON.stringify(raw).slice(1, -1));
}

function usedBy(name: SettingName, role: Role): boolean {
  return (settingDefs[name].roles as readonly Role[]).includes(role);
}

function readSecretFile(name: SettingName, path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new ConfigError(name, path, `the path of a readable file (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1';
  return false;
}

/** Parses every setting `role` uses; throws ConfigError on the first wrong one. */
export function loadConfig(env: NodeJS.ProcessEnv, role: Role): LoadedConfig {
  const settings: Record<string, unknown> = {};
  const sources = {} as Record<SettingName, Source>;
  for (const name of settingNames) {
    const d = settingDefs[name] as SettingDef<unknown>;
    const raw = env[name];
    if (raw === undefined || raw === '' || !usedBy(name, role)) {
      settings[name] = d.default;
      sources[name] = 'default';
      continue;
    }
    try {
      settings[name] = d.parser.parse(raw);
    } catch (err) {
      if (!(err instanceof SettingValueError)) throw err;
      throw new ConfigError(name, showValue(name, raw), d.parser.allowed + (err.detail && err.detail !== 'invalid value' ? ` (${err.detail})` : ''));
    }
    sources[name] = 'env';
  }
  const s = settings as Settings;
  s.MESOFLOW_FRAMEWORK_USER ??= defaultFrameworkUser();

  const both = (a: SettingName, b: SettingName) => {
    if (s[a] !== undefined && s[b] !== undefined) throw new ConfigError(b, showValue(b, String(s[b])), `not both ${a} and ${b}`);
  };
  both('MESOFLOW_API_TOKEN', 'MESOFLOW_API_TOKEN_FILE');
  both('MESOS_SECRET', 'MESOS_SECRET_FILE');
  const apiToken = s.MESOFLOW_API_TOKEN ?? (s.MESOFLOW_API_TOKEN_FILE !== undefined ? readSecretFile('MESOFLOW_API_TOKEN_FILE', s.MESOFLOW_API_TOKEN_FILE) : undefined);
  const mesosSecret = s.MESOS_SECRET ?? (s.MESOS_SECRET_FILE !== undefined ? readSecretFile('MESOS_SECRET_FILE', s.MESOS_SECRET_FILE) : undefined);
  if (s.MESOFLOW_API_TOKEN_FILE !== undefined && (apiToken === '' || /\s/.test(apiToken ?? ''))) {
    throw new ConfigError('MESOFLOW_API_TOKEN_FILE', s.MESOFLOW_API_TOKEN_FILE, 'a file holding one token without spaces');
  }
  if ((s.MESOS_PRINCIPAL === undefined) !== (mesosSecret === undefined)) {
    const missing = s.MESOS_PRINCIPAL === undefined ? 'MESOS_PRINCIPAL' : 'MESOS_SECRET';
    throw new ConfigError(missing, 'unset', 'MESOS_PRINCIPAL and MESOS_SECRET (or MESOS_SECRET_FILE) set together');
  }
  if ((s.MESOS_CERT_FILE === undefined) !== (s.MESOS_KEY_FILE === undefined)) {
    throw new ConfigError(s.MESOS_CERT_FILE === undefined ? 'MESOS_CERT_FILE' : 'MESOS_KEY_FILE', 'unset', 'MESOS_CERT_FILE and MESOS_KEY_FILE set together');
  }
  const certSet = s.TEMPORAL_TLS_CLIENT_CERT_PATH !== undefined || s.TEMPORAL_TLS_CLIENT_CERT_DATA !== undefined;
  const keySet = s.TEMPORAL_TLS_CLIENT_KEY_PATH !== undefined || s.TEMPORAL_TLS_CLIENT_KEY_DATA !== undefined;
  if (certSet !== keySet) {
    throw new ConfigError(certSet ? 'TEMPORAL_TLS_CLIENT_KEY_PATH' : 'TEMPORAL_TLS_CLIENT_CERT_PATH', 'unset', 'a client certificate and its key together');
  }
  both('TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_DATA');
  both('TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_KEY_DATA');
  both('TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_DATA');
  if ((role === 'api' || role === 'worker') && s.MESOS_MASTER === undefined) {
    throw new ConfigError('MESOS_MASTER', 'unset', settingDefs.MESOS_MASTER.parser.allowed);
  }

  const warnings: string[] = [];
  if ((role === 'api' || role === 'start') && !isLoopback(s.MESOFLOW_API_HOST) && apiToken === undefined) {
    if (!s.MESOFLOW_API_ALLOW_UNAUTHENTICATED) {
      throw new ConfigError(
        'MESOFLOW_API_HOST',
        s.MESOFLOW_API_HOST,
        'a loopback address (127.0.0.1, ::1, localhost) unless MESOFLOW_API_TOKEN or MESOFLOW_API_TOKEN_FILE is set (or MESOFLOW_API_ALLOW_UNAUTHENTICATED=true: anyone who reaches it runs commands on the cluster)',
      );
    }
    warnings.push(`the API listens on ${s.MESOFLOW_API_HOST} without a token (MESOFLOW_API_ALLOW_UNAUTHENTICATED=true): anyone who reaches it can run commands on the Mesos cluster`);
  }
  if (sources.MESOFLOW_FRAMEWORK_USER === 'env' && s.MESOFLOW_FRAMEWORK_USER === 'root' && (role === 'worker' || role === 'start')) {
    warnings.push('tasks run as root (MESOFLOW_FRAMEWORK_USER=root)');
  }
  return { role, settings: s, sources, apiToken, mesosSecret, warnings };
}
