// Mesos credentials files (`--credentials`, `--http_credentials`): JSON
// `{"credentials": [{"principal": "...", "secret": "..."}]}`, or the older
// text form with one `principal secret` pair a line. The path may be given
// as `file:///path` or `/path`, as Mesos accepts both.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export interface Credential {
  principal: string;
  secret: string;
}

const jsonCredentials = z.object({
  credentials: z.array(z.object({ principal: z.string().min(1), secret: z.string() })).min(1),
});

export class CredentialsFileError extends Error {
  constructor(readonly source: string, detail: string) {
    super(`credentials file ${source}: ${detail}`);
    this.name = 'CredentialsFileError';
  }
}

/** Parses the file's text; `source` names it in errors (never a secret). */
export function parseCredentials(text: string, source: string): Credential[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new CredentialsFileError(source, `not valid JSON (${(err as Error).message})`);
    }
    const parsed = jsonCredentials.safeParse(json);
    if (!parsed.success) {
      throw new CredentialsFileError(source, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    }
    return parsed.data.credentials;
  }
  const out: Credential[] = [];
  trimmed.split('\n').forEach((line, i) => {
    const l = line.trim();
    if (l === '') return;
    const m = /^(\S+)\s+(\S+)$/.exec(l);
    if (m === null) throw new CredentialsFileError(source, `line ${i + 1} is not "principal secret"`);
    out.push({ principal: m[1] as string, secret: m[2] as string });
  });
  if (out.length === 0) throw new CredentialsFileError(source, 'no credentials in it');
  return out;
}

export function credentialsPath(flag: string): string {
  return flag.startsWith('file://') ? fileURLToPath(flag) : flag;
}

export function readCredentialsFile(flag: string): Credential[] {
  const path = credentialsPath(flag);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CredentialsFileError(path, (err as Error).message);
  }
  return parseCredentials(text, path);
}
