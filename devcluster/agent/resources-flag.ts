// The Mesos agent's `--resources` and `--attributes` flag syntax, parsed as
// Mesos parses it (src/common/values.cpp, resources.cpp, attributes.cpp), and
// the resources an agent offers when the flag leaves some out (spec §7,
// slave/containerizer/containerizer.cpp).
import { cpus as osCpus, totalmem } from 'node:os';
import { statfsSync } from 'node:fs';
import { coalesce } from '../../mesos/ranges.js';
import type { Attribute, Resource } from '../../mesos/schemas/index.js';

export class ResourcesFlagError extends Error {
  override readonly name = 'ResourcesFlagError';
  constructor(
    readonly flag: '--resources' | '--attributes',
    readonly token: string,
    problem: string,
  ) {
    super(`Invalid ${flag} value in '${token}': ${problem}`);
  }
}

type ParsedValue =
  | { type: 'SCALAR'; value: number }
  | { type: 'RANGES'; ranges: Array<{ begin: number; end: number }> }
  | { type: 'SET'; items: string[] }
  | { type: 'TEXT'; text: string };

/** Mesos keeps scalars as fixed-point with three decimals. */
function roundScalar(v: number): number {
  return Math.round(v * 1000) / 1000;
}

// boost::lexical_cast<double> plus stout's hex fallback; anything else is text.
function numify(s: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  if (/^-?0[xX][0-9a-fA-F]+$/.test(s)) return s.startsWith('-') ? -parseInt(s.slice(1), 16) : parseInt(s, 16);
  if (/^[+-]?(inf|infinity|nan)$/i.test(s)) return Number.NaN;
  return undefined;
}

function bracketsMatch(s: string, open: string, close: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === open) depth++;
    else if (c === close && --depth < 0) return false;
  }
  return depth === 0;
}

function tokenize(s: string, delims: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const c of s) {
    if (delims.includes(c)) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** Mesos's values::parse: `[a-b,c-d]` ranges, `{x,y}` sets, numbers, else text. Throws a message string's Error. */
function parseValue(text: string): ParsedValue {
  const s = text.replaceAll(' ', '');
  if (s.length === 0) throw new Error('Expecting non-empty string');
  if (!bracketsMatch(s, '{', '}') || !bracketsMatch(s, '[', ']') || !bracketsMatch(s, '(', ')')) throw new Error('Mismatched brackets');
  const bracket = s.indexOf('[');
  if (bracket === 0) {
    const tokens = tokenize(s, '[]-,\n');
    if (tokens.length % 2 !== 0) throw new Error('Expecting one or more "ranges"');
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < tokens.length; i += 2) {
      const b = tokens[i] as string;
      const e = tokens[i + 1] as string;
      for (const t of [b, e]) if (!/^\+?\d+$/.test(t)) throw new Error(`Expecting non-negative integers in '${t}'`);
      pairs.push([Number(b), Number(e)]);
    }
    const flat = coalesce(pairs);
    const ranges: Array<{ begin: number; end: number }> = [];
    for (let i = 0; i < flat.length; i += 2) ranges.push({ begin: flat[i] as number, end: flat[i + 1] as number });
    return { type: 'RANGES', ranges };
  }
  if (bracket !== -1) throw new Error("Unexpected '[' found");
  const brace = s.indexOf('{');
  if (brace === 0) return { type: 'SET', items: tokenize(s, '{},\n') };
  if (brace !== -1) throw new Error("Unexpected '{' found");
  const n = numify(s);
  if (n === undefined) return { type: 'TEXT', text: s };
  if (!Number.isFinite(n)) throw new Error(`Invalid scalar value '${s}': Infinite or NaN values are not supported`);
  return { type: 'SCALAR', value: roundScalar(n) };
}

function resourceFrom(name: string, role: string, v: ParsedValue, token: string): Resource {
  const base = { name, role };
  switch (v.type) {
    case 'SCALAR':
      if (v.value < 0) throw new ResourcesFlagError('--resources', token, `Negative scalar value for resource ${name}`);
      return { ...base, type: 'SCALAR', scalar: { value: v.value } } as Resource;
    case 'RANGES':
      return { ...base, type: 'RANGES', ranges: { range: v.ranges } } as Resource;
    case 'SET':
      return { ...base, type: 'SET', set: { item: v.items } } as Resource;
    case 'TEXT':
      throw new ResourcesFlagError('--resources', token, `Bad type for resource ${name} value ${v.text} type TEXT`);
  }
}

/**
 * Parses `--resources`: either a JSON array of Resource objects or
 * `name(role):value;...` (`cpus:4;mem(web):1024;ports:[31000-32000];disks:{a,b}`).
 * Resources come out in the pre-refinement format: `role` is always set
 * (`"*"` when unreserved; a role in parentheses is a static reservation).
 */
