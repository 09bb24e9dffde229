import { sql, type SQL } from 'drizzle-orm'
import type { CurrentUser } from '../context'
// The records folder's statement template (drizzle only, no cycle): one way to freeze SQL.
import { StatementTemplate } from '../records/statement-template'
import { FALSE, filterSql, scopeValues, type RowRef, type ScopeValues } from './scope-sql'

/** Places a role's row filter over a row in the predicate being built; answers its SQL. */
export type FilterFn = (rule: unknown, row: RowRef) => SQL

/** Builds a scope predicate over the given values and filters (null: every row). */
export type ScopeBuild = (values: ScopeValues, filter: FilterFn) => SQL | null

/** A scope predicate compiled once, bound per request to the caller's values and the clock. */
export interface CompiledScope {
  /** The predicate for the caller at `now`; null when it reaches every row. */
  bind(user: CurrentUser, now: Date): SQL | null
}

const EVERY_ROW: CompiledScope = { bind: () => null }
const NO_ROW: CompiledScope = { bind: () => FALSE }

// Slots of the caller's values; each row filter of the predicate takes one slot after these.
const USER = 0
const DEPARTMENT = 1
const NOW = 2
const FIRST_FILTER = 3

/** A row filter the compiled predicate leaves a slot for: compiled per caller (filter-cache). */
interface FilterHole {
  rule: unknown
  row: RowRef
}

/**
 * Builds the predicate once with parameter slots for the caller's id, department and the clock
 * and renders it to SQL text: a request then only fills the slots (row filters, compiled per
 * session, go in whole). `withDepartment` says whether the caller has a department, which
 * changes the predicate's shape.
 * @example compileScope(true, (v) => sql`owner = ${v.userId}`).bind(user, now) // owner = $1
 */
export function compileScope(withDepartment: boolean, build: ScopeBuild): CompiledScope {
  const built: { predicate: SQL | null } = { predicate: null }
  const holes: FilterHole[] = []
  const template = new StatementTemplate((slot) => {
    const values: ScopeValues = {
      userId: slot(USER),
      departmentId: withDepartment ? slot(DEPARTMENT) : null,
      now: slot(NOW),
    }
    built.predicate = build(values, (rule, row) => {
      holes.push({ rule, row })
      return slot(FIRST_FILTER + holes.length - 1)
    })
    return built.predicate ?? sql`true`
  })
  if (built.predicate === null) return EVERY_ROW
  if (built.predicate === FALSE) return NO_ROW
  return {
    bind(user, now) {
      const v = scopeValues(user, now)
      const values = [v.userId, v.departmentId, v.now]
      for (const hole of holes) values.push(filterSql(hole.rule, hole.row, user, now))
      return template.bind(values)
    },
  }
}
