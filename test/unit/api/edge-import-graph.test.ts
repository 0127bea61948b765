// The edge entry's import graph holds no Node built-ins: every static import
// reachable from api/edge/worker.ts (type-only imports aside, they vanish in
// the build) is walked, and `node:` modules, bare built-in names, undici and
// the Temporal Node SDK packages fail the test, naming the chain that led
// there. Packages themselves are checked by the edge build (esbuild with
// platform "neutral" fails on a built-in anywhere in the bundle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { projectRoot } from '../../../stack/temporal-cli.js';

const root = projectRoot();
const forbiddenPackages = ['undici', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@hono/node-server'];

/** Runtime imports of a TypeScript file: `import … from`, `export … from`, side-effect imports, dynamic imports of literals. */
export function runtimeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(code); m !== null; m = re.exec(code)) {
    if (m[4] !== undefined) {
      if (m[2]) continue; // import type / export type
      // `import { type A, type B } from` is type-only too.
      const names = /^\{([^}]*)\}$/.exec((m[3] ?? '').trim());
      if (names && (names[1] ?? '').split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
      out.push(m[4]);
    } else out.push((m[5] ?? m[6]) as string);
  }
  return out;
}

function isForbidden(spec: string): boolean {
  if (spec.startsWith('node:')) return true;
  const bare = spec.split('/')[0] as string;
  if (builtinModules.includes(bare)) return true;
  return forbiddenPackages.some((p) => spec === p || spec.startsWith(`${p}/`));
}

function walk(entry: string): { files: string[]; violations: string[] } {
  const seen = new Set<string>();
  const violations: string[] = [];
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    const here = [...chain, relative(root, file)];
    for (const spec of runtimeImports(src)) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec.replace(/\?text$/, '')).replace(/\.js$/, '.ts');
        if (target.endsWith('.ts')) visit(target, here);
      } else if (isForbidden(spec)) {
        violations.push(`${here.join(' → ')} imports ${spec}`);
      }
    }
    // Buffer is a Node global that workerd lacks (without nodejs_compat).
    if (/\bBuffer\.(from|alloc|concat|isBuffer)\b/.test(src.replace(/\/\/.*$/gm, ''))) violations.push(`${here.join(' → ')} uses Buffer`);
  };
  visit(entry, []);
  return { files: [...seen].map((f) => relative(root, f)), violations };
}

test('the walker sees runtime imports and skips type-only ones', () => {
  const src = `import { a } from './a.js';\nimport type { B } from 'node:fs';\nimport { type C, type D } from 'undici';\nexport { e } from './e.js';\nexport type { F } from 'node:os';\nimport './side.js';\n// import x from 'node:net';\nconst m = await import('node:path');\nimport { type G, h } from './h.js';`;
  assert.deepEqual(runtimeImports(src), ['./a.js', './e.js', './side.js', 'node:path', './h.js']);
  assert.equal(isForbidden('node:crypto'), true);
  assert.equal(isForbidden('crypto'), true);
  assert.equal(isForbidden('@temporalio/client/lib/helpers.js'), true);
  assert.equal(isForbidden('hono/streaming'), false);
});

test('no Node built-ins, undici or Temporal Node SDK on the edge entry’s import graph', () => {
  const { files, violations } = walk(join(root, 'api/edge/worker.ts'));
  assert.deepEqual(violations, []);
  // The walk reached the whole app, not just the entry.
  for (const f of ['api/app-core.ts', 'api/job-service.ts', 'api/temporal/http-access.ts', 'api/routes/events.ts', 'api/routes/logs.ts', 'api/auth.ts']) {
    assert.ok(files.includes(f), `${f} is on the graph`);
  }
});

test('the Node entry is on the other side of the line (the walker would catch it)', () => {
  const { violations } = walk(join(root, 'api/app.ts'));
  assert.ok(violations.some((v) => v.includes('@temporalio/client')), violations.join('\n'));
  assert.ok(violations.some((v) => v.includes('undici')), violations.join('\n'));
});
