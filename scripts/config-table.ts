// Regenerates README.md's configuration table from config/definitions.ts
// (`npm run config-table`); `--check` exits 1 when the README differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withGeneratedTable } from '../config/describe.js';
import { projectRoot } from '../stack/temporal-cli.js';

const file = join(projectRoot(), 'README.md');
const current = readFileSync(file, 'utf8');
const next = withGeneratedTable(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('README.md configuration table differs from config/definitions.ts: run npm run config-table');
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(file, next);
  console.error('README.md configuration table regenerated');
}
