// Swagger UI's two files, bundled into the edge build (scripts/build-edge.ts
// maps these imports to the swagger-ui-dist package's files as text), so that
// /docs at the edge loads nothing from a CDN.
import css from 'swagger-ui-dist/swagger-ui.css?text';
import bundle from 'swagger-ui-dist/swagger-ui-bundle.js?text';
import type { DocsAssets } from '../context.js';

export const edgeDocsAsset: DocsAssets = (name) => (name === 'swagger-ui.css' ? css : bundle);
