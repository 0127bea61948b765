// Checks a cron expression against the grammar Temporal Schedules accept,
// so that a typo is a 400 naming the expression instead of a schedule that
// Temporal refuses (or, for a range like 5-2, silently reads as 5).
// Pure: no Temporal call. Temporal reads the string itself; this only says
// whether it is well-formed and why not.
//
// Accepted: 5 fields (minute hour day-of-month month day-of-week), 6 fields
// (… year) or 7 fields (second … year); each field a comma list of `*`,
// `*/step`, `N`, `N-M`, `N-M/step` or `N/step`; months JAN–DEC and days
// SUN–SAT by name (any case); day-of-week 0–7 (0 and 7 are Sunday); and the
// shorthands @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.
// Not accepted: `@every` (use an interval), `CRON_TZ=`/`TZ=` (use timeZone),
// `#` comments, and the Quartz extensions ? L W #.

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Value of names[0]. */
  namesFrom?: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const SECOND: Field = { name: 'second', min: 0, max: 59 };
const MINUTE: Field = { name: 'minute', min: 0, max: 59 };
const HOUR: Field = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: 'day of month', min: 1, max: 31 };
const MONTH: Field = { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 };
const DAY_OF_WEEK: Field = { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 };
const YEAR: Field = { name: 'year', min: 1970, max: 2999 };

const LAYOUTS: Record<number, Field[]> = {
  5: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK],
  6: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
  7: [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
};

export const CRON_SHORTHANDS: readonly string[] = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function value(text: string, f: Field): number | string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n < f.min || n > f.max ? `${f.name} ${text} is out of range ${f.min}-${f.max}` : n;
  }
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i >= 0) return i + (f.namesFrom ?? 0);
  return `${f.name} "${text}" is not a number${f.names ? ` or a name (${f.names[0]}…${f.names[f.names.length - 1]})` : ''}`;
}

function checkItem(item: string, f: Field): string | undefined {
  const [range, step, extra] = item.split('/');
  if (extra !== undefined || range === undefined || range === '') return `${f.name} "${item}" is not a value, range or step`;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return `${f.name} step "${step}" must be a whole number >= 1`;
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2 || bounds.some((b) => b === '')) return `${f.name} "${item}" is not a value, range or step`;
  const vs = bounds.map((b) => value(b, f));
  const bad = vs.find((v) => typeof v === 'string');
  if (bad !== undefined) return bad as string;
  const [lo, hi] = vs as number[];
  if (hi !== undefined && (lo as number) > hi) return `${f.name} range "${range}" runs backwards`;
  return undefined;
}

/** Undefined when Temporal would read `expr` as intended; otherwise why not. */
export function cronProblem(expr: string): string | undefined {
  const s = expr.trim();
  if (s === '') return 'empty cron expression';
  if (s.startsWith('@')) {
    if (/^@every\b/i.test(s)) return '@every is not accepted here: use an interval';
    return CRON_SHORTHANDS.includes(s.toLowerCase()) ? undefined : `unknown shorthand ${s} (one of ${CRON_SHORTHANDS.join(', ')})`;
  }
  if (/^(CRON_)?TZ=/i.test(s)) return 'set the time zone with timeZone, not inside the expression';
  if (s.includes('#')) return '"#" (comments, nth weekday) is not supported';
  const parts = s.split(/\s+/);
  const layout = LAYOUTS[parts.length];
  if (!layout) return `expected 5, 6 or 7 fields, got ${parts.length}`;
  for (let i = 0; i < parts.length; i++) {
    const f = layout[i] as Field;
    for (const item of (parts[i] as string).split(',')) {
      const p = checkItem(item, f);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}
