// Writes JSON the way Mesos prints it (spec §5): compact, doubles always with
// a fraction (`15.0`, `2.0`), 64-bit integers (bigint) as bare digits. Which
// numbers are doubles is decided by the field name, because the output is
// built from plain objects: every numeric `value` in a Mesos message is a
// Value.Scalar (ids, labels and parameters hold strings there), and the v0
// state endpoints print resource maps whose every value is a double.

const DOUBLE_FIELDS = new Set([
  'value',
  'heartbeat_interval_seconds',
  'timestamp',
  'failover_timeout',
  'refuse_seconds',
  'registered_time',
  'reregistered_time',
  'unregistered_time',
  'start_time',
  'elected_time',
  'build_time',
  'activated_slaves',
  'deactivated_slaves',
  'unreachable_slaves',
  'delay_seconds',
  'interval_seconds',
  'timeout_seconds',
  'grace_period_seconds',
]);

/** Objects under these keys are v0 resource maps (`{"cpus": 2.0, "ports": "[...]"}`). */
const RESOURCE_MAP_FIELDS = new Set(['resources', 'used_resources', 'offered_resources', 'unreserved_resources']);

function double(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : Number.isNaN(n) ? 'NaN' : '-Infinity';
  const s = String(n);
  return Number.isInteger(n) && !s.includes('e') ? `${s}.0` : s;
}

function write(value: unknown, key: string, inResourceMap: boolean): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (inResourceMap || DOUBLE_FIELDS.has(key)) return double(value);
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (const v of value) parts.push(write(v, '#', false) ?? 'null');
        return `[${parts.join(',')}]`;
      }
      const mapContext = RESOURCE_MAP_FIELDS.has(key);
      let out = '{';
      let first = true;
      for (const k in value) {
        const s = write((value as Record<string, unknown>)[k], k, mapContext);
        if (s === undefined) continue;
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + s;
        first = false;
      }
      return out + '}';
    }
    default:
      return undefined;
  }
}

/** Serialises like Mesos; `null` and `undefined` fields are left out (unset). */
export function toMesosJson(value: unknown): string {
  return write(value, '', false) ?? 'null';
}
