import type { CurrentUser } from '../context'
import type { Db } from '../db'
import { isApiToken, resolveApiTokenByHash, TOKEN_TOUCH_MS, touchApiToken } from './api-tokens'
import { hashToken, resolveSessionByHash } from './sessions'

/** The channel on which any process announces that sessions or users changed. */
export const IDENTITY_CHANNEL = 'trellis_identity'

/** What a NOTIFY on IDENTITY_CHANNEL carries. */
export type IdentityChange =
  { tokenHash: string } | { userId: string } | { departmentId: string } | { all: true }

interface Entry {
  /** sha-256 of the token: what the database and change notices name it by. */
  hash: string
  user: CurrentUser
  expiresAt: number
  /** When this process must look again even without a notice (a notice can be lost). */
  recheckAt: number
  /** API tokens only: the token's id and when this process last wrote its last_used_at. */
  tokenId?: string
  touchedAt?: number
}

export interface SessionResolver {
  /** The user behind a token, from memory when known, else one query. */
  resolve(token: string, now: Date): Promise<CurrentUser | null>
  /**
   * The user behind a token when memory alone answers (no query, no write due), else undefined:
   * lets the request path skip a promise for the common case.
   */
  cached(token: string, now: number): CurrentUser | undefined
  /** Subscribes to change notices from every process. */
  start(): Promise<void>
  stop(): Promise<void>
  /** Applies a change notice (also used for changes made by this process). */
  apply(change: IdentityChange): void
}

/**
 * Keeps resolved sessions in memory so an authenticated request needs no database round trip.
 * Logout, disabling a user or changing their rights NOTIFY every process, which evicts at once;
 * `recheckMs` bounds the staleness should a notice be lost while a connection was down.
 */
export function createSessionResolver(
  db: Db,
  options: {
    recheckMs?: number
    max?: number
    /** How a token is hashed for the database (tests count the calls). */
    hash?: (token: string) => string
  } = {},
): SessionResolver {
  const recheckMs = options.recheckMs ?? 30_000
  const max = options.max ?? 50_000
  const hashOf = options.hash ?? hashToken
  // Keyed by the token itself, so a request that hits needs no sha-256. The raw tokens held here
  // are the ones live requests carry anyway; each goes on logout (a notice names its hash, hence
  // `tokens`), on expiry, on a recheck that finds it gone, or when the map is full.
  const entries = new Map<string, Entry>()
  const tokens = new Map<string, string>()
  let unlisten: (() => Promise<void>) | undefined
  // Counts notices: a load that a notice overtook may hold what the notice made stale.
  let generation = 0

  const forget = (token: string) => {
    const entry = entries.get(token)
    if (!entry) return
    entries.delete(token)
    tokens.delete(entry.hash)
  }
  const apply = (change: IdentityChange) => {
    generation++
    if ('all' in change) {
      entries.clear()
      tokens.clear()
    } else if ('tokenHash' in change) {
      const token = tokens.get(change.tokenHash)
      if (token !== undefined) forget(token)
    } else {
      for (const [token, entry] of entries) if (concerns(change, entry.user)) forget(token)
    }
  }

  const resolver: SessionResolver = {
    cached(token, now) {
      const hit = entries.get(token)
      if (!hit || hit.expiresAt <= now || hit.recheckAt <= now) return undefined
      if (hit.tokenId && now - (hit.touchedAt ?? 0) >= TOKEN_TOUCH_MS) return undefined
      return hit.user
    },
    async resolve(token, now) {
      if (!token || token.length > 256) return null
      const at = now.getTime()
      const hit = entries.get(token)
      if (hit && hit.expiresAt > at && hit.recheckAt > at) {
        if (hit.tokenId && at - (hit.touchedAt ?? 0) >= TOKEN_TOUCH_MS) {
          hit.touchedAt = at
          await touchApiToken(db, hit.tokenId, now)
        }
        return hit.user
      }
      const hash = hit?.hash ?? hashOf(token)
      const loadedAt = generation
      const entry = isApiToken(token)
        ? await loadApiToken(db, hash, now)
        : await loadSession(db, hash, now)
      forget(token)
      if (!entry) return null
      // Overtaken by a notice: answer this request, but look again on the next one.
      entry.recheckAt = generation === loadedAt ? at + recheckMs : 0
      if (entries.size >= max) forget(entries.keys().next().value as string)
      entries.set(token, entry)
      tokens.set(hash, token)
      return entry.user
    },
    async start() {
      unlisten ??= await db.listen(IDENTITY_CHANNEL, (payload) => {
        try {
          apply(JSON.parse(payload) as IdentityChange)
        } catch {
          apply({ all: true })
        }
      })
    },
    async stop() {
      await unlisten?.()
      unlisten = undefined
    },
    apply,
  }
  inThisProcess.add(new WeakRef(resolver))
  return resolver
}

/** The resolvers this process made, held weakly (a test's apps come and go). */
const inThisProcess = new Set<WeakRef<SessionResolver>>()

/**
 * Applies a change to every session cache of this process at once, for engine writes no route
 * knows the recipients of (an approval sharing its record with an approver): call it after the
 * commit. Other processes learn of it from the NOTIFY (announceIdentityChange).
 */
export function forgetInThisProcess(change: IdentityChange): void {
  for (const ref of inThisProcess) {
    const resolver = ref.deref()
    if (resolver) resolver.apply(change)
    else inThisProcess.delete(ref)
  }
}

/** Whether a notice about a user or a department is about this caller. */
function concerns(change: { userId: string } | { departmentId: string }, user: CurrentUser) {
  return 'userId' in change ? user.id === change.userId : user.departmentId === change.departmentId
}

/** Tells every process (this one included) that sessions or users changed. */
export async function announceIdentityChange(db: Db, change: IdentityChange): Promise<void> {
  await db.notify(IDENTITY_CHANNEL, JSON.stringify(change))
}

async function loadSession(db: Db, hash: string, now: Date): Promise<Entry | null> {
  const found = await resolveSessionByHash(db, hash, now)
  return found
    ? { hash, user: found.user, expiresAt: found.expiresAt.getTime(), recheckAt: 0 }
    : null
}

/** An API token's caller; writes last_used_at when the stored one is a minute old or more. */
async function loadApiToken(db: Db, hash: string, now: Date): Promise<Entry | null> {
  const found = await resolveApiTokenByHash(db, hash, now)
  if (!found) return null
  const at = now.getTime()
  let touchedAt = found.lastUsedAt?.getTime() ?? 0
  if (at - touchedAt >= TOKEN_TOUCH_MS) {
    await touchApiToken(db, found.tokenId, now)
    touchedAt = at
  }
  return {
    hash,
    user: found.user,
    expiresAt: found.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
    recheckAt: 0,
    tokenId: found.tokenId,
    touchedAt,
  }
}
