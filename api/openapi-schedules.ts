// The /v1/schedules part of the OpenAPI document (openapi.ts merges it in),
// generated from the same zod schemas that validate schedule requests.
import { json, problem, queryParams, ref, schemaOf } from './openapi.js';
import {
  MAX_BACKFILL_SLOTS,
  backfillRequestSchema,
  backfillResultSchema,
  createScheduleRequestSchema,
  listSchedulesQuerySchema,
  scheduleListSchema,
  scheduleSchema,
  triggerRequestSchema,
  updateScheduleRequestSchema,
} from './schedule-schemas.js';

type JsonSchema = Record<string, unknown>;

export function scheduleSchemas(): Record<string, JsonSchema> {
  return {
    ScheduleRequest: schemaOf(createScheduleRequestSchema, 'input'),
    ScheduleChange: schemaOf(updateScheduleRequestSchema, 'input'),
    Schedule: schemaOf(scheduleSchema, 'output'),
    ScheduleList: schemaOf(scheduleListSchema, 'output'),
    BackfillRequest: schemaOf(backfillRequestSchema, 'input'),
    BackfillResult: schemaOf(backfillResultSchema, 'output'),
    TriggerRequest: schemaOf(triggerRequestSchema, 'input'),
  };
}

export function schedulePaths(): Record<string, unknown> {
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The schedule id (the Temporal Schedule id)' };
  const invalid = problem('Invalid input; `errors` names each field (e.g. `cron.0`, `timeZone`, `overlap`, `endAt`)');
  const notFound = problem('No such schedule');
  return {
    '/v1/schedules': {
      post: {
        operationId: 'createSchedule',
        summary: 'Create a schedule: a Temporal Schedule (see the Temporal Web UI\'s Schedules page) that starts a job or a batch',
        description:
          'Runs happen at the union of the `cron` expressions (read in `timeZone`, an IANA name; daylight saving is followed: ' +
          'a wall-clock time that does not exist on the day the clocks go forward, such as 02:30 in Europe/Berlin, does not run that day; one that happens twice when they go back runs once, at its second occurrence) and the `intervals`. ' +
          'Each run is an ordinary job (or batch) named `<schedule id>-<nominal time, RFC 3339>`, visible in /v1/jobs (or /v1/batches). ' +
          '`overlap`: what a run does while the previous one is still going (skip, buffer-one, buffer-all, cancel-other, terminate-other, allow-all; default skip). ' +
          '`catchupWindow`: how late a missed run may still start after an outage (default 1 year). `maxRuns` stops the schedule after that many scheduled runs.',
        requestBody: { required: true, content: json(ref('ScheduleRequest')) },
        responses: {
          '201': { description: 'Created', headers: { Location: { schema: { type: 'string' } } }, content: json(ref('Schedule')) },
          '400': invalid,
          '409': problem('A schedule with this id exists'),
        },
      },
      get: {
        operationId: 'listSchedules',
        summary: 'List the schedules (eventually consistent: a new schedule appears within a second or so)',
        parameters: queryParams(listSchedulesQuerySchema),
        responses: { '200': { description: 'A page of schedules', content: json(ref('ScheduleList')) }, '400': problem('Invalid query') },
      },
    },
    '/v1/schedules/{id}': {
      get: {
        operationId: 'getSchedule',
        summary: 'Read a schedule: spec, paused state and note, the next 5 run times, the recent runs with the job or batch each started and its status',
        parameters: [idParam],
        responses: { '200': { description: 'The schedule', content: json(ref('Schedule')) }, '404': notFound },
      },
      patch: {
        operationId: 'updateSchedule',
        summary: 'Change a schedule: its spec, action or policies; or pause/unpause it with a note',
        description:
          'Fields left out keep their value. `{"paused": true, "note": "…"}` alone pauses without touching the rest. ' +
          'A paused schedule starts nothing, and the slots that pass while it is paused are not caught up after unpausing.',
        parameters: [idParam],
        requestBody: { required: true, content: json(ref('ScheduleChange')) },
        responses: { '200': { description: 'The changed schedule', content: json(ref('Schedule')) }, '400': invalid, '404': notFound },
      },
      delete: {
        operationId: 'deleteSchedule',
        summary: 'Delete a schedule (the jobs and batches it started keep their history)',
        parameters: [idParam],
        responses: { '204': { description: 'Deleted' }, '404': notFound },
      },
    },
    '/v1/schedules/{id}/trigger': {
      post: {
        operationId: 'triggerSchedule',
        summary: 'Start a run now (body optional; `overlap` for this run only, default allow-all)',
        parameters: [idParam],
        requestBody: { required: false, content: json(ref('TriggerRequest')) },
        responses: { '202': { description: 'The run is requested; it shows in recentRuns' }, '400': invalid, '404': notFound },
      },
    },
    '/v1/schedules/{id}/backfill': {
      post: {
        operationId: 'backfillSchedule',
        summary: `Start the runs of a past range, one per slot (at most ${MAX_BACKFILL_SLOTS} slots, 366 days)`,
        description:
          'Each slot\'s run is named by its nominal time; slots whose run already exists (an earlier backfill, or the schedule itself) are not started again, ' +
          'so repeating a backfill starts nothing twice. `overlap` defaults to allow-all (every slot starts at once). ' +
          `A range reaching into the future, ending before it starts, or holding more than ${MAX_BACKFILL_SLOTS} slots is a 400.`,
        parameters: [idParam],
        requestBody: { required: true, content: json(ref('BackfillRequest')) },
        responses: { '202': { description: 'The slots, and which were started now', content: json(ref('BackfillResult')) }, '400': invalid, '404': notFound },
      },
    },
  };
}
