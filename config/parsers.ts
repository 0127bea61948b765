// Parsers of setting values: each turns the raw text of an environment
// variable into a typed value or throws SettingValueError, and carries the
// words that tell an operator what is allowed (shown in the one-line startup
// error and in the README's configuration table).
import { accessSync, constants } from 'node:fs';
import { MesosMasterSpecError, parseMesosMaster } from '../mesos/master-address.js';

export class SettingValueError extends Error {
  constructor(readonly detail?: string) {
    super(detail ?? 'invalid value');
    this.name = 'SettingValueError';
  }
}

export interface Parser<T> {
  /** What is allowed, in words: "an integer ≥ 1", "true or false", … */
  allowed: string;
  parse(raw: string): T;
}

export const text = (allowed = 'any text'): Parser<string> => ({ allowed, parse: (raw) => raw });

export function pattern(re: RegExp, allowed: string): Parser<string> {
  return {
    allowed,
    parse(raw) {
      if (!re.test(raw)) throw new SettingValueError();
      return raw;
    },
  };
}

export function number(options: { min?: number; max?: number; integer?: boolean; unit?: string } = {}): Parser<number> {
  const min = options.min ?? 0;
  const max = options.max ?? Infinity;
  const kind = options.integer ? 'an integer' : 'a number';
  const allowed = `${kind} ${max < Infinity ? `${min}-${max}` : `≥ ${min}`}${options.unit ? ` (${options.unit})` : ''}`;
  return {
    allowed,
    parse(raw) {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (options.integer && !Number.isInteger(n))) throw new SettingValueError();
      return n;
    },
  };
}

export const port: Parser<number> = {
  allowed: 'a port number 0-65535 (0 = any free port)',
  parse(raw) {
    const n = Number(raw.trim());
    if (raw.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new SettingValueError();
    return n;
  },
};

export const boolean: Parser<boolean> = {
  allowed: 'true or false (also 1/0, yes/no)',
  parse(raw) {
    const v = raw.trim().toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes') return true;
    if (v === 'false' || v === '0' || v === 'no') return false;
    throw new SettingValueError();
  },
};

export function oneOf<const T extends string>(values: readonly T[], options: { caseInsensitive?: boolean } = {}): Parser<T> {
  return {
    allowed: `one of ${values.join(', ')}`,
    parse(raw) {
      const v = options.caseInsensitive ? values.find((x) => x.toLowerCase() === raw.trim().toLowerCase()) : values.find((x) => x === raw.trim());
      if (v === undefined) throw new SettingValueError();
      return v;
    },
  };
}

export function list(item: Parser<string>, allowed: string): Parser<string[]> {
  return {
    allowed,
    parse(raw) {
      const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (items.length === 0) throw new SettingValueError();
      return items.map((s) => item.parse(s));
    },
  };
}

export const httpUrl: Parser<string> = {
  allowed: 'an http:// or https:// URL',
  parse(raw) {
    let u: URL;
    try {
      u = new URL(raw.trim());
    } catch {
      throw new SettingValueError();
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SettingValueError();
    return raw.trim();
  },
};

/** host:port, as Temporal's tools take TEMPORAL_ADDRESS. */
export const hostPort: Parser<string> = {
  allowed: 'host:port',
  parse(raw) {
    const v = raw.trim();
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(v);
    if (!m || Number(m[2]) > 65535) throw new SettingValueError();
    return v;
  },
};

/**
 * Mesos masters, as Mesos's own `--master` flag takes them: comma-separated
 * http(s) URLs, or one `zk://[user:pass@]host:port[,host:port…]/path`
 * (mesos/master-address.ts parses both; the ZooKeeper detector resolves a
 * zk:// one at run time). The value is the `masters` list: the URLs, or the
 * one zk:// address.
 */
export const mesosMasters: Parser<string[]> = {
  allowed: 'comma-separated http(s):// master URLs, or zk://host:port[,host:port…]/path',
  parse(raw) {
    let spec;
    try {
      spec = parseMesosMaster(raw);
    } catch (err) {
      if (err instanceof MesosMasterSpecError) throw new SettingValueError(err.problem);
      throw err;
    }
    return spec.kind === 'urls' ? spec.urls : [raw.trim()];
  },
};

/** A path to a file this process can read (checked at start, read when used). */
export const readableFile: Parser<string> = {
  allowed: 'the path of a readable file',
  parse(raw) {
    try {
      accessSync(raw, constants.R_OK);
    } catch (err) {
      throw new SettingValueError((err as NodeJS.ErrnoException).code ?? 'not readable');
    }
    return raw;
  },
};

export const pem: Parser<string> = {
  allowed: 'PEM text (-----BEGIN …)',
  parse(raw) {
    if (!raw.includes('-----BEGIN ')) throw new SettingValueError();
    return raw;
  },
};
