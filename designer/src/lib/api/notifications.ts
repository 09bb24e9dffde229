import { api } from './client'

/** One of my notifications as GET /api/notifications answers it. */
export interface AppNotification {
  id: string
  title: string
  body: string | null
  entity: string | null
  recordId: string | null
  createdAt: string
  readAt: string | null
  /** Its record is one I can no longer read: no link, a neutral title. */
  withheld: boolean
}

/** A page of my notifications with the unread count in all. */
export interface NotificationPage {
  data: AppNotification[]
  unreadCount: number
  next: string | null
}

/** My newest notifications. */
export function loadNotifications(limit = 10): Promise<NotificationPage> {
  return api<NotificationPage>('/api/notifications', { query: { limit } })
}

/** Marks one read; answers what is left unread. */
export function markNotificationRead(id: string): Promise<{ unreadCount: number }> {
  return api(`/api/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' })
}

/** Marks all of mine read. */
export function markAllNotificationsRead(): Promise<{ unreadCount: number }> {
  return api('/api/notifications/read-all', { method: 'POST' })
}

/** Where a notification's record opens in the workspace, or null when it names none. */
export function notificationHref(n: AppNotification): string | null {
  return n.entity && n.recordId && !n.withheld
    ? `/e/${encodeURIComponent(n.entity)}/${encodeURIComponent(n.recordId)}`
    : null
}
