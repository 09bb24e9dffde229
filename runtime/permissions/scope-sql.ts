import { sql, type SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { CurrentUser } from '../context'
import { DefinitionError, TrellisError } from '../errors'
import { compileFilter } from '../rules'
import { APP_SCHEMA, SYSTEM_COLUMNS, columnName, tableName } from '../schema'
import { cachedFilter } from './filter-cache'
import type { ScopeRef } from './resolve-access'

/** Where the predicate's row comes from: a table alias, or the entity table itself. */
export interface RowRef {
  entity: Entity
  alias?: string
}

export const FALSE = sql`false`

/** A column of the row, always qualified so it stays correct inside correlated subqueries. */
export function columnOf(row: RowRef, column: string): SQL {
  return row.alias
    ? sql`${sql.identifier(row.alias)}.${sql.identifier(column)}`
    : sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(row.entity))}.${sql.identifier(column)}`
}

/** The column 'own' compares: the entity's owner field, else created_by. */
export function ownerColumn(entity: Entity): string {
  const owner = entity.ownerField && entity.fields.find((f) => f.name === entity.ownerField)
  return owner ? columnName(owner) : SYSTEM_COLUMNS.createdBy
}

/** The `$user` variables row filters read: attributes first, so they cannot shadow the ids. */
export function userVars(user: CurrentUser): Record<string, unknown> {
  return {
    ...(user.attributes ?? {}),
    id: user.id,
    username: user.username,
    departmentId: user.departmentId ?? null,
    managerId: user.managerId ?? null,
    roles: user.roles ?? [],
  }
}

/**
 * The per-request values a scope compares with. A compiled scope holds parameter slots in their
 * place (see scope-template.ts); `departmentId` is null when the caller has no department, which
 * changes the predicate's shape.
 */
export interface ScopeValues {
  userId: unknown
  departmentId: unknown
  /** The current instant as an ISO string. */
  now: unknown
}

/** The values of a caller at an instant. */
export function scopeValues(user: CurrentUser, now: Date): ScopeValues {
  return { userId: user.id, departmentId: user.departmentId || null, now: now.toISOString() }
}

/**
 * One named scope as a predicate over the row (row filters are compiled per caller: see
 * `filterSql`). Every record column stays outside the subqueries and the subqueries are
 * uncorrelated (`= any(array(…))`), so PostgreSQL evaluates them once and can use the owner index.
 */
export function scopeSql(
  scope: Exclude<ScopeRef['scope'], 'filter'>,
  row: RowRef,
  v: ScopeValues,
): SQL {
  const owner = columnOf(row, ownerColumn(row.entity))
  const dept = v.departmentId
  switch (scope) {
    case 'all':
      return sql`true`
    case 'own':
      return sql`${owner} = ${v.userId}`
    case 'ownAndSubordinates':
      return sql`(${owner} = ${v.userId} or ${owner} = any(array(select report_id from manager_closure where manager_id = ${v.userId})))`
    case 'department':
      if (dept === null) return FALSE
      return sql`${owner} = any(array(select id from users where department_id = ${dept}))`
    case 'departmentTree':
      if (dept === null) return FALSE
      return sql`${owner} = any(array(select u.id from users u join department_closure dc on dc.descendant_id = u.department_id where dc.ancestor_id = ${dept}))`
  }
}

/** A role's row filter over the row, compiled with the caller's `$user` values (cached per session). */
export function filterSql(rule: unknown, row: RowRef, user: CurrentUser, now: Date): SQL {
  const key = `${row.entity.id}\u0000${row.alias ?? ''}`
  return cachedFilter(rule, user, key, () => compileScopeFilter(rule, row, user, now))
}

function compileScopeFilter(rule: unknown, row: RowRef, user: CurrentUser, now: Date): SQL {
  try {
    // compileFilter qualifies with a plain alias; without one its columns are the table's own.
    const compiled = compileFilter(row.entity, rule as never, {
      alias: row.alias,
      vars: { $user: userVars(user) },
      now,
      path: 'scope',
    })
    return sql`coalesce(${compiled}, false)`
  } catch (err) {
    if (!(err instanceof TrellisError)) throw err
    throw new DefinitionError(
      `A role's row filter on '${row.entity.id}' cannot be compiled`,
      err.details,
    )
  }
}

/** Records shared with the user or their department, not expired; `write` shares only if asked. */
export function sharesSql(row: RowRef, v: ScopeValues, write: boolean): SQL {
  const who =
    v.departmentId !== null
      ? sql`(user_id = ${v.userId} or department_id = ${v.departmentId})`
      : sql`user_id = ${v.userId}`
  const access = write ? sql` and access = 'write'` : sql``
  return sql`${columnOf(row, SYSTEM_COLUMNS.id)} = any(array(select record_id from record_shares
    where entity = ${row.entity.id} and ${who}${access}
      and (expires_at is null or expires_at > ${v.now}::timestamptz)))`
}
