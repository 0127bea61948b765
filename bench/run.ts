// The benchmark runner: `npm run bench -- NAME` runs bench/NAME.ts, a module
// exporting `run(): Promise<void>` that prints `name: value` lines (headline
// last). Helpers shared by benchmarks live in bench/lib/ and are not listed.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function available(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

function usage(problem: string): never {
  console.error(`${problem}\nusage: npm run bench -- NAME\navailable benchmarks: ${available().join(', ') || '(none)'}`);
  process.exit(2);
}

const name = process.argv[2];
if (name === undefined || name === '') usage('no benchmark named');
if (!available().includes(name)) usage(`unknown benchmark "${name}"`);

const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { run?: unknown };
if (typeof mod.run !== 'function') usage(`bench/${name}.ts does not export run()`);
await (mod.run as () => Promise<void>)();
