/**
 * In-app notifications: stored per recipient, counted, listed newest first, marked read, and
 * announced to every API process (NOTIFY with user ids only) so open streams update at once.
 *
 * The contract with the alert layer (the only writer besides system notices): `notify` stores
 * the title and body as given, already rendered in the recipient's language and only from
 * fields that recipient may read — the store never renders and never sees the record. Given
 * `texts` (the same message rendered in each language the alert speaks), the list shows the one
 * of the reader's language at the time they read, so a later switch of language reaches older
 * notifications too (see toReaderText); rows without texts keep their stored title. What can
 * change later is checked when listing: a notification naming a record its recipient can no
 * longer read (deleted, transferred away, scope or role changed) comes back withheld, without
 * its link and body and with a neutral title (see withholdUnreadable).
 */
export { notify, type NotifyInput, type NotifyResult } from './notify'
export { toReaderText, type NotificationText, type NotificationTexts } from './notification-texts'
export { notifyMany, type NotifiedRow } from './notify-many'
export {
  listNotifications,
  DEFAULT_NOTIFICATION_LIMIT,
  MAX_NOTIFICATION_LIMIT,
  type ListNotificationsInput,
  type NotificationPage,
} from './list-notifications'
export { markRead, markAllRead, type MarkReadResult } from './mark-read'
export { neutralTitle, type Notification } from './withhold-unreadable'
export {
  NOTICE_GAP_MS,
  NOTIFICATIONS_CHANNEL,
  announceNotificationsOf,
  unreadCount,
} from './notification-channel'
export { notificationHub, type NotificationHub, type CountListener } from './notification-hub'
