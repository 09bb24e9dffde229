import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Action } from '../../metadata/role'
import type { Ctx } from '../context'
import type { MetadataSet } from '../registry'
import { APP_SCHEMA, CHILD_COLUMNS, columnName, tableName } from '../schema'
import { resolveAccess, type Access } from './resolve-access'
import { FALSE, columnOf, scopeSql, sharesSql, type RowRef, type ScopeValues } from './scope-sql'
import { compileScope, type CompiledScope, type FilterFn } from './scope-template'

export interface ScopeOptions {
  /** The alias the entity's table has in the caller's query (else columns name the table). */
  alias?: string
}

interface Build {
  access: Access
  meta: MetadataSet
  values: ScopeValues
  filter: FilterFn
  /** Whether records of the entity may be shared with the caller (else no shares branch). */
  mayBeShared: (entityId: string) => boolean
}

/**
 * Compiled scopes per metadata version → united roles (their Access) → entity, action, alias,
 * whether the caller has a department and the entities shared with them. Both outer levels are
 * weak: a new version frees its own.
 */
const compiled = new WeakMap<MetadataSet, WeakMap<Access, Map<string, CompiledScope>>>()
const MAX_PER_ACCESS = 500

/**
 * The rows `action` may reach on the entity, as a predicate over its table: null when the caller
 * is unrestricted (add nothing), `false` when nothing is granted. Parameters only. Compiled once
 * per (metadata, roles, entity, action, alias) to SQL text; a call binds the caller's values.
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
  const withDepartment = Boolean(ctx.user.departmentId)
  const shared = sharedInReach(ctx.meta, entity, ctx.user.sharedEntities)
  let perMeta = compiled.get(ctx.meta)
  if (!perMeta) compiled.set(ctx.meta, (perMeta = new WeakMap()))
  let perAccess = perMeta.get(access)
  if (!perAccess) perMeta.set(access, (perAccess = new Map()))
  const key = [entityId, action, opts.alias ?? '', withDepartment, shared?.join() ?? '*'].join(
    '\u0000',
  )
  let scope = perAccess.get(key)
  if (!scope) {
    const mayBeShared = shared ? (id: string) => shared.includes(id) : () => true
    scope = compileFor(ctx.meta, access, entity, action, opts.alias, withDepartment, mayBeShared)
    if (perAccess.size < MAX_PER_ACCESS) perAccess.set(key, scope)
  }
  return scope.bind(ctx.user, ctx.clock.now())
}

function compileFor(
  meta: MetadataSet,
  access: Access,
  entity: Entity,
  action: Action,
  alias: string | undefined,
  withDepartment: boolean,
  mayBeShared: (entityId: string) => boolean,
): CompiledScope {
  return compileScope(withDepartment, (values, filter) =>
    predicateOf({ access, meta, values, filter, mayBeShared }, { entity, alias }, action, 0),
  )
}

const reachCache = new WeakMap<MetadataSet, Map<string, string[]>>()

/**
 * The entities a predicate over `entity` may look at shares of: itself, the parent of a child
 * entity and the permissionParent targets, as deep as predicateOf goes (a superset is harmless).
 */
function reachOf(meta: MetadataSet, entity: Entity): string[] {
  let perMeta = reachCache.get(meta)
  if (!perMeta) reachCache.set(meta, (perMeta = new Map()))
  let reach = perMeta.get(entity.id)
  if (!reach) {
    const found = new Set<string>()
    const visit = (e: Entity | undefined, depth: number) => {
      if (!e || depth > MAX_DEPTH || found.has(e.id)) return
      found.add(e.id)
      if (e.childOf) visit(meta.entities.get(e.childOf), depth + 1)
      const parent = e.fields.find((f) => f.name === e.permissionParent)
      if (parent?.entity) visit(meta.entities.get(parent.entity), depth + 1)
    }
    visit(entity, 0)
    perMeta.set(entity.id, (reach = [...found]))
  }
  return reach
}

/**
 * Of the entities shared with the caller, those the predicate can reach; undefined (unknown)
 * keeps every shares branch. Only these vary the compiled predicate, so they alone enter its key.
 */
function sharedInReach(
  meta: MetadataSet,
  entity: Entity,
  shared: readonly string[] | undefined,
): string[] | undefined {
  return shared && reachOf(meta, entity).filter((id) => shared.includes(id))
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
  const parts = refs.map((ref) =>
    ref.scope === 'filter' ? b.filter(ref.rule, row) : scopeSql(ref.scope, row, b.values),
  )
  if ((action === 'read' || action === 'update') && b.mayBeShared(row.entity.id))
    parts.push(sharesSql(row, b.values, action === 'update'))
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
  const parent = b.meta.entities.get(parentId)
  if (!parent || depth >= MAX_DEPTH) return isChild ? FALSE : null
  const alias = `__p${depth}`
  const inner = predicateOf(b, { entity: parent, alias }, action, depth + 1)
  const link = columnOf(row, column)
  if (inner === null) return isChild ? null : sql`${link} is not null`
  const table = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(parent))}`
  return sql`exists (select 1 from ${table} ${sql.identifier(alias)} where ${sql.identifier(alias)}.id = ${link} and ${inner})`
}
