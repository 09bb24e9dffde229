import type { Db } from '../db'
import { NOTIFICATIONS_CHANNEL, toNoticeUserIds, unreadCount } from './notification-channel'

/** Receives a user's unread count whenever their notifications change. */
export type CountListener = (count: number) => void

/** The process's one LISTEN on the notifications channel, shared by every open stream. */
export interface NotificationHub {
  /**
   * Calls `onCount` with the user's unread count after every change to their notifications made
   * by any process; resolves once the LISTEN is in place, to the unsubscribe function.
   */
  subscribe(userId: string, onCount: CountListener): Promise<() => void>
  /** Open subscriptions (every stream of every user). */
  readonly size: number
  /** LISTENs this hub has issued: one for the life of the database handle. */
  readonly listens: number
}

const hubs = new WeakMap<Db, NotificationHub>()

/**
 * The hub of a database handle, made on first use: one LISTEN per process however many streams
 * are open. A notice for a user without a stream here costs nothing; for one with streams, one
 * count query however many streams (tabs) they have open.
 * @example const stop = await notificationHub(db).subscribe(user.id, (n) => send(n))
 */
export function notificationHub(db: Db, onError?: (err: unknown) => void): NotificationHub {
  let hub = hubs.get(db)
  if (!hub) hubs.set(db, (hub = createHub(db, onError ?? (() => {}))))
  return hub
}

function createHub(db: Db, onError: (err: unknown) => void): NotificationHub {
  const listeners = new Map<string, Set<CountListener>>()
  /** Users whose count is being read; `true` when another notice came in meanwhile. */
  const counting = new Map<string, boolean>()
  let listening: Promise<unknown> | undefined
  let listens = 0
  let size = 0

  const recount = async (userId: string) => {
    if (counting.has(userId)) {
      counting.set(userId, true)
      return
    }
    counting.set(userId, false)
    try {
      // Notices that arrive while a count runs are folded into one more count after it.
      do {
        counting.set(userId, false)
        const count = await unreadCount(db, userId)
        for (const listener of listeners.get(userId) ?? []) listener(count)
      } while (counting.get(userId))
    } catch (err) {
      onError(err)
    } finally {
      counting.delete(userId)
    }
  }

  const start = () => {
    listens++
    listening = db
      .listen(NOTIFICATIONS_CHANNEL, (payload) => {
        // One notice may name many users (a batch of reminders): only those with a stream here
        // are counted.
        for (const userId of toNoticeUserIds(payload))
          if (listeners.has(userId)) void recount(userId)
      })
      .catch((err: unknown) => {
        // The next subscriber tries again.
        listening = undefined
        throw err
      })
    return listening
  }

  return {
    async subscribe(userId, onCount) {
      const key = userId.toLowerCase()
      await (listening ?? start())
      let set = listeners.get(key)
      if (!set) listeners.set(key, (set = new Set()))
      const own: CountListener = (n) => onCount(n)
      set.add(own)
      size++
      let done = false
      return () => {
        if (done) return
        done = true
        size--
        set.delete(own)
        if (!set.size && listeners.get(key) === set) listeners.delete(key)
      }
    },
    get size() {
      return size
    },
    get listens() {
      return listens
    },
  }
}
