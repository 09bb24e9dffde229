import { sql, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'

const dialect = new PgDialect()

/** Marks where a per-call value goes in a template. */
class Slot {
  constructor(readonly index: number) {}
}

/** Returns the SQL for slot `i` while a template is being built. */
export type SlotFn = (index: number) => SQL

/**
 * A statement built once with drizzle's `sql` (identifiers quoted, values as parameters) and then
 * re-bound per call: binding only fills the parameters, so a hot write does not rebuild and
 * re-quote dozens of nested fragments. Constant parameters of the build stay parameters.
 * @example
 * const t = new StatementTemplate((v) => sql`select * from ${table} where id = ${v(0)}`)
 * await db.query(t.bind([id]))
 */
export class StatementTemplate {
  private readonly strings: TemplateStringsArray
  private readonly params: unknown[]

  constructor(build: (slot: SlotFn) => SQL) {
    const { sql: text, params } = dialect.sqlToQuery(build((index) => sql`${new Slot(index)}`))
    const pieces = text.split(/\$\d+/)
    if (pieces.length !== params.length + 1)
      throw new Error('StatementTemplate: unexpected $ in the SQL text')
    // Placeholders appear in order ($1, $2, …); each piece boundary is one of them.
    const order = [...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]) - 1)
    this.params = order.map((i) => params[i])
    this.strings = Object.assign([...pieces], {
      raw: [...pieces],
    }) as unknown as TemplateStringsArray
  }

  /** The statement with `values[i]` in slot i. */
  bind(values: readonly unknown[]): SQL {
    const args = this.params.map((p) => (p instanceof Slot ? values[p.index] : p))
    return sql(this.strings, ...args)
  }
}
