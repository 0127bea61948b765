// The /docs page: Swagger UI served by this API itself (assets from the
// swagger-ui-dist package, read from disk on Node and bundled at the edge),
// not from a CDN, so the docs work without internet access. Edge-safe.
import type { Hono } from 'hono';
import type { DocsAssetName, DocsAssets } from './context.js';
import { problems } from './problem.js';

const assets: Record<DocsAssetName, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

export function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mesoflow API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.onload = () => { window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' }); };</script>
</body></html>`;
}

export function registerDocsRoutes(app: Hono, read: DocsAssets | undefined): void {
  app.get('/docs', (c) => {
    if (!read) throw problems.notImplemented('this deployment serves no Swagger UI; the OpenAPI document is at /openapi.json');
    return c.html(docsPage());
  });
  for (const [name, type] of Object.entries(assets) as Array<[DocsAssetName, string]>) {
    app.get(`/docs/${name}`, (c) => {
      if (!read) throw problems.notFound(`no route GET /docs/${name}`);
      c.header('Content-Type', type);
      c.header('Cache-Control', 'public, max-age=86400');
      const body = read(name);
      return c.body(typeof body === 'string' ? body : new Uint8Array(body));
    });
  }
}
