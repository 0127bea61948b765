// The /v1/batches part of the OpenAPI document (openapi.ts merges it in),
// generated from the same zod schemas that validate batch requests.
import { batchJobListSchema, batchListSchema, batchSchema, batchSpecSchema, batchStatusSchema, listBatchJobsQuerySchema, listBatchesQuerySchema } from './batch-schemas.js';
import { json, problem, queryParams, ref, schemaOf } from './openapi.js';

type JsonSchema = Record<string, unknown>;

export function batchSchemas(): Record<string, JsonSchema> {
  const request = schemaOf(batchSpecSchema, 'input') as { properties?: Record<string, unknown> };
  request.properties = { id: { type: 'string', maxLength: 120, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$', description: 'Client-chosen batch id: resubmitting the same id and spec returns the existing batch' }, ...request.properties };
  return {
    BatchRequest: request,
    Batch: schemaOf(batchSchema, 'output'),
    BatchList: schemaOf(batchListSchema, 'output'),
    BatchJobList: schemaOf(batchJobListSchema, 'output'),
    BatchStatus: schemaOf(batchStatusSchema, 'output'),
  };
}

export function batchPaths(): Record<string, unknown> {
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The batch id (the Temporal workflow id)' };
  return {
    '/v1/batches': {
      post: {
        operationId: 'createBatch',
        summary: 'Submit a batch: an array (a template with `count` or `parameters`) or a graph of named jobs with `dependsOn`',
        description:
          'Each job gets MESOFLOW_BATCH_ID, MESOFLOW_BATCH_INDEX (and MESOFLOW_BATCH_JOB in a graph) and its parameters as environment variables; `{{NAME}}` in the template command is replaced by them. ' +
          'At most `maxParallel` jobs hold a slot at once (from start to end), started in submission order among the ready ones. ' +
          'A graph job starts when all its dependencies SUCCEEDED, and ends SKIPPED (never launched) naming the dependency otherwise. ' +
          'Same id and spec: 200 with the existing batch; same id, other spec: 409. A cycle, a duplicate or an unknown name is a 400 naming the path.',
        requestBody: { required: true, content: json(ref('BatchRequest')) },
        responses: {
          '201': { description: 'Created', headers: { Location: { schema: { type: 'string' } } }, content: json(ref('Batch')) },
          '200': { description: 'The batch with this id and spec already exists', content: json(ref('Batch')) },
          '400': problem('Malformed JSON or an invalid spec (`errors` names the field paths)'),
          '401': problem('Missing or wrong bearer token'),
          '409': problem('The id is taken by a batch with another spec'),
          '413': problem('Body too large (1 MiB)'),
          '415': problem('Not JSON'),
        },
      },
      get: {
        operationId: 'listBatches',
        summary: 'List batches, newest first',
        parameters: queryParams(listBatchesQuerySchema).map((p) =>
          (p as { name: string }).name === 'label' ? { ...(p as object), style: 'form', explode: true, description: 'key=value; repeat to require several' } : p,
        ),
        responses: { '200': { description: 'A page of batches', content: json(ref('BatchList')) }, '400': problem('Invalid query') },
      },
    },
    '/v1/batches/{id}': {
      get: {
        operationId: 'getBatch',
        summary: 'Read a batch: status, counts by job status, nodes (what each waits for, why jobs were skipped), job ids, Temporal UI link',
        parameters: [idParam],
        responses: { '200': { description: 'The batch', content: json(ref('Batch')) }, '404': problem('No such batch') },
      },
    },
    '/v1/batches/{id}/jobs': {
      get: {
        operationId: 'listBatchJobs',
        summary: 'The jobs of a batch (the same job view as /v1/jobs), paged; status=SKIPPED lists the jobs never started, with why',
        parameters: [idParam, ...queryParams(listBatchJobsQuerySchema)],
        responses: { '200': { description: 'A page of jobs', content: json(ref('BatchJobList')) }, '400': problem('Invalid query'), '404': problem('No such batch') },
      },
    },
    '/v1/batches/{id}/cancel': {
      post: {
        operationId: 'cancelBatch',
        summary: 'Cancel a batch: pending jobs end SKIPPED, running ones are killed with their grace period',
        parameters: [idParam],
        responses: { '202': { description: 'Cancellation requested' }, '404': problem('No such batch'), '409': problem('The batch has already ended') },
      },
    },
    '/v1/batches/{id}/events': {
      get: {
        operationId: 'batchEvents',
        summary: 'Server-Sent Events: a `batch` event (data: Batch) per change of status or counts, ending with the terminal one',
        parameters: [idParam],
        responses: { '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '404': problem('No such batch') },
      },
    },
  };
}
