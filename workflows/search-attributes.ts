// Search attributes mesoflow writes on job workflows, so that jobs can be
// found by status, label and framework in the Temporal Web UI. The dev
// server is started with these registered (stack/temporal-dev-server.ts).
export const searchAttributeDefs = [
  { name: 'MesoflowJobStatus', type: 'Keyword' },
  { name: 'MesoflowLabels', type: 'KeywordList' },
  { name: 'MesoflowFramework', type: 'Keyword' },
  { name: 'MesoflowBatchId', type: 'Keyword' },
] as const;
