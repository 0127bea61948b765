// FrameworkInfo validation on SUBSCRIBE and UPDATE_FRAMEWORK (spec §8.1,
// §8.15; texts from mesos-transcripts/10), the framework's effective roles,
// and the master's record of a framework.
import type { FrameworkInfo } from '../../mesos/schemas/index.js';
import { validateId } from './ids.js';
import type { FrameworkEntry } from './model.js';

export function capabilitiesOf(info: FrameworkInfo): Set<string> {
  const out = new Set<string>();
  for (const c of info.capabilities ?? []) if (c.type !== undefined) out.add(c.type);
  return out;
}

export function rolesOf(info: FrameworkInfo): string[] {
  return capabilitiesOf(info).has('MULTI_ROLE') ? [...(info.roles ?? [])] : [info.role ?? '*'];
}

/** A framework the master has just learned of: not connected, no tasks, no offers. */
export function newFrameworkEntry(
  info: FrameworkInfo & { id: { value: string } },
  options: { nowMs: number; suppressedRoles?: Iterable<string>; recovered?: boolean },
): FrameworkEntry {
  return {
    id: info.id.value,
    info,
    capabilities: capabilitiesOf(info),
    roles: rolesOf(info),
    suppressedRoles: new Set(options.suppressedRoles ?? []),
    stream: undefined,
    connected: false,
    active: false,
    recovered: options.recovered ?? false,
    registeredTimeMs: options.nowMs,
    reregisteredTimeMs: options.nowMs,
    tasks: new Map(),
    unreachableTasks: new Map(),
    completedTasks: [],
    offers: new Set(),
  };
}

/** Mesos's roles::validate. */
export function validateRole(role: string): string | undefined {
  if (role === '*') return undefined;
  if (role === '') return 'Empty role name is invalid';
  if (role.startsWith('/')) return `Role '${role}' cannot start with a slash`;
  if (role.endsWith('/')) return `Role '${role}' cannot end with a slash`;
  if (role.includes('//')) return `Role '${role}' cannot contain two adjacent slashes`;
  for (const part of role.split('/')) {
    if (part === '.' || part === '..') return `Role '${role}' cannot be '.' or '..'`;
    if (part === '*') return `Role '${role}' cannot contain '*' as a path component`;
    if (part.startsWith('-')) return `Role '${role}' cannot start with '-'`;
    if (/\s/.test(part) || part.includes('\b') || part.includes('\u007f')) return `Role '${role}' cannot contain whitespace or backspace characters`;
  }
  return undefined;
}

/** C++ `ostream << double` (%g, precision 6), as in "The framework failover_timeout (1e+17) is invalid". */
export function formatCppDouble(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : Number.isNaN(n) ? 'nan' : '-inf';
  if (n === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 6) {
    const [mant, e] = n.toExponential(5).split('e') as [string, string];
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[-+]/, '').padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  const s = n.toPrecision(6);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const MAX_DURATION_SECONDS = 9223372036.85;

function formatSet(items: Iterable<string>): string {
  return `{ ${[...items].join(', ')} }`;
}

/** Mesos's validation::framework::validate plus the suppressed-roles check of SUBSCRIBE. */
export function validateFrameworkInfo(info: FrameworkInfo, suppressedRoles: readonly string[]): string | undefined {
  const multiRole = capabilitiesOf(info).has('MULTI_ROLE');
  if (multiRole) {
    if (info.role !== undefined) return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
    const roles = info.roles ?? [];
    const dups = roles.filter((r, i) => roles.indexOf(r) !== i);
    if (dups.length > 0) return `'FrameworkInfo.roles' contains duplicate items: ${formatSet(new Set(dups))}`;
    for (const r of roles) {
      const err = validateRole(r);
      if (err !== undefined) return `'FrameworkInfo.roles' contains invalid role: ${err}`;
    }
  } else {
    if ((info.roles ?? []).length > 0) return "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable";
    if (info.role !== undefined) {
      const err = validateRole(info.role);
      if (err !== undefined) return `'FrameworkInfo.role' is not a valid role: ${err}`;
    }
  }
  const id = info.id?.value;
  if (id !== undefined && id !== '') {
    const err = validateId(id);
    if (err !== undefined) return `'FrameworkInfo.id' is not a valid Framework ID: ${err}`;
  }
  const ft = info.failover_timeout;
  if (ft !== undefined && (!Number.isFinite(ft) || Math.abs(ft) > MAX_DURATION_SECONDS)) {
    return `The framework failover_timeout (${formatCppDouble(ft)}) is invalid`;
  }
  const roles = new Set(rolesOf(info));
  const outside = suppressedRoles.filter((r) => !roles.has(r));
  if (outside.length > 0) return `Suppressed roles ${formatSet(outside)} are not contained in the set of roles`;
  return undefined;
}
