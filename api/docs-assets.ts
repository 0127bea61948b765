// The Swagger UI assets for /docs on Node: read once from the swagger-ui-dist
// package in node_modules (not from a CDN), kept in memory. The edge build
// bundles the same two files instead (api/edge/docs-assets.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocsAssetName } from './context.js';

let distDir: string | undefined;
const cache = new Map<DocsAssetName, Uint8Array>();

export function nodeDocsAsset(name: DocsAssetName): Uint8Array {
  let body = cache.get(name);
  if (!body) {
    distDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    body = new Uint8Array(readFileSync(join(distDir, name)));
    cache.set(name, body);
  }
  return body;
}
