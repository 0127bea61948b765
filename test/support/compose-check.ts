// Offline checks of a docker-compose file, for a machine without a Docker
// engine: the Compose specification's JSON schema (vendored in
// test/fixtures/compose-spec/ with its source and license), and that every
// address a container is configured with names a service of the file, on a
// network they share, at a port that service listens on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { projectRoot } from '../../stack/temporal-cli.js';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  expose?: Array<string | number>;
  ports?: Array<string | number | { target: number }>;
  networks?: string[] | Record<string, unknown>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  hostname?: string;
  secrets?: Array<string | { source: string; target?: string }>;
  volumes?: Array<string | { type?: string; source?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  user?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

/** Parses a compose file as Compose does: YAML 1.1 merge keys (`<<: *anchor`) resolved. */
export function loadCompose(path: string): ComposeFile {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Schema errors of a parsed compose file, as `path: message` lines (empty when valid). */
export function schemaErrors(doc: unknown): string[] {
  if (validator === undefined) {
    const { $schema, ...schema } = JSON.parse(readFileSync(join(projectRoot(), 'test/fixtures/compose-spec/compose-spec.json'), 'utf8')) as { $schema: string };
    // Ajv's default dialect is draft-07, the one the schema declares (as
    // https://…/draft-07/schema, a spelling Ajv does not map to its meta-schema).
    if (!/draft-07/.test($schema)) throw new Error(`the vendored compose schema is ${$schema}, not draft-07`);
    // The schema names formats (durations, ...) that Compose checks itself after interpolation.
    validator = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  }
  if (validator(doc)) return [];
  return (validator.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

export function environment(s: ComposeService): Record<string, string> {
  if (Array.isArray(s.environment)) {
    return Object.fromEntries(s.environment.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function networksOf(s: ComposeService): string[] {
  if (s.networks === undefined) return ['default'];
  return Array.isArray(s.networks) ? s.networks : Object.keys(s.networks);
}

function dependsOn(s: ComposeService): string[] {
  if (s.depends_on === undefined) return [];
  return Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on);
}

/** Container ports a service listens on, as the file declares them (`expose` and the container side of `ports`). */
export function listeningPorts(s: ComposeService): Set<number> {
  const out = new Set<number>();
  for (const e of s.expose ?? []) out.add(Number(String(e).split('/')[0]));
  for (const p of s.ports ?? []) {
    if (typeof p === 'object') out.add(p.target);
    else out.add(Number(String(p).split('/')[0]!.split(':').at(-1)));
  }
  return out;
}

export interface Endpoint {
  variable: string;
  host: string;
  port: number;
}

/** host:port pairs in a variable's value: `host:port`, URLs, comma lists, `zk://h1:p1,h2:p2/path`. */
export function endpointsIn(variable: string, value: string): Endpoint[] {
  const out: Endpoint[] = [];
  for (const m of value.matchAll(/(?:^|[/,@\s])([A-Za-z0-9][A-Za-z0-9._-]*):(\d{1,5})(?=$|[/,\s])/g)) {
    out.push({ variable, host: m[1] as string, port: Number(m[2]) });
  }
  return out;
}

/** The service a host name reaches inside the file: a service name or a service's `hostname`. */
function serviceFor(file: ComposeFile, host: string): string | undefined {
  if (file.services[host] !== undefined) return host;
  return Object.entries(file.services).find(([, s]) => s.hostname === host)?.[0];
}

function transitiveDeps(file: ComposeFile, name: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...dependsOn(file.services[name] ?? {})];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    if (seen.has(d)) continue;
    seen.add(d);
    stack.push(...dependsOn(file.services[d] ?? {}));
  }
  return seen;
}

/**
 * Problems with the addresses `service` is configured with through `variables`
 * (every one of them must be set): an address naming no service, a service on
 * no shared network, a port it does not listen on, or (when `mustDependOn`) a
 * service it does not wait for through depends_on.
 */
export function reachabilityProblems(file: ComposeFile, service: string, variables: string[], options: { mustDependOn?: boolean } = {}): string[] {
  const s = file.services[service];
  if (s === undefined) return [`no service ${service}`];
  const env = environment(s);
  const problems: string[] = [];
  const deps = transitiveDeps(file, service);
  for (const variable of variables) {
    const value = env[variable];
    if (value === undefined || value === '') {
      problems.push(`${service}: ${variable} is not set`);
      continue;
    }
    const endpoints = endpointsIn(variable, value);
    if (endpoints.length === 0) problems.push(`${service}: ${variable}=${value} names no host:port`);
    for (const e of endpoints) {
      const targetName = serviceFor(file, e.host);
      const target = targetName === undefined ? undefined : file.services[targetName];
      if (targetName === undefined || target === undefined) {
        problems.push(`${service}: ${variable} names ${e.host}, which is no service of this file`);
        continue;
      }
      if (!networksOf(s).some((n) => networksOf(target).includes(n))) problems.push(`${service}: ${variable} names ${targetName}, which shares no network with it`);
      if (!listeningPorts(target).has(e.port)) problems.push(`${service}: ${variable} names ${e.host}:${e.port}, but ${targetName} listens on ${[...listeningPorts(target)].join(', ') || 'no declared port'}`);
      if (options.mustDependOn && !deps.has(targetName)) problems.push(`${service}: ${variable} names ${targetName}, which it does not wait for (depends_on)`);
    }
  }
  return problems;
}

/** Every `service:port` written in any environment value of the file must be a port that service listens on. */
export function environmentAddressProblems(file: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(file.services)) {
    for (const [variable, value] of Object.entries(environment(s))) {
      for (const e of endpointsIn(variable, value)) {
        const target = serviceFor(file, e.host);
        if (target === undefined) continue;
        if (!listeningPorts(file.services[target] as ComposeService).has(e.port)) problems.push(`${name}: ${variable} names ${e.host}:${e.port}, which ${target} does not listen on`);
      }
    }
  }
  return problems;
}

/** Services, secrets and named volumes referred to but not defined (the schema does not check references). */
export function referenceProblems(file: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(file.services)) {
    for (const d of dependsOn(s)) if (file.services[d] === undefined) problems.push(`${name}: depends_on ${d}, which is no service`);
    for (const sec of s.secrets ?? []) {
      const source = typeof sec === 'string' ? sec : sec.source;
      if (file.secrets?.[source] === undefined) problems.push(`${name}: secret ${source} is not defined`);
    }
    for (const v of s.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (source !== undefined && !/^[./~$]/.test(source) && file.volumes?.[source] === undefined) problems.push(`${name}: volume ${source} is not defined`);
    }
    for (const n of s.networks === undefined ? [] : networksOf(s)) if (file.networks?.[n] === undefined) problems.push(`${name}: network ${n} is not defined`);
  }
  return problems;
}

/** The services that run the mesoflow image (built from this checkout). */
export function mesoflowServices(file: ComposeFile): string[] {
  return Object.entries(file.services)
    .filter(([, s]) => s.build !== undefined || (s.image ?? '').startsWith('mesoflow'))
    .map(([n]) => n);
}

export function commandOf(s: ComposeService): string[] {
  return typeof s.command === 'string' ? s.command.split(/\s+/) : (s.command ?? []);
}
