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

const FORMAT = 1
const ACTIONS: LinkAction[] = ['approve', 'reject']
/** Bytes of the HMAC-SHA-256 kept in a token (128 bits). */
const MAC_BYTES = 16
/** Format, action, instance, user, version, expiry (seconds) — then the task key. */
const FIXED_BYTES = 1 + 1 + 16 + 16 + 4 + 4
const MAX_KEY_BYTES = 64

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex')
const uuidText = (b: Buffer) =>
  b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')
const mac = (key: KeyObject, payload: Buffer) =>
  createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES)

/**
 * A link token: the claims and their HMAC under the installation's key, base64url (about 80
 * characters). Nothing is stored: a token is checked by its signature, its expiry, the task's
 * state and the record's version, and marked used when it is used (see approval-links.ts).
 */
export function signApprovalLink(key: KeyObject, claims: LinkClaims): string {
  const taskKey = Buffer.from(claims.taskKey, 'utf8')
  if (taskKey.length > MAX_KEY_BYTES) throw new Error(`task key too long: ${claims.taskKey}`)
  const payload = Buffer.alloc(FIXED_BYTES + taskKey.length)
  payload.writeUInt8(FORMAT, 0)
  payload.writeUInt8(ACTIONS.indexOf(claims.action), 1)
  uuidBytes(claims.instanceId).copy(payload, 2)
  uuidBytes(claims.userId).copy(payload, 18)
  payload.writeUInt32BE(claims.recordVersion >>> 0, 34)
  payload.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000) >>> 0, 38)
  taskKey.copy(payload, FIXED_BYTES)
  return Buffer.concat([payload, mac(key, payload)]).toString('base64url')
}

/** The claims of a token signed under `key`; null for anything else (forged, cut, foreign). */
export function readApprovalLink(key: KeyObject, token: string): LinkClaims | null {
  if (!/^[A-Za-z0-9_-]{40,200}$/.test(token)) return null
  const bytes = Buffer.from(token, 'base64url')
  if (bytes.length < FIXED_BYTES + MAC_BYTES + 1) return null
  const payload = bytes.subarray(0, bytes.length - MAC_BYTES)
  const given = bytes.subarray(bytes.length - MAC_BYTES)
  if (!timingSafeEqual(given, mac(key, payload))) return null
  const action = ACTIONS[payload.readUInt8(1)]
  if (payload.readUInt8(0) !== FORMAT || !action) return null
  return {
    instanceId: uuidText(payload.subarray(2, 18)),
    userId: uuidText(payload.subarray(18, 34)),
    action,
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
