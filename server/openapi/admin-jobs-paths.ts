import { MAX_DEAD_LETTER_PAGE, OVERDUE_SHOWN } from '../../runtime/jobs/jobs-overview'
import type { JsonSchema } from './field-schema'
import { errors, nullable, ok, ref, type PathGroup } from './operation-parts'

const ADMINS_ONLY = 'Administrators only (the admin flag; 403 otherwise).'
const count: JsonSchema = { type: 'integer', minimum: 0 }
const nullableCount: JsonSchema = { type: ['integer', 'null'], minimum: 0 }

const deadLetterProperties = {
  id: { type: 'integer', minimum: 1 },
  name: { type: 'string', description: 'The job handler, e.g. `event` or `timer`' },
  key: { type: 'string', description: "The job's idempotency key: the operator's handle on it" },
  error: { type: 'string', description: 'What the last try threw (cut at 10,000 characters)' },
  attempts: { type: 'integer', minimum: 1 },
  failedAt: { type: 'string', format: 'date-time' },
  retriedAt: { ...nullable('date-time'), description: 'Null while the letter is open' },
}
const deadLetterRequired = ['id', 'name', 'key', 'error', 'attempts', 'failedAt', 'retriedAt']

const schemas: Record<string, JsonSchema> = {
  DeadLetter: {
    type: 'object',
    description: 'A job that failed every try (its data is not shown)',
    properties: deadLetterProperties,
    required: deadLetterRequired,
  },
  RetriedDeadLetter: {
    type: 'object',
    properties: {
      ...deadLetterProperties,
      retryKey: { type: 'string', description: 'The key the job was queued again under' },
    },
    required: [...deadLetterRequired, 'retryKey'],
  },
  JobsOverview: {
    type: 'object',
    properties: {
      queue: {
        type: 'object',
        properties: {
          kind: { enum: ['in-process', 'bullmq', null], description: 'Null: no queue here' },
          stats: {
            description: 'Null when unknown: no queue in this process, or Redis did not answer',
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                properties: {
                  waiting: count,
                  active: count,
                  delayed: count,
                  lagMs: { ...nullableCount, description: 'Age of the oldest waiting job' },
                },
                required: ['waiting', 'active', 'delayed', 'lagMs'],
              },
            ],
          },
        },
        required: ['kind', 'stats'],
      },
      timers: {
        type: 'object',
        properties: {
          due: { ...count, description: 'Due and not fired (counted up to 10,000)' },
          overdue: {
            type: 'array',
            description: `The ${OVERDUE_SHOWN} soonest due`,
            items: {
              type: 'object',
              properties: {
                kind: { type: 'string' },
                key: { type: 'string' },
                dueAt: { type: 'string', format: 'date-time' },
                attempts: count,
              },
              required: ['kind', 'key', 'dueAt', 'attempts'],
            },
          },
        },
        required: ['due', 'overdue'],
      },
      outbox: {
        type: 'object',
        properties: {
          undelivered: { ...count, description: 'Record events not handed to the queue yet' },
          oldestMs: { ...nullableCount, description: 'Age of the oldest one' },
        },
        required: ['undelivered', 'oldestMs'],
      },
      deadLetters: {
        type: 'object',
        properties: {
          open: { ...count, description: 'Not retried yet, in all (not on this page)' },
          data: { type: 'array', items: ref('DeadLetter'), description: 'Newest first' },
          next: { type: ['string', 'null'], description: '`before` of the next (older) page' },
        },
        required: ['open', 'data', 'next'],
      },
    },
    required: ['queue', 'timers', 'outbox', 'deadLetters'],
  },
}

/** The job engine for operators under /api/admin/jobs. */
export function buildAdminJobsPaths(): PathGroup {
  const tags = ['admin-jobs']
  return {
    tags: [{ name: 'admin-jobs', description: 'Queues, timers, outbox and dead letters' }],
    schemas,
    paths: {
      '/api/admin/jobs': {
        get: {
          tags,
          operationId: 'jobsOverview',
          summary: 'Queue counts, overdue timers, outbox lag and a page of dead letters',
          description: ADMINS_ONLY,
          parameters: [
            {
              name: 'limit',
              in: 'query',
              description: `Dead letters on the page: default 20, at most ${MAX_DEAD_LETTER_PAGE}`,
              schema: { type: 'integer', minimum: 1, maximum: MAX_DEAD_LETTER_PAGE },
            },
            {
              name: 'before',
              in: 'query',
              description: '`deadLetters.next` of the previous page',
              schema: { type: 'string' },
            },
            {
              name: 'open',
              in: 'query',
              description: 'true: only the dead letters nobody retried yet',
              schema: { type: 'boolean' },
            },
          ],
          responses: { 200: ok('The engine', ref('JobsOverview')), ...errors(400, 401, 403) },
        },
      },
      '/api/admin/jobs/dead-letters/{id}/retry': {
        post: {
          tags,
          operationId: 'retryDeadLetter',
          summary: "Queue a dead letter's job again, under a new key",
          description:
            `${ADMINS_ONLY} A letter retried already answers 409 with its \`retriedAt\`; so ` +
            'does any letter on a server process that runs no job queue.',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              description: 'A dead letter',
              schema: { type: 'integer', minimum: 1 },
            },
          ],
          responses: {
            200: ok('Queued again', ref('RetriedDeadLetter')),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
    },
  }
}
