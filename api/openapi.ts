// The OpenAPI 3.1 document, generated from the same zod schemas that
// validate requests (zod 4's JSON Schema output is the 2020-12 dialect
// OpenAPI 3.1 uses), so the document cannot disagree with the API.
import { z } from 'zod';
import { batchPaths, batchSchemas } from './openapi-batches.js';
import { schedulePaths, scheduleSchemas } from './openapi-schedules.js';
import { apiJobStatusSchema, createJobRequestSchema, jobListSchema, jobSchema, logsQuerySchema, problemSchema } from './schemas.js';

type JsonSchema = Record<string, unknown>;

export function schemaOf(s: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const js = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete js.$schema;
  return js;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ 'application/json': { schema } });
export const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The job id (the Temporal workflow id)' };

export function queryParams(s: z.ZodObject): unknown[] {
  const js = schemaOf(s, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: js.required?.includes(name) ?? false, schema }));
}

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'mesoflow API',
      version: '1.0.0',
      description: 'Durable Mesos jobs on Temporal. Every job is a Temporal workflow; errors are application/problem+json (RFC 9457).',
    },
    components: {
      schemas: {
        JobRequest: schemaOf(createJobRequestSchema, 'input'),
        Job: schemaOf(jobSchema, 'output'),
        JobList: schemaOf(jobListSchema, 'output'),
        JobStatus: schemaOf(apiJobStatusSchema, 'output'),
        Problem: schemaOf(problemSchema, 'output'),
        ...batchSchemas(),
        ...scheduleSchemas(),
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required when MESOFLOW_API_TOKEN is set' } },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/jobs': {
        post: {
          summary: 'Submit a job',
          description: 'A client-chosen `id` makes the call idempotent: the same id and spec answer 200 with the existing job; the same id with another spec answers 409.',
          requestBody: { required: true, content: json(ref('JobRequest')) },
          responses: {
            '201': { description: 'Created', headers: { Location: { schema: { type: 'string' } } }, content: json(ref('Job')) },
            '200': { description: 'The job with this id and spec already exists', content: json(ref('Job')) },
            '400': problem('Malformed JSON or an invalid spec (`errors` names the field paths)'),
            '401': problem('Missing or wrong bearer token'),
            '409': problem('The id is taken by a job with another spec'),
            '413': problem('Body too large'),
            '415': problem('Not JSON'),
          },
        },
        get: {
          summary: 'List jobs',
          parameters: [
            { name: 'status', in: 'query', schema: ref('JobStatus') },
            { name: 'label', in: 'query', schema: { type: 'array', items: { type: 'string', pattern: '^[^=]+=.*$' } }, style: 'form', explode: true, description: 'key=value; repeat to require several' },
            { name: 'batch', in: 'query', schema: { type: 'string' }, description: 'only the jobs of this batch' },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 20 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
          ],
          responses: { '200': { description: 'A page of jobs, newest first', content: json(ref('JobList')) }, '400': problem('Invalid query') },
        },
      },
      '/v1/jobs/{id}': {
        get: { summary: 'Read a job', parameters: [idParam], responses: { '200': { description: 'The job', content: json(ref('Job')) }, '404': problem('No such job') } },
      },
      '/v1/jobs/{id}/cancel': {
        post: {
          summary: 'Cancel a job (kills its task)',
          parameters: [idParam],
          responses: { '202': { description: 'Cancellation requested' }, '404': problem('No such job'), '409': problem('The job has already ended') },
        },
      },
      '/v1/jobs/{id}/logs': {
        get: {
          summary: "A slice of the task's stdout or stderr",
          parameters: [idParam, ...queryParams(logsQuerySchema)],
          responses: {
            '200': {
              description: 'The bytes; X-Next-Offset is where to read next',
              headers: { 'X-Next-Offset': { schema: { type: 'integer' } }, 'X-Job-Status': { schema: ref('JobStatus') } },
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            '404': problem('No such job or attempt'),
            '503': problem('The agent or master could not be reached'),
          },
        },
      },
      '/v1/jobs/{id}/events': {
        get: {
          summary: 'Server-Sent Events: a `job` event (data: Job) per status or phase change, ending with the terminal one',
          parameters: [idParam],
          responses: { '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '404': problem('No such job') },
        },
      },
      ...batchPaths(),
      ...schedulePaths(),
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'The process answers' } } } },
      '/readyz': { get: { summary: 'Readiness: Temporal reachable and the framework session held', security: [], responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'Text exposition format 0.0.4' } } } },
    },
  };
  return cached;
}
