import { sql } from 'drizzle-orm'
import type { Db } from '../db'

/** One pool or assignment move of a record: who, when, what changed and why. */
export interface PoolMove {
  entity: string
  recordId: string
  /** `claim`, `release`, `reclaim` or `assign`: the action the record's history shows. */
  action: 'claim' | 'release' | 'reclaim' | 'assign'
  userId: string | null
  at: Date
  version: number
  changes: Record<string, { before: unknown; after: unknown }>
  requestId?: string | null
}

/**
 * Writes a pool move into the record's history (audit_log) and its outbox as an `updated` event,
 * so alerts and other handlers see the owner change like any other write.
 */
export async function recordPoolMove(db: Db, move: PoolMove): Promise<void> {
  const changes = JSON.stringify(move.changes)
  const at = move.at.toISOString()
  await db.query(sql`
    with aud as (insert into audit_log (entity, record_id, action, user_id, at, request_id, changes, version)
      values (${move.entity}, ${move.recordId}::uuid, ${move.action}, ${move.userId}::uuid,
        ${at}::timestamptz, ${move.requestId ?? null}, ${changes}::jsonb, ${move.version}))
    insert into outbox (entity, record_id, event, payload, user_id)
    values (${move.entity}, ${move.recordId}::uuid, 'updated',
      jsonb_build_object('changes', ${changes}::jsonb, 'id', ${move.recordId}::text,
        'version', ${move.version}::int, 'action', ${move.action}::text), ${move.userId}::uuid)`)
}
