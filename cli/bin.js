#!/usr/bin/env node
// The `mesoflow` command. In a checkout (main.ts beside this file) the
// TypeScript sources run through tsx, so there is no build step in the dev
// flow; the published package ships only the compiled JavaScript
// (`npm run build` → dist/) and runs it with plain node.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(new URL('./main.ts', import.meta.url))) {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch (err) {
    // A checkout installed without dev dependencies: use a build if there is one.
    if (!existsSync(compiled)) {
      process.stderr.write(`mesoflow: tsx is not installed (${err.message}); run \`npm ci\` (with dev dependencies) or \`npm run build\`\n`);
      process.exit(1);
    }
  }
  if (register) {
    register();
    await import('./main.ts');
  } else {
    await import(compiled.href);
  }
} else {
  await import(compiled.href);
}
