#!/usr/bin/env node
// The `mesoflow` command. In a checkout (main.ts beside this file) the
// TypeScript sources run through tsx, so there is no build step in the dev
// flow; the published package ships only the compiled JavaScript
// (`npm run build` → dist/) and runs it with plain node.
import { existsSync } from 'node:fs';

if (existsSync(new URL('./main.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
} else {
  await import('../dist/cli/main.js');
}
