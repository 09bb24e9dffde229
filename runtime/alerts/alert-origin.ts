import { sql } from 'drizzle-orm'
import type { Alert } from '../../metadata/alert'
import { SYSTEM_USER } from '../context'
import type { Db } from '../db'

/**
 * Writes made by alert actions carry their origin as the request id of the write (kept in the
 * audit row beside the version): `alert:<id>>…`, the chain of alerts whose actions led to it.
 */
const ORIGIN_PREFIX = 'alert:'

/** Alerts whose actions already led to this many writes in a row make no further write. */
export const MAX_ALERT_CHAIN = 8

/**
 * The request id an alert action writes under.
 * @example toAlertOrigin(['mark-overdue', 'escalate']) // 'alert:mark-overdue>escalate'
 */
export function toAlertOrigin(chain: readonly string[]): string {
  return `${ORIGIN_PREFIX}${chain.join('>')}`
}

/**
 * The chain of alerts a request id names; empty for a write no alert made.
 * @example parseAlertOrigin('alert:mark-overdue>escalate') // ['mark-overdue', 'escalate']
 */
export function parseAlertOrigin(requestId: string | null | undefined): string[] {
  if (!requestId?.startsWith(ORIGIN_PREFIX)) return []
  return requestId.slice(ORIGIN_PREFIX.length).split('>').filter(Boolean)
}

/**
 * The chain of alerts behind one version of a record: read from that write's audit row, and
 * only for writes by the system user (alert actions run as the system; a person's write has no
 * chain, and costs no query).
 * @example await readWriteOrigin(db, { entity: 'deal', recordId, version: 3, userId })
 */
export async function readWriteOrigin(
  db: Db,
  write: { entity: string; recordId: string; version: unknown; userId: unknown },
): Promise<string[]> {
  const version = Number(write.version)
  if (write.userId !== SYSTEM_USER.id || !Number.isInteger(version)) return []
  const [row] = await db.query<{ request_id: string | null }>(sql`
    select request_id from audit_log
    where entity = ${write.entity} and record_id = ${write.recordId}::uuid and version = ${version}
    order by id desc limit 1`)
  return parseAlertOrigin(row?.request_id)
}

/**
 * Whether an event must not fire `alert`, to keep alert actions from feeding themselves: the
 * alert's own actions are in the write's chain (an alert that sets a field of the record it fired
 * on, or two alerts that set each other off), or the chain is already `MAX_ALERT_CHAIN` long and
 * the alert would write again.
 * @example isAlertLoop(markOverdue, ['mark-overdue']) // true
 */
export function isAlertLoop(alert: Alert, chain: readonly string[]): boolean {
  if (chain.includes(alert.id)) return true
  return chain.length >= MAX_ALERT_CHAIN && (alert.actions?.length ?? 0) > 0
}
