import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { hiddenFields, scopePredicate, stripHidden } from '../permissions'
import { entityPlan } from './entity-plan'
import { toIsoDateTime } from './field-values'
import { recordNotFound } from './get-record'
import { isUuid } from './record-data'

/** One audit entry as the API shows it. */
export interface HistoryEntry {
  id: number
  action: string
  userId: string | null
  userName: string | null
  at: string
  version: number
  changes: Record<string, { before: unknown; after: unknown }>
}

interface AuditRow {
  id: number | string
  action: string
  user_id: string | null
  user_name: string | null
  at: unknown
  version: number
  changes: unknown
}

/** A record's audit history, newest first, with who made each change. Also for deleted records. */
export async function getRecordHistory(
  ctx: Ctx,
  entityId: string,
  id: string,
): Promise<HistoryEntry[]> {
  const plan = entityPlan(ctx.meta, entityId)
  if (!isUuid(id)) throw recordNotFound(entityId, id)
  // Restricted callers see the history of records they can read now (deleted ones: none).
  const scope = scopePredicate(ctx, entityId, 'read', { alias: 't' })
  if (scope) {
    const readable = await ctx.db.query(
      sql`select 1 from ${plan.table} t where t.id = ${id} and ${scope}`,
    )
    if (!readable.length) throw recordNotFound(entityId, id)
  }
  const hidden = hiddenFields(ctx, entityId)
  const rows = await ctx.db.query<AuditRow>(sql`
    select a.id, a.action, a.user_id, u.display_name as user_name, a.at, a.version, a.changes
    from audit_log a left join users u on u.id = a.user_id
    where a.entity = ${plan.entity.id} and a.record_id = ${id}
    order by a.id desc`)
  if (!rows.length) {
    const exists = await ctx.db.query(sql`select 1 from ${plan.table} where id = ${id}`)
    if (!exists.length) throw recordNotFound(entityId, id)
  }
  return rows.map((r) => ({
    id: Number(r.id),
    action: r.action,
    userId: r.user_id,
    userName: r.user_name,
    at: toIsoDateTime(r.at) as string,
    version: Number(r.version),
    changes: stripHidden(
      hidden,
      ((typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) ??
        {}) as HistoryEntry['changes'],
    ),
  }))
}
