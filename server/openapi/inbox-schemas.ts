import type { JsonSchema } from './field-schema'
import { nullable, ref } from './operation-parts'

const uuid = { type: 'string', format: 'uuid' }
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
})
const approvalRef = obj({ id: uuid, status: { type: 'string' } })
const counts = obj({
  pending: { type: 'integer', minimum: 0 },
  submitted: { type: 'integer', minimum: 0, description: 'Running approvals the caller submitted' },
  cc: { type: 'integer', minimum: 0 },
})
const taskResult = {
  taskId: uuid,
  status: { type: 'string', description: 'The task status after the action' },
  approval: approvalRef,
  record: obj({ id: uuid, entity: { type: 'string' }, version: { type: ['integer', 'null'] } }),
}

/** Component schemas of the inbox, task, out-of-office and link endpoints. */
export const INBOX_SCHEMAS: Record<string, JsonSchema> = {
  InboxCounts: counts,
  InboxPage: obj({
    items: {
      type: 'array',
      items: obj({
        taskId: { ...nullable('uuid'), description: 'The task to act on (pending and done)' },
        instanceId: uuid,
        entity: { type: 'string' },
        entityLabel: { type: 'string' },
        recordId: uuid,
        title: nullable(),
        subtitle: {
          type: ['object', 'null'],
          description: "The record's readable subtitleFields as text, to tell equal titles apart",
        },
        step: nullable(),
        stepLabel: nullable(),
        submitter: ref('UserRef'),
        createdAt: { type: 'string', format: 'date-time' },
        decidedAt: nullable('date-time'),
        status: { type: 'string' },
        delegatedTo: {
          oneOf: [ref('UserRef'), { type: 'null' }],
          description:
            'Done box, a task the caller delegated: the delegate holding it (status pending; the caller may reclaim it) or who decided it',
        },
      }),
    },
    nextCursor: nullable(),
    counts,
  }),
  TaskActionRequest: obj(
    {
      comment: { type: 'string', maxLength: 2000, description: 'Required to reject or return' },
      to: {
        type: 'string',
        description: 'delegate/transfer: a user id; return: previous (default) or submitter',
      },
      users: { type: 'array', items: uuid, description: 'addSigner: the approvers to add' },
      step: { type: 'string', description: 'return: the earlier step to return to' },
    },
    [],
  ),
  TaskActionResult: obj(taskResult),
  BulkTaskRequest: obj(
    {
      action: { type: 'string', enum: ['approve', 'reject'] },
      tasks: { type: 'array', items: uuid, minItems: 1, maxItems: 100 },
      comment: { type: 'string', description: 'Required to reject' },
    },
    ['action', 'tasks'],
  ),
  BulkTaskResults: obj({
    results: {
      type: 'array',
      items: {
        oneOf: [
          obj({ id: uuid, ok: { const: true }, status: { type: 'string' } }),
          obj({
            id: uuid,
            ok: { const: false },
            status: { type: 'integer', description: 'The HTTP status the task alone would get' },
            code: { type: 'string', description: 'e.g. ALREADY_DECIDED, not_found, forbidden' },
            message: { type: 'string' },
          }),
        ],
      },
    },
  }),
  OutOfOffice: obj({
    substitute: { ...nullable('uuid'), description: 'The user id, as PUT takes it' },
    substituteName: nullable(),
    from: nullable('date-time'),
    to: nullable('date-time'),
    active: { type: 'boolean', description: 'The range holds now' },
  }),
  OutOfOfficeRequest: obj({
    substitute: { ...uuid, description: 'An active user other than the caller' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time', description: "After 'from'" },
  }),
  ApprovalLinkView: obj({
    action: { type: 'string', enum: ['approve', 'reject'] },
    usable: { type: 'boolean' },
    reason: { type: ['string', 'null'], enum: ['used', 'expired', 'changed', 'decided', null] },
    commentRequired: { type: 'boolean' },
    expiresAt: { type: 'string', format: 'date-time' },
    assignee: ref('UserRef'),
    task: obj({
      id: uuid,
      status: { type: 'string' },
      step: { type: 'string' },
      stepLabel: nullable(),
    }),
    record: obj({
      entity: { type: 'string' },
      entityLabel: { type: 'string' },
      id: uuid,
      title: { ...nullable(), description: 'null when the assignee may not read it' },
    }),
  }),
  ApprovalLinkResult: obj({
    ...taskResult,
    action: { type: 'string', enum: ['approve', 'reject'] },
  }),
}
