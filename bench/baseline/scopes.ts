import type postgres from 'postgres'

type Fragment = postgres.PendingQuery<postgres.Row[]>

/** The permission scopes the baseline writes by hand for the customer list. */
export type BaselineScope = 'own' | 'ownAndSubordinates'

/**
 * The hand-written WHERE of a scope for the caller `me`: a rep's own customers, or a manager's
 * own plus every report's below them in the manager chain (the closure table, evaluated once as
 * an array so the owner stays an indexable column).
 */
export function scopeWhere(sql: postgres.Sql, scope: BaselineScope, me: string): Fragment {
  if (scope === 'own') return sql`owner = ${me}`
  return sql`(owner = ${me} or owner = any(array(select report_id from manager_closure where manager_id = ${me})))`
}
