import { sql, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { withRenderedText } from '../db/bound-query'

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
  private readonly text: string

  constructor(build: (slot: SlotFn) => SQL) {
    const { sql: text, params } = dialect.sqlToQuery(build((index) => sql`${new Slot(index)}`))
    const pieces = text.split(/\$\d+/)
    if (pieces.length !== params.length + 1)
      throw new Error('StatementTemplate: unexpected $ in the SQL text')
    // Placeholders appear in order ($1, $2, …); each piece boundary is one of them.
    const order = [...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]) - 1)
    this.params = order.map((i) => params[i])
    // Renumbered in order, so the i-th placeholder stands for the i-th bound value.
    let n = 0
    this.text = text.replace(/\$\d+/g, () => `$${++n}`)
    this.strings = Object.assign([...pieces], {
      raw: [...pieces],
    }) as unknown as TemplateStringsArray
  }

  /** The statement with `values[i]` in slot i. */
  bind(values: readonly unknown[]): SQL {
    const args = this.params.map((p) => (p instanceof Slot ? values[p.index] : p))
    const statement = sql(this.strings, ...args)
    // A list or a fragment in a slot renders to more than one placeholder: drizzle renders those.
    return args.every(isPlainValue)
      ? withRenderedText(statement, { sql: this.text, params: args })
      : statement
  }
}

/** A value drizzle sends as one parameter, unchanged (it renders `undefined` as nothing). */
function isPlainValue(value: unknown): boolean {
  if (value === undefined) return false
  return value === null || typeof value !== 'object' || value instanceof Date
}
