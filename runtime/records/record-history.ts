import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { hiddenFields, scopePredicate, stripHidden } from '../permissions'
import { entityPlan, type EntityPlan } from './entity-plan'
import { toIsoDateTime } from './field-values'
import { recordNotFound } from './record-refusal-texts'
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
  if (!isUuid(id)) throw recordNotFound(ctx, entityId, id)
  // Restricted callers see the history of records they can read now (deleted ones: none).
  const scope = scopePredicate(ctx, entityId, 'read', { alias: 't' })
  if (scope) {
    const readable = await ctx.db.query(
      sql`select 1 from ${plan.table} t where t.id = ${id} and ${scope}`,
    )
    if (!readable.length) throw recordNotFound(ctx, entityId, id)
  }
  const strip = historyStripper(ctx, plan)
  const rows = await ctx.db.query<AuditRow>(sql`
    select a.id, a.action, a.user_id, u.display_name as user_name, a.at, a.version, a.changes
    from audit_log a left join users u on u.id = a.user_id
    where a.entity = ${plan.entity.id} and a.record_id = ${id}
    order by a.id desc`)
  if (!rows.length) {
    const exists = await ctx.db.query(sql`select 1 from ${plan.table} where id = ${id}`)
    if (!exists.length) throw recordNotFound(ctx, entityId, id)
  }
  return rows.map((r) => ({
    id: Number(r.id),
    action: r.action,
    userId: r.user_id,
    userName: r.user_name,
    at: toIsoDateTime(r.at) as string,
    version: Number(r.version),
    changes: strip(
      ((typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) ??
        {}) as HistoryEntry['changes'],
    ),
  }))
}

type Changes = HistoryEntry['changes']

/**
 * The caller's view of audit changes: hidden fields removed, and inside child-table changes
 * (before / after are arrays of child rows) the child entity's hidden fields removed from each row.
 */
function historyStripper(ctx: Ctx, plan: EntityPlan): (changes: Changes) => Changes {
  const hidden = hiddenFields(ctx, plan.entity.id)
  const children = plan.childTables
    .map((child) => ({ name: child.field.name, hidden: hiddenFields(ctx, child.plan.entity.id) }))
    .filter((child) => child.hidden)
  const rows = (set: ReadonlySet<string> | null, value: unknown) =>
    Array.isArray(value)
      ? value.map((row: unknown) =>
          row && typeof row === 'object' ? stripHidden(set, row as Record<string, unknown>) : row,
        )
      : value
  return (changes) => {
    const out = stripHidden(hidden, changes)
    if (!children.length) return out
    const copy: Changes = { ...out }
    for (const { name, hidden: set } of children) {
      const change = copy[name]
      if (change && typeof change === 'object')
        copy[name] = { before: rows(set, change.before), after: rows(set, change.after) }
    }
    return copy
  }
}
