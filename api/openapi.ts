// The OpenAPI 3.1 document, generated from the same zod schemas that
// validate requests (zod 4's JSON Schema output is the 2020-12 dialect
// OpenAPI 3.1 uses), so the document cannot disagree with the API.
import { z } from 'zod';
import { batchPaths, batchSchemas } from './openapi-batches.js';
import { schedulePaths, scheduleSchemas } from './openapi-schedules.js';
import { apiJobStatusSchema, createJobRequestSchema, jobListSchema, jobSchema, listJobsQuerySchema, logsQuerySchema, problemSchema } from './schemas.js';

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

/**
 * Query parameters from the zod schema that validates them. A field that
 * takes one value or several (`x` or `x[]`) becomes an exploded array, the
 * way a repeated query parameter is written (`?label=a=1&label=b=2`).
 */
export function queryParams(s: z.ZodObject): unknown[] {
  const js = schemaOf(s, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema as JsonSchema & { description?: string };
    const variants = (rest.anyOf as JsonSchema[] | undefined) ?? [];
    const array = variants.find((v) => v.type === 'array');
    const param: Record<string, unknown> = { name, in: 'query', required: js.required?.includes(name) ?? false, schema: array ?? rest };
    if (array) Object.assign(param, { style: 'form', explode: true });
    if (description !== undefined) param.description = description;
    return param;
  });
}

// What a created job leads to: the stateful fuzzer (and client generators) follow these.
const jobLinks = {
  GetJob: { operationId: 'getJob', parameters: { id: '$response.body#/id' } },
  CancelJob: { operationId: 'cancelJob', parameters: { id: '$response.body#/id' } },
  GetJobLogs: { operationId: 'getJobLogs', parameters: { id: '$response.body#/id' } },
};

type Operation = { security?: unknown[]; responses: Record<string, unknown>; [field: string]: unknown };

/** Every operation that requires the token (all but those with `security: []`) may answer 401. */
function withAuthAnswers(paths: Record<string, Record<string, Operation>>): Record<string, Record<string, Operation>> {
  for (const ops of Object.values(paths)) {
    for (const op of Object.values(ops)) {
      if (op.security !== undefined && op.security.length === 0) continue;
      op.responses['401'] ??= problem('Missing or wrong bearer token (only when the API has a token)');
    }
  }
  return paths;
}

let cached: ReturnType<typeof openApiDocument> | undefined;

export function openApiDocument(): { paths: Record<string, Record<string, Operation>> } & Record<string, unknown> {
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
    paths: withAuthAnswers({
      '/v1/jobs': {
        post: {
          operationId: 'createJob',
          summary: 'Submit a job',
          description: 'A client-chosen `id` makes the call idempotent: the same id and spec answer 200 with the existing job; the same id with another spec answers 409.',
          requestBody: { required: true, content: json(ref('JobRequest')) },
          responses: {
            '201': { description: 'Created', headers: { Location: { schema: { type: 'string' } } }, content: json(ref('Job')), links: jobLinks },
            '200': { description: 'The job with this id and spec already exists', content: json(ref('Job')) },
            '400': problem('Malformed JSON or an invalid spec (`errors` names the field paths)'),
            '409': problem('The id is taken by a job with another spec'),
            '413': problem('Body too large'),
            '415': problem('Not JSON'),
          },
        },
        get: {
          operationId: 'listJobs',
          summary: 'List jobs',
          parameters: queryParams(listJobsQuerySchema),
          responses: { '200': { description: 'A page of jobs, newest first', content: json(ref('JobList')) }, '400': problem('Invalid query') },
        },
      },
      '/v1/jobs/{id}': {
        get: { operationId: 'getJob', summary: 'Read a job', parameters: [idParam], responses: { '200': { description: 'The job', content: json(ref('Job')) }, '404': problem('No such job') } },
      },
      '/v1/jobs/{id}/cancel': {
        post: {
          operationId: 'cancelJob',
          summary: 'Cancel a job (kills its task)',
          parameters: [idParam],
          responses: { '202': { description: 'Cancellation requested' }, '404': problem('No such job'), '409': problem('The job has already ended') },
        },
      },
      '/v1/jobs/{id}/logs': {
        get: {
          operationId: 'getJobLogs',
          summary: "A slice of the task's stdout or stderr",
          parameters: [idParam, ...queryParams(logsQuerySchema)],
          responses: {
            '200': {
              description: 'The bytes; X-Next-Offset is where to read next',
              headers: { 'X-Next-Offset': { schema: { type: 'integer' } }, 'X-Job-Status': { schema: ref('JobStatus') } },
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            '400': problem('Invalid query (`errors` names the parameters)'),
            '404': problem('No such job or attempt'),
            '503': problem('The agent or master could not be reached'),
          },
        },
      },
      '/v1/jobs/{id}/events': {
        get: {
          operationId: 'getJobEvents',
          summary: 'Server-Sent Events: a `job` event (data: Job) per status or phase change, ending with the terminal one',
          parameters: [idParam],
          responses: { '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '404': problem('No such job') },
        },
      },
      ...batchPaths(),
      ...schedulePaths(),
      '/healthz': { get: { operationId: 'healthz', summary: 'Liveness', security: [], responses: { '200': { description: 'The process answers' } } } },
      '/readyz': { get: { operationId: 'readyz', summary: 'Readiness: Temporal reachable and the framework session held', security: [], responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } } } },
      '/metrics': { get: { operationId: 'metrics', summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'Text exposition format 0.0.4' } } } },
    }),
  };
  return cached;
}

/**
 * The methods the document declares for a request path (`/v1/jobs/x/logs`),
 * or undefined when it declares no such path: the API answers an undeclared
 * method on a declared path with 405 and this list in `Allow`.
 */
export function declaredMethods(path: string): string[] | undefined {
  for (const [template, ops] of Object.entries(openApiDocument().paths)) {
    const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!re.test(path)) continue;
    const methods = Object.keys(ops).map((m) => m.toUpperCase());
    // Hono answers HEAD with the GET route.
    if (methods.includes('GET')) methods.push('HEAD');
    return methods;
  }
  return undefined;
}
