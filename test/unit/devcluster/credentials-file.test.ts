// Mesos credentials files for the devcluster's --http_credentials / --credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialsFileError, parseCredentials, readCredentialsFile } from '../../../devcluster/security/credentials-file.js';

test('the JSON form Mesos documents', () => {
  const text = JSON.stringify({ credentials: [{ principal: 'a', secret: 'x' }, { principal: 'b', secret: 'y z' }] });
  assert.deepEqual(parseCredentials(text, 'f'), [{ principal: 'a', secret: 'x' }, { principal: 'b', secret: 'y z' }]);
});

test('the older text form, one "principal secret" pair a line', () => {
  assert.deepEqual(parseCredentials('a x\n\nb   y\n', 'f'), [{ principal: 'a', secret: 'x' }, { principal: 'b', secret: 'y' }]);
});

test('malformed files are errors naming the file and the problem, not the secrets', () => {
  assert.throws(() => parseCredentials('{"credentials": []}', '/etc/creds'), (e: unknown) => e instanceof CredentialsFileError && /\/etc\/creds: credentials:/.test(e.message));
  assert.throws(() => parseCredentials('{"credentials": [{"secret": "hush"}]}', 'f'), (e: unknown) => e instanceof CredentialsFileError && /principal/.test(e.message) && !e.message.includes('hush'));
  assert.throws(() => parseCredentials('{not json', 'f'), /not valid JSON/);
  assert.throws(() => parseCredentials('lonely\n', 'f'), /line 1 is not "principal secret"/);
  assert.throws(() => parseCredentials('  \n', 'f'), /no credentials/);
});

test('file:// and plain paths are read alike', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesoflow-creds-'));
  try {
    const p = join(dir, 'creds.json');
    writeFileSync(p, '{"credentials":[{"principal":"p","secret":"s"}]}');
    assert.deepEqual(readCredentialsFile(p), [{ principal: 'p', secret: 's' }]);
    assert.deepEqual(readCredentialsFile(`file://${p}`), [{ principal: 'p', secret: 's' }]);
    assert.throws(() => readCredentialsFile(join(dir, 'missing')), /credentials file .*missing: ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
