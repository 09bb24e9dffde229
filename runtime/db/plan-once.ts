import { sql } from 'drizzle-orm'
import type { Db } from './db'

/**
 * Plans the rest of the current transaction's prepared statements once per connection
 * (PostgreSQL's generic plans) instead of for each call's values. For transactions whose
 * statements are keyed by ids and built of many CTEs, like a flow's: planning those afresh for
 * every call cost several times what running them did, and PostgreSQL's own choice kept doing it.
 * Send it first, pipelined with the statements that follow (no round trip of its own).
 * PGlite plans every statement afresh whatever the setting: nothing to do there.
 * @example await Promise.all([planOnce(tx), tx.query(lock), tx.query(org)])
 */
export async function planOnce(db: Db): Promise<void> {
  if (db.dialect !== 'postgres') return
  await db.query(sql`set local plan_cache_mode = force_generic_plan`, { prepare: false })
}
