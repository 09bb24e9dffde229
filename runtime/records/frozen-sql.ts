import { sql, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'

const dialect = new PgDialect()

/**
 * Renders a parameter-free fragment (identifiers already quoted by `sql.identifier`) to text once,
 * so hot paths reuse it instead of rebuilding and re-quoting it per request. Refuses fragments
 * with parameters: values always stay parameters.
 * @example const list = freeze(sql.join(columns.map((c) => sql.identifier(c)), sql`, `))
 */
export function freeze(fragment: SQL): SQL {
  const { sql: text, params } = dialect.sqlToQuery(fragment)
  if (params.length) throw new Error('freeze: the fragment has parameters')
  return sql.raw(text)
}

/** A quoted identifier, frozen. */
export function frozenIdentifier(name: string): SQL {
  return freeze(sql`${sql.identifier(name)}`)
}
