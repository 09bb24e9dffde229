import type { Db } from '../../runtime/db'
import {
  hashToken,
  IDENTITY_CHANNEL,
  isApiToken,
  resolveApiTokenByHash,
  resolveSessionByHash,
  type IdentityChange,
} from '../../runtime/identity'

/** Whom a long-lived response (an event stream) was opened for. */
export interface WatchedCaller {
  /** The session or API token the request came with. */
  token: string
  userId: string
}

/** The process's one LISTEN on identity changes, shared by every open stream. */
export interface CallerWatch {
  /**
   * Calls `onChange` after every identity change that may concern the caller (their session
   * or token ended, their account changed or was disabled); resolves, once the LISTEN is in
   * place, to the unsubscribe function.
   */
  subscribe(caller: WatchedCaller, onChange: () => void): Promise<() => void>
}

interface Watcher {
  tokenHash: string
  userId: string
  onChange: () => void
}

const watches = new WeakMap<Db, CallerWatch>()

/**
 * The caller watch of a database handle, made on first use (one LISTEN however many streams).
 * @example const stop = await callerWatch(db).subscribe({ token, userId }, () => recheck())
 */
export function callerWatch(db: Db): CallerWatch {
  let watch = watches.get(db)
  if (!watch) watches.set(db, (watch = createCallerWatch(db)))
  return watch
}

/** Whether a change notice may concern a watcher (a department change does not end anything). */
function concerns(change: IdentityChange, watcher: Watcher): boolean {
  if ('all' in change) return true
  if ('tokenHash' in change) return change.tokenHash === watcher.tokenHash
  if ('userId' in change) return change.userId.toLowerCase() === watcher.userId.toLowerCase()
  return false
}

function createCallerWatch(db: Db): CallerWatch {
  const watchers = new Set<Watcher>()
  let listening: Promise<unknown> | undefined
  const start = () =>
    (listening = db
      .listen(IDENTITY_CHANNEL, (payload) => {
        let change: IdentityChange
        try {
          change = JSON.parse(payload) as IdentityChange
        } catch {
          change = { all: true }
        }
        for (const watcher of watchers) if (concerns(change, watcher)) watcher.onChange()
      })
      .catch((err: unknown) => {
        listening = undefined // the next subscriber tries again
        throw err
      }))
  return {
    async subscribe(caller, onChange) {
      await (listening ?? start())
      const watcher = { tokenHash: hashToken(caller.token), userId: caller.userId, onChange }
      watchers.add(watcher)
      return () => void watchers.delete(watcher)
    },
  }
}

/**
 * Whether a token still signs its caller in at `now`: an unexpired session, or an unrevoked
 * API token, of a user who is not disabled. Reads the database (never a cache), so a sign-out
 * just announced is seen.
 * @example if (!(await isStillSignedIn(db, token, new Date()))) closeStream()
 */
export async function isStillSignedIn(db: Db, token: string, now: Date): Promise<boolean> {
  const hash = hashToken(token)
  const found = isApiToken(token)
    ? await resolveApiTokenByHash(db, hash, now)
    : await resolveSessionByHash(db, hash, now)
  return found !== null
}
