// Validation errors that say which message and which field: a malformed
// message from Mesos (or to the devcluster) must be reported with its
// context, never crash the stream and never be dropped silently.
import type { z } from 'zod';

export type SchemaIssue = z.core.$ZodIssue;

/** `subscribe.framework_info.user`, `accept.operations[0].launch.task_infos[1].name`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += (out === '' ? '' : '.') + String(seg);
  }
  return out;
}

function describeIssue(issue: SchemaIssue): string {
  const extra = issue as { note?: unknown; options?: unknown[] };
  if (issue.code === 'invalid_union' && extra.note === 'No matching discriminator') {
    const opts = extra.options;
    return `unknown value${opts ? `, expected one of ${opts.map((o) => String(o)).join(', ')}` : ''}`;
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `required field missing (expected ${issue.expected})`;
  }
  return issue.message;
}

const idKeys = new Set(['framework_id', 'task_id', 'agent_id', 'executor_id', 'offer_id', 'operation_id']);

/**
 * The ids a (possibly malformed) message names, found where Mesos puts them
 * (`update.status.task_id`, `kill.agent_id`, ...): enough to tell which task
 * or framework a rejected message was about. Only the first of each kind.
 */
export function idsIn(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (v: unknown, depth: number): void => {
    if (depth > 3 || v === null || typeof v !== 'object' || Array.isArray(v)) return;
    for (const [k, child] of Object.entries(v)) {
      if (k in out) continue;
      if (idKeys.has(k) && typeof child === 'object' && child !== null && typeof (child as { value?: unknown }).value === 'string') {
        out[k] = (child as { value: string }).value;
      } else if (k === 'uuid' && typeof child === 'string') {
        out[k] = child;
      } else {
        visit(child, depth + 1);
      }
    }
  };
  visit(input, 0);
  return out;
}

const MAX_LISTED = 10;

/** One issue per line of the message: `<path>: <problem>`; the path is `(root)` for the message itself. */
export class MesosSchemaError extends Error {
  override readonly name = 'MesosSchemaError';
  /** Dotted paths of the offending fields, in issue order, without duplicates. */
  readonly paths: readonly string[];
  constructor(
    /** What was being parsed, e.g. `scheduler Call`, `scheduler Event UPDATE`. */
    readonly what: string,
    readonly issues: readonly SchemaIssue[],
    /** Ids the rejected message named (see idsIn), e.g. `{task_id, agent_id, uuid}` of a bad UPDATE. */
    readonly ids: Readonly<Record<string, string>> = {},
  ) {
    // Bounded, so one message with a thousand bad resources cannot flood a log line.
    const lines = issues.slice(0, MAX_LISTED).map((i) => `${formatIssuePath(i.path) || '(root)'}: ${describeIssue(i)}`);
    if (issues.length > MAX_LISTED) lines.push(`... and ${issues.length - MAX_LISTED} more`);
    const idText = Object.entries(ids)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    super(`Invalid ${what}${idText ? ` (${idText})` : ''}: ${lines.join('; ')}`);
    this.paths = [...new Set(issues.map((i) => formatIssuePath(i.path)))];
  }
}

export type MesosParseResult<T> = { success: true; data: T } | { success: false; error: MesosSchemaError };

/**
 * Mesos reads `null` as "field not set"; drop null-valued keys (deeply) so the
 * schemas see what Mesos would. Returns the input itself when it has none.
 */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const s = stripNulls(v);
      if (s !== v) {
        copy ??= value.slice();
        copy[i] = s;
      }
    }
    return copy ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let copy: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      if (v === null) {
        copy ??= { ...(value as Record<string, unknown>) };
        delete copy[k];
        continue;
      }
      const s = stripNulls(v);
      if (s !== v) {
        copy ??= { ...(value as Record<string, unknown>) };
        copy[k] = s;
      }
    }
    return copy ?? value;
  }
  return value;
}

/** Parses with Mesos' input semantics (null = unset) and wraps failures in MesosSchemaError. */
export function safeParseMesos<S extends z.ZodType>(schema: S, input: unknown, what: string): MesosParseResult<z.output<S>> {
  const r = schema.safeParse(stripNulls(input));
  if (r.success) return { success: true, data: r.data };
  return { success: false, error: new MesosSchemaError(what, r.error.issues, idsIn(input)) };
}

export function parseMesos<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = safeParseMesos(schema, input, what);
  if (!r.success) throw r.error;
  return r.data;
}
