import type { SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'

const dialect = new PgDialect()

/** Where a statement already rendered to text carries it (see `withRenderedText`). */
const RENDERED = Symbol('trellis.rendered')

/** A statement's text and parameters, as the drivers take them. */
export interface RenderedQuery {
  sql: string
  params: unknown[]
}

/**
 * Attaches a statement's text and parameters, rendered by its builder, to the statement: `db.query`
 * then sends them as they are instead of walking the statement's fragments again (a hot write of
 * 50 parameters spent more time there than in building its values). The statement itself stays a
 * normal `SQL` for anyone who embeds it in another.
 */
export function withRenderedText(statement: SQL, rendered: RenderedQuery): SQL {
  return Object.assign(statement, { [RENDERED]: rendered })
}

/** The text and parameters of a statement: rendered ones as they are, others by drizzle. */
export function renderQuery(statement: SQL): RenderedQuery {
  const rendered = (statement as { [RENDERED]?: RenderedQuery })[RENDERED]
  if (rendered) return rendered
  const { sql, params } = dialect.sqlToQuery(statement)
  return { sql, params }
}
