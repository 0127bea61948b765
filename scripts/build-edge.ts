// `npm run build:edge`: bundles the edge entry (api/edge/worker.ts) into one
// ES module for Cloudflare Workers (workerd) in dist-edge/worker.js, with
// esbuild. `<file>?text` imports (Swagger UI's assets) are inlined as strings.
// Prints the bundle's size. Usable as a library by tests and the bench.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { projectRoot } from '../stack/temporal-cli.js';

const textImports: Plugin = {
  name: 'text-imports',
  setup(b) {
    const require = createRequire(import.meta.url);
    b.onResolve({ filter: /\?text$/ }, (args) => ({ path: require.resolve(args.path.slice(0, -'?text'.length), { paths: [args.resolveDir] }), namespace: 'text' }));
    b.onLoad({ filter: /.*/, namespace: 'text' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

export interface EdgeBundle {
  file: string;
  bytes: number;
}

export async function buildEdge(outDir = join(projectRoot(), 'dist-edge')): Promise<EdgeBundle> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'worker.js');
  await build({
    entryPoints: [join(projectRoot(), 'api/edge/worker.ts')],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser', 'import'],
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [textImports],
  });
  return { file, bytes: statSync(file).size };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const b = await buildEdge();
  console.log(`${b.file}: ${(b.bytes / 1024).toFixed(1)} KiB`);
}
