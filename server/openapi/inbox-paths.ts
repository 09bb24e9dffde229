import { MAX_BULK_TASKS, MAX_INBOX_LIMIT } from '../../runtime/approvals'
import {
  errors,
  jsonBody,
  noContent,
  ok,
  PUBLIC,
  ref,
  uuidPath,
  type PathGroup,
} from './operation-parts'
import { INBOX_SCHEMAS } from './inbox-schemas'
import { jsonContent } from './shared-components'

const tags = ['approvals']
const optionalBody = (schema: Record<string, unknown>) => ({
  required: false,
  content: jsonContent(schema),
})
const tokenParam = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'The token of the link the mail or chat message carried',
  schema: { type: 'string' },
}

/** The inbox, task actions, out-of-office and signed approval links. */
export function buildInboxPaths(): PathGroup {
  return {
    tags: [
      {
        name: 'approvals',
        description: "The caller's approvals: inbox, tasks, substitutes, links",
      },
    ],
    schemas: INBOX_SCHEMAS,
    paths: {
      '/api/inbox': {
        get: {
          tags,
          operationId: 'listInbox',
          summary: 'One box of the inbox, newest first, with the counts',
          description:
            'pending: tasks waiting for the caller; submitted: approvals they started; cc: approvals copied to them; done: tasks they decided. Only records the caller may read are listed.',
          parameters: [
            {
              name: 'box',
              in: 'query',
              schema: {
                type: 'string',
                enum: ['pending', 'submitted', 'cc', 'done'],
                default: 'pending',
              },
            },
            {
              name: 'cursor',
              in: 'query',
              description: '`nextCursor` of the previous page',
              schema: { type: 'string' },
            },
            {
              name: 'limit',
              in: 'query',
              description: `Default 20, at most ${MAX_INBOX_LIMIT}`,
              schema: { type: 'integer', minimum: 1 },
            },
          ],
          responses: { 200: ok('A page of the box', ref('InboxPage')), ...errors(400, 401) },
        },
      },
      '/api/inbox/counts': {
        get: {
          tags,
          operationId: 'inboxCounts',
          summary: 'The sidebar counts: pending tasks, running approvals submitted, CCs',
          responses: { 200: ok('Counts', ref('InboxCounts')), ...errors(400, 401) },
        },
      },
      '/api/tasks/{id}/{action}': {
        post: {
          tags,
          operationId: 'actOnTask',
          summary: 'Act on an approval task',
          description:
            "Only its assignee, or its owner while delegated (403), on a record they may read (403). A task decided already answers 409 with code ALREADY_DECIDED. Reject and return need a `comment` (422). delegate/transfer take `to` (a user id); addSigner takes `users`; return takes `to` (previous, submitter) or `step`. removeSigner names the task removed and is taken by another approver of its step; withdraw takes back the caller's own decision. reclaim is the owner's: it takes back a task they delegated while the delegate has not decided (403 to anyone else, 409 when the task is not delegated); the delegate can no longer act on it.",
          parameters: [
            uuidPath('id', 'The task'),
            { name: 'action', in: 'path', required: true, schema: ref('TaskAction') },
          ],
          requestBody: optionalBody(ref('TaskActionRequest')),
          responses: {
            200: ok('The task and approval after the action', ref('TaskActionResult')),
            ...errors(400, 401, 403, 404, 409, 413, 422),
          },
        },
      },
      '/api/tasks/bulk': {
        post: {
          tags,
          operationId: 'bulkActOnTasks',
          summary: `Approve or reject up to ${MAX_BULK_TASKS} tasks, each on its own`,
          description: 'One refused task does not stop the others: each has its own result.',
          requestBody: jsonBody(ref('BulkTaskRequest')),
          responses: {
            200: ok('One result per task, in order', ref('BulkTaskResults')),
            ...errors(400, 401, 413, 422),
          },
        },
      },
      '/api/me/out-of-office': {
        get: {
          tags,
          operationId: 'getOutOfOffice',
          summary: "The caller's out-of-office substitute (nulls when none)",
          responses: { 200: ok('The setting', ref('OutOfOffice')), ...errors(400, 401) },
        },
        put: {
          tags,
          operationId: 'setOutOfOffice',
          summary: 'Name a substitute for a time range',
          description:
            'Tasks created for the caller in [from, to) go to the substitute, an active user other than the caller (422 naming the field otherwise, and when `from` is not before `to`).',
          requestBody: jsonBody(ref('OutOfOfficeRequest')),
          responses: { 200: ok('The setting', ref('OutOfOffice')), ...errors(400, 401, 413, 422) },
        },
        delete: {
          tags,
          operationId: 'clearOutOfOffice',
          summary: 'Remove the substitute',
          responses: { 204: noContent('Removed'), ...errors(400, 401) },
        },
      },
      '/api/approval-links/{token}': {
        get: {
          tags,
          operationId: 'describeApprovalLink',
          summary: 'What a signed approval link would do',
          description: 'No session needed: the token is the credential. 404 for an unknown token.',
          security: PUBLIC,
          parameters: [tokenParam],
          responses: { 200: ok('The link', ref('ApprovalLinkView')), ...errors(400, 404) },
        },
        post: {
          tags,
          operationId: 'actOnApprovalLink',
          summary: "Take the link's action as the task's assignee, once",
          description:
            'Single use, valid 7 days: a used link answers 409 LINK_USED, an expired one 409 LINK_EXPIRED, and a record whose version moved since the link was sent 409 RECORD_CHANGED. A refused action leaves the link usable.',
          security: PUBLIC,
          parameters: [tokenParam],
          requestBody: optionalBody(ref('ApprovalComment')),
          responses: {
            200: ok('The task and approval after the action', ref('ApprovalLinkResult')),
            ...errors(400, 403, 404, 409, 413, 422),
          },
        },
      },
    },
  }
}
