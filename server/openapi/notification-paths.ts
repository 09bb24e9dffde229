import { MAX_NOTIFICATION_LIMIT } from '../../runtime/notifications'
import { errors, nullable, ok, ref, uuidPath, type PathGroup } from './operation-parts'

const schemas = {
  Notification: {
    type: 'object',
    description:
      "One of the caller's notifications: its title and body in the caller's language of now when it was sent in several (alerts are), else as rendered for them when it was sent",
    properties: {
      id: { type: 'string', format: 'uuid' },
      title: { type: 'string' },
      body: nullable(),
      alert: { ...nullable(), description: 'The alert that sent it' },
      entity: { ...nullable(), description: 'The entity of the record it is about' },
      recordId: {
        ...nullable('uuid'),
        description: 'The record it is about (open /e/{entity}/{id})',
      },
      createdAt: { type: 'string', format: 'date-time' },
      readAt: nullable('date-time'),
      withheld: {
        type: 'boolean',
        description:
          'The record it names is one the caller can no longer read (deleted, transferred, out of scope): no link, no body, a neutral title',
      },
    },
    required: [
      'id',
      'title',
      'body',
      'alert',
      'entity',
      'recordId',
      'createdAt',
      'readAt',
      'withheld',
    ],
  },
  NotificationPage: {
    type: 'object',
    properties: {
      data: { type: 'array', items: ref('Notification'), description: 'Newest first' },
      unreadCount: { type: 'integer', minimum: 0, description: 'Unread in all, not on this page' },
      next: { type: ['string', 'null'], description: '`before` of the next (older) page' },
    },
    required: ['data', 'unreadCount', 'next'],
  },
  UnreadCount: {
    type: 'object',
    properties: {
      unreadCount: { type: 'integer', minimum: 0 },
      marked: { type: 'integer', minimum: 0, description: 'How many were marked (read-all)' },
    },
    required: ['unreadCount'],
  },
}

/** The caller's in-app notifications: list, mark read, and the unread count as a stream. */
export function buildNotificationPaths(): PathGroup {
  const tags = ['notifications']
  return {
    tags: [{ name: 'notifications', description: "The caller's in-app notifications" }],
    schemas,
    paths: {
      '/api/notifications': {
        get: {
          tags,
          operationId: 'listNotifications',
          summary: "The caller's notifications, newest first, with the unread count",
          parameters: [
            {
              name: 'unread',
              in: 'query',
              description: 'true: only the unread ones',
              schema: { type: 'boolean' },
            },
            {
              name: 'limit',
              in: 'query',
              description: `Default 20, at most ${MAX_NOTIFICATION_LIMIT}`,
              schema: { type: 'integer', minimum: 1, maximum: MAX_NOTIFICATION_LIMIT },
            },
            {
              name: 'before',
              in: 'query',
              description: '`next` of the previous page',
              schema: { type: 'string' },
            },
          ],
          responses: { 200: ok('A page', ref('NotificationPage')), ...errors(400, 401) },
        },
      },
      '/api/notifications/{id}/read': {
        post: {
          tags,
          operationId: 'markNotificationRead',
          summary: 'Mark one of my notifications read (again: no change)',
          description: "Another user's notification answers 404, like one that does not exist.",
          parameters: [uuidPath('id', 'A notification of the caller')],
          responses: { 200: ok('Marked', ref('UnreadCount')), ...errors(400, 401, 404) },
        },
      },
      '/api/notifications/read-all': {
        post: {
          tags,
          operationId: 'markAllNotificationsRead',
          summary: 'Mark all my notifications read',
          responses: { 200: ok('Marked', ref('UnreadCount')), ...errors(400, 401) },
        },
      },
      '/api/notifications/stream': {
        get: {
          tags,
          operationId: 'notificationStream',
          summary: 'Server-Sent Events: my unread count, live',
          description:
            'Needs `Accept: text/event-stream` (as EventSource sends; 400 naming `accept` otherwise). ' +
            'Sends `event: unread` with data `{"count": n}` on connect and whenever one of my ' +
            'notifications is stored or read, in any process; a `: heartbeat` comment every 25 s. ' +
            'When my session or token ends (logout, revocation, expiry) or my account is disabled, ' +
            'it sends `event: signedOut` and ends.',
          responses: {
            200: {
              description: 'The event stream (stays open while I am signed in)',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...errors(400, 401),
          },
        },
      },
    },
  }
}