export function parseResourcesFlag(text: string, defaultRole = '*'): Resource[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (Array.isArray(json)) return json.map((r, i) => resourceFromJson(r, i, defaultRole));
  }
  const out: Resource[] = [];
  for (const token of tokenize(text, ';')) {
    const pair = tokenize(token, ':');
    if (pair.length !== 2) throw new ResourcesFlagError('--resources', token, "missing or extra ':'");
    const head = pair[0] as string;
    let name: string;
    let role = defaultRole;
    const open = head.indexOf('(');
    if (open === -1) name = head.trim();
    else {
      const close = head.indexOf(')');
      if (close === -1 || close < open) throw new ResourcesFlagError('--resources', token, 'mismatched parentheses');
      name = head.slice(0, open).trim();
      role = head.slice(open + 1, close).trim();
    }
    if (name === '') throw new ResourcesFlagError('--resources', token, 'empty resource name');
    let v: ParsedValue;
    try {
      v = parseValue(pair[1] as string);
    } catch (err) {
      throw new ResourcesFlagError('--resources', token, `Failed to parse resource ${name} value ${pair[1] as string} error ${(err as Error).message}`);
    }
    out.push(resourceFrom(name, role || defaultRole, v, token));
  }
  return out;
}

function resourceFromJson(r: unknown, index: number, defaultRole: string): Resource {
  const token = JSON.stringify(r) ?? String(r);
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new ResourcesFlagError('--resources', token, `element ${index} is not a JSON object`);
  const o = r as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name === '') throw new ResourcesFlagError('--resources', token, "Expecting 'name' to be present");
  if (o.type !== 'SCALAR' && o.type !== 'RANGES' && o.type !== 'SET') throw new ResourcesFlagError('--resources', token, "Expecting 'type' to be SCALAR, RANGES or SET");
  const hasRole = typeof o.role === 'string' || (Array.isArray(o.reservations) && o.reservations.length > 0);
  return (hasRole ? { ...o } : { ...o, role: defaultRole }) as Resource;
}

/**
 * Parses `--attributes` (`rack:r1;zone:a;weight:2.5;levels:[1-10]`): numbers
 * become SCALAR, `[..]` RANGES, anything else TEXT. Like Mesos, a set `{a,b}`
 * is not a valid attribute value.
 */
export function parseAttributesFlag(text: string): Attribute[] {
  const out: Attribute[] = [];
  for (const token of tokenize(text, ';\n')) {
    const colon = token.indexOf(':');
    const name = colon === -1 ? '' : token.slice(0, colon);
    const raw = colon === -1 ? '' : token.slice(colon + 1);
    if (name === '' || raw === '') throw new ResourcesFlagError('--attributes', token, 'Invalid attribute key:value pair');
    let v: ParsedValue;
    try {
      v = parseValue(raw);
    } catch (err) {
      throw new ResourcesFlagError('--attributes', token, `Failed to parse attribute ${name} text ${raw} error ${(err as Error).message}`);
    }
    switch (v.type) {
      case 'SCALAR':
        out.push({ name, type: 'SCALAR', scalar: { value: v.value } } as Attribute);
        break;
      case 'RANGES':
        out.push({ name, type: 'RANGES', ranges: { range: v.ranges } } as Attribute);
        break;
      case 'TEXT':
        out.push({ name, type: 'TEXT', text: { value: v.text } } as Attribute);
        break;
      case 'SET':
        throw new ResourcesFlagError('--attributes', token, `Bad type for attribute ${name} text ${raw} type SET`);
    }
  }
  return out;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

export interface MachineFacts {
  cores: number;
  memBytes: number;
  diskBytes: number;
}

/** Cores, memory and the size of the filesystem holding `workDir`. */
export function machineFacts(workDir: string): MachineFacts {
  let diskBytes: number;
  try {
    const st = statfsSync(workDir);
    diskBytes = st.blocks * st.bsize;
  } catch {
    diskBytes = 0;
  }
  return { cores: osCpus().length || 1, memBytes: totalmem(), diskBytes };
}

function scalar(name: string, value: number): Resource {
  return { name, type: 'SCALAR', scalar: { value: roundScalar(value) }, role: '*' } as Resource;
}

/** Mesos's defaults: cpus = cores; mem = total − 1 GB (50 % below 2 GB); disk = total − 5 GB (50 % below 10 GB); ports [31000-32000]. */
export function defaultAgentResources(workDir: string, facts: MachineFacts = machineFacts(workDir)): Resource[] {
  const mem = facts.memBytes >= 2 * GB ? facts.memBytes - GB : facts.memBytes / 2;
  const disk = facts.diskBytes >= 10 * GB ? facts.diskBytes - 5 * GB : facts.diskBytes / 2;
  return [
    scalar('cpus', facts.cores),
    scalar('mem', Math.floor(mem / MB)),
    scalar('disk', Math.floor(disk / MB)),
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] }, role: '*' } as Resource,
  ];
}

/**
 * The agent's total resources as Mesos computes them: the flag's resources,
 * plus a default for each of cpus, mem, disk and ports the flag does not name.
 */
export function agentResources(flag: string | Resource[] | undefined, workDir: string, facts?: MachineFacts): Resource[] {
  const given = typeof flag === 'string' ? parseResourcesFlag(flag) : (flag ?? []);
  const names = new Set(given.map((r) => r.name));
  const defaults = defaultAgentResources(workDir, facts).filter((r) => !names.has(r.name));
  return [...given, ...defaults];
}
