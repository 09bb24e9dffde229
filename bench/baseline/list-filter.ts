import type postgres from 'postgres'

/** Columns the baseline lets a filter compare (the customer list's usual filters). */
const FILTERABLE: Record<string, string> = {
  region: 'region',
  level: 'level',
  industry: 'industry',
  status: 'status',
  source: 'source',
  owner: 'owner',
}

type Logic = Record<string, unknown>

/** One `{"==": [{"var": field}, value]}` as a parameterised predicate, or null when unsupported. */
function equality(sql: postgres.Sql, node: Logic): postgres.PendingQuery<postgres.Row[]> | null {
  const args = node['==']
  if (!Array.isArray(args) || args.length !== 2) return null
  const field = (args[0] as { var?: unknown } | null)?.var
  const value = args[1]
  if (typeof field !== 'string' || !(field in FILTERABLE)) return null
  if (typeof value !== 'string') return null
  return sql`${sql(FILTERABLE[field])} = ${value}`
}

/**
 * The hand-written equivalent of the json-logic filters the bench sends: an equality or an `and`
 * of equalities on known columns. Anything else is refused (null) — the baseline is not a
 * filter engine, it is the SQL a careful engineer writes for the screens that exist.
 */
export function compileFilter(
  sql: postgres.Sql,
  filter: unknown,
): postgres.PendingQuery<postgres.Row[]>[] | null {
  if (!filter || typeof filter !== 'object') return null
  const node = filter as Logic
  if (Array.isArray(node.and)) {
    const parts = node.and.map((n) =>
      n && typeof n === 'object' ? equality(sql, n as Logic) : null,
    )
    return parts.every((p) => p !== null)
      ? (parts as postgres.PendingQuery<postgres.Row[]>[])
      : null
  }
  const one = equality(sql, node)
  return one ? [one] : null
}
