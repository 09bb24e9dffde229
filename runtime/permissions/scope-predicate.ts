import { sql, type SQL } from 'drizzle-orm'
import type { Action } from '../../metadata/role'
import type { Ctx, CurrentUser } from '../context'
import { APP_SCHEMA, CHILD_COLUMNS, columnName, tableName } from '../schema'
import { resolveAccess, type Access } from './resolve-access'
import { FALSE, columnOf, scopeSql, sharesSql, type RowRef } from './scope-sql'

export interface ScopeOptions {
  /** The alias the entity's table has in the caller's query (else columns name the table). */
  alias?: string
}

interface Build {
  access: Access
  user: CurrentUser
  now: Date
  ctx: Pick<Ctx, 'meta'>
}

/**
 * The rows `action` may reach on the entity, as a predicate over its table: null when the caller
 * is unrestricted (add nothing), `false` when nothing is granted. Parameters only.
 * @example scopePredicate(ctx, 'customer', 'read', { alias: 't' }) // sql`"t"."owner" = $1`
 */
export function scopePredicate(
  ctx: Pick<Ctx, 'user' | 'meta' | 'clock'>,
  entityId: string,
  action: Action,
  opts: ScopeOptions = {},
): SQL | null {
  const access = resolveAccess(ctx)
  if (access.unrestricted) return null
  const entity = ctx.meta.entities.get(entityId)
  if (!ctx.user || !entity) return FALSE
  const build: Build = { access, user: ctx.user, now: ctx.clock.now(), ctx }
  return predicateOf(build, { entity, alias: opts.alias }, action, 0)
}

/** Whether the caller has any scope at all for `action` on the entity (list and create need one). */
export function canAttempt(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  entityId: string,
  action: Action,
): boolean {
  const access = resolveAccess(ctx)
  if (access.unrestricted) return true
  const entity = ctx.meta.entities.get(entityId)
  const id = entity?.childOf ?? entityId
  return (access.grants.get(id)?.scopes.get(action)?.length ?? 0) > 0
}

// Nesting: a child row → its parent → the parent's permissionParent; no deeper (cycles end here).
const MAX_DEPTH = 2

function predicateOf(b: Build, row: RowRef, action: Action, depth: number): SQL | null {
  if (row.entity.childOf)
    return viaParent(b, row, row.entity.childOf, CHILD_COLUMNS.parentId, action, depth, true)
  const refs = b.access.grants.get(row.entity.id)?.scopes.get(action) ?? []
  if (refs.some((r) => r.scope === 'all')) return null
  const parts = refs.map((ref) => scopeSql(ref, row, b.user, b.now))
  if (action === 'read' || action === 'update')
    parts.push(sharesSql(row, b.user, b.now, action === 'update'))
  const parentField = row.entity.permissionParent
  if (action === 'read' && parentField && depth < MAX_DEPTH) {
    const field = row.entity.fields.find((f) => f.name === parentField)
    if (field?.type === 'reference' && field.entity) {
      const viaRef = viaParent(b, row, field.entity, columnName(field), 'read', depth, false)
      if (viaRef) parts.push(viaRef)
    }
  }
  if (!parts.length) return FALSE
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` or `)})`
}

/**
 * The row is reachable through the record its column points at: EXISTS over the parent table
 * with the parent's predicate (one level further at most). A child row has no scope of its own.
 */
function viaParent(
  b: Build,
  row: RowRef,
  parentId: string,
  column: string,
  action: Action,
  depth: number,
  isChild: boolean,
): SQL | null {
  const parent = b.ctx.meta.entities.get(parentId)
  if (!parent || depth >= MAX_DEPTH) return isChild ? FALSE : null
  const alias = `__p${depth}`
  const inner = predicateOf(b, { entity: parent, alias }, action, depth + 1)
  const link = columnOf(row, column)
  if (inner === null) return isChild ? null : sql`${link} is not null`
  const table = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(parent))}`
  return sql`exists (select 1 from ${table} ${sql.identifier(alias)} where ${sql.identifier(alias)}.id = ${link} and ${inner})`
}
