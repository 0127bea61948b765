// The /docs page: Swagger UI served from the swagger-ui-dist package in
// node_modules, not from a CDN, so the docs work on machines without
// internet access. The two assets are read once and kept in memory.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';

const assets = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;
type AssetName = keyof typeof assets;

let distDir: string | undefined;
const cache = new Map<AssetName, Buffer>();

function asset(name: AssetName): Buffer {
  let body = cache.get(name);
  if (!body) {
    distDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    body = readFileSync(join(distDir, name));
    cache.set(name, body);
  }
  return body;
}

export function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mesoflow API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.onload = () => { window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' }); };</script>
</body></html>`;
}

export function registerDocsRoutes(app: Hono): void {
  app.get('/docs', (c) => c.html(docsPage()));
  for (const [name, type] of Object.entries(assets) as Array<[AssetName, string]>) {
    app.get(`/docs/${name}`, (c) => {
      c.header('Content-Type', type);
      c.header('Cache-Control', 'public, max-age=86400');
      return c.body(new Uint8Array(asset(name)));
    });
  }
}
