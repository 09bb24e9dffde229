import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { flowOf } from '../flows'
import { entityCapabilities } from '../permissions'
import { recordNotFound } from '../records'
import { requireEntity } from '../registry'
import { columnName } from '../schema'
import { isAdministrator } from './caller'
import { entityTable } from './load-targets'
import { ownerColumn } from './record-owner'
import { scopeCondition, T } from './scope-condition'

/** What the caller may do with one record, for a client to offer only that. */
export interface RecordCapabilities {
  update: boolean
  delete: boolean
  /** Share it with colleagues: its owner, the owner's managers and administrators. */
  share: boolean
  /** Give it another owner (the `assign` action). */
  transfer: boolean
  /** Fields the caller may read but not write (a child table's as `lines.unitPrice`). */
  readOnlyFields: string[]
}

/**
 * The caller's rights on record `id`: each action's scope and the sharing rule evaluated for that
 * row in one statement, so the answer is what a write would meet. 404 when the caller cannot
 * read the record (as a read answers).
 * @example await recordCapabilities(ctx, 'campaign', id) // { update: false, delete: false, … }
 */
export async function recordCapabilities(
  ctx: Ctx,
  entityId: string,
  id: string,
): Promise<RecordCapabilities> {
  const entity = requireEntity(ctx.meta, entityId, ctx.user?.locale)
  const owner = sql`${T}.${ownerColumn(entity).column}`
  const me = ctx.user?.id ?? null
  // The rule assertMayShare applies: the owner, anyone above the owner, administrators.
  const share = isAdministrator(ctx)
    ? sql`true`
    : sql`(${owner} = ${me}::uuid or exists (select 1 from manager_closure m
        where m.manager_id = ${me}::uuid and m.report_id = ${owner}))`
  // A state whose lock forbids deleting (`lock.delete: false`) takes delete away from everyone.
  const flow = flowOf(ctx.meta, entityId)
  const undeletable = flow?.states.filter((st) => st.lock?.delete === false).map((st) => st.id)
  const stateField = entity.fields.find((f) => f.name === flow?.stateField)
  const deleteLocked =
    undeletable?.length && stateField
      ? sql`${T}.${sql.identifier(columnName(stateField))} = any(${`{${undeletable.join(',')}}`}::text[])`
      : sql`false`
  const rows = await ctx.db.query<Record<'u' | 'd' | 's' | 'a' | 'l', boolean>>(sql`
    select coalesce(${scopeCondition(ctx, entityId, 'update')}, false) as u,
      coalesce(${deleteLocked}, false) as l,
      coalesce(${scopeCondition(ctx, entityId, 'delete')}, false) as d,
      coalesce(${share}, false) as s,
      coalesce(${scopeCondition(ctx, entityId, 'assign')}, false) as a
    from ${entityTable(entity)}
    where ${T}.id = ${id}::uuid and coalesce(${scopeCondition(ctx, entityId, 'read')}, false)`)
  const row = rows[0]
  if (!row) {
    throw recordNotFound(ctx, entityId, id)
  }
  const { readOnlyFields } = entityCapabilities(ctx, entityId)
  // A new owner needs the assign right (as a write checks): without it the owner field is read-only.
  const ownerField = entity.ownerField
  const locked =
    ownerField && row.a !== true && !readOnlyFields.includes(ownerField) ? [ownerField] : []
  return {
    update: row.u === true,
    delete: row.d === true && row.l !== true,
    share: row.s === true && me !== null,
    transfer: row.a === true,
    readOnlyFields: [...readOnlyFields, ...locked],
  }
}
