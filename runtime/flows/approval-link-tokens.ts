import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'

/** How long a link in a mail or chat message may be used. */
export const LINK_TTL_MS = 7 * 24 * 3600 * 1000

/** The actions a link may carry. */
export type LinkAction = 'approve' | 'reject'

/** What a link says: who may take which action on which task, while the record is at which version. */
export interface LinkClaims {
  /** The approval instance and the task's key in it (a task's public id is made by the database). */
  instanceId: string
  taskKey: string
  action: LinkAction
  /** The assignee the link was sent to: it acts as them. */
  userId: string
  /** The record's version when the link was made: a changed record refuses the link. */
  recordVersion: number
  expiresAt: Date
}

/** Where a link opens: its public page (GET shows what it does, POST acts). */
export function approvalLinkPath(token: string): string {
  return `/api/approval-links/${token}`
}

/**
 * Token formats. 1: each action's token carries an HMAC of its own payload (links sent before
 * format 2, still read until they expire). 2: one HMAC covers the claims with the action left
 * out, and the approve token carries its first half, the reject token its second: a notice's
 * two links cost one HMAC, and neither half tells the other, so an approve link cannot be
 * turned into a reject link.
 */
const PER_ACTION = 1
const PAIRED = 2
const ACTIONS: LinkAction[] = ['approve', 'reject']
/** Bytes of the HMAC-SHA-256 kept in a token (128 bits). */
const MAC_BYTES = 16
/** Format, action, instance, user, version, expiry (seconds) — then the task key. */
const FIXED_BYTES = 1 + 1 + 16 + 16 + 4 + 4
const MAX_KEY_BYTES = 64
/** The action byte of a paired format's signed bytes: the half of the MAC names the action. */
const ANY_ACTION = 0xff

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex')
const uuidText = (b: Buffer) =>
  b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')
const hmac = (key: KeyObject, bytes: Buffer) => createHmac('sha256', key).update(bytes).digest()

/** The MAC a token of `payload` (format, action, claims) carries, or null for no known format. */
function macOf(key: KeyObject, payload: Buffer): Buffer | null {
  const action = payload.readUInt8(1)
  if (!ACTIONS[action]) return null
  if (payload.readUInt8(0) === PER_ACTION) return hmac(key, payload).subarray(0, MAC_BYTES)
  if (payload.readUInt8(0) !== PAIRED) return null
  const signed = Buffer.from(payload)
  signed.writeUInt8(ANY_ACTION, 1)
  return hmac(key, signed).subarray(action * MAC_BYTES, (action + 1) * MAC_BYTES)
}

/**
 * Both link tokens of a task: the claims and a MAC under the installation's key, base64url
 * (about 90 characters each), made with one HMAC (format 2). Nothing is stored: a token is
 * checked by its signature, its expiry, the task's state and the record's version, and marked
 * used when it is used (see approval-links.ts).
 */
export function signApprovalLinks(
  key: KeyObject,
  claims: Omit<LinkClaims, 'action'>,
): Record<LinkAction, string> {
  const taskKey = Buffer.from(claims.taskKey, 'utf8')
  if (taskKey.length > MAX_KEY_BYTES) throw new Error(`task key too long: ${claims.taskKey}`)
  const payload = Buffer.alloc(FIXED_BYTES + taskKey.length)
  payload.writeUInt8(PAIRED, 0)
  payload.writeUInt8(ANY_ACTION, 1)
  uuidBytes(claims.instanceId).copy(payload, 2)
  uuidBytes(claims.userId).copy(payload, 18)
  payload.writeUInt32BE(claims.recordVersion >>> 0, 34)
  payload.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000) >>> 0, 38)
  taskKey.copy(payload, FIXED_BYTES)
  const mac = hmac(key, payload)
  const token = (action: LinkAction) => {
    const i = ACTIONS.indexOf(action)
    const bytes = Buffer.concat([payload, mac.subarray(i * MAC_BYTES, (i + 1) * MAC_BYTES)])
    bytes.writeUInt8(i, 1)
    return bytes.toString('base64url')
  }
  return { approve: token('approve'), reject: token('reject') }
}

/** One link token (see signApprovalLinks). */
export function signApprovalLink(key: KeyObject, claims: LinkClaims): string {
  return signApprovalLinks(key, claims)[claims.action]
}

/** The claims of a token signed under `key`; null for anything else (forged, cut, foreign). */
export function readApprovalLink(key: KeyObject, token: string): LinkClaims | null {
  if (!/^[A-Za-z0-9_-]{40,200}$/.test(token)) return null
  const bytes = Buffer.from(token, 'base64url')
  if (bytes.length < FIXED_BYTES + MAC_BYTES + 1) return null
  const payload = bytes.subarray(0, bytes.length - MAC_BYTES)
  const given = bytes.subarray(bytes.length - MAC_BYTES)
  const expected = macOf(key, payload)
  if (!expected || !timingSafeEqual(given, expected)) return null
  return {
    instanceId: uuidText(payload.subarray(2, 18)),
    userId: uuidText(payload.subarray(18, 34)),
    action: ACTIONS[payload.readUInt8(1)],
    recordVersion: payload.readUInt32BE(34),
    expiresAt: new Date(payload.readUInt32BE(38) * 1000),
    taskKey: payload.subarray(FIXED_BYTES).toString('utf8'),
  }
}

/** The signing key, per opened database (`Db.database`), once read. */
const keys = new WeakMap<object, KeyObject>()

/**
 * The installation's link-signing key (`platform_secrets`, made by `migratePlatform`), read
 * once per process and database.
 */
export async function approvalLinkKey(ctx: Pick<Ctx, 'db'>): Promise<KeyObject> {
  const known = keys.get(ctx.db.database)
  if (known) return known
  const rows = await ctx.db.query<{ value: string }>(
    sql`select value from platform_secrets where name = 'approval-links'`,
  )
  if (!rows.length) throw new Error('The approval-link secret is missing: run `trellis migrate`')
  const key = createSecretKey(Buffer.from(rows[0].value, 'base64url'))
  keys.set(ctx.db.database, key)
  return key
}
