import { sql, type SQL } from 'drizzle-orm'

/** One key of a list order, with the column it reads. */
export interface OrderKey {
  column: string
  direction: 'asc' | 'desc'
  /** Known NOT NULL (system columns): simpler, index-friendly predicates. */
  notNull: boolean
}

const NOT_NULL_COLUMNS = new Set(['id', 'version', 'created_at', 'updated_at', 'position'])

/** Whether a column can never hold NULL. */
export function isNotNullColumn(column: string): boolean {
  return NOT_NULL_COLUMNS.has(column)
}

/**
 * ORDER BY for the keys. NULLs use PostgreSQL's default placement (as if larger than every
 * value: last ascending, first descending) so a plain (column, id) btree index serves both
 * directions; the keyset predicate below follows the same model.
 */
export function buildOrderBy(keys: OrderKey[]): SQL {
  return sql.join(
    keys.map((k) =>
      k.direction === 'asc'
        ? sql`${sql.identifier(k.column)} asc`
        : sql`${sql.identifier(k.column)} desc`,
    ),
    sql`, `,
  )
}

/**
 * Rows strictly after the cursor in the order of `keys` (the last key is unique: the id).
 * `values` are the last row's keys as PostgreSQL text; parameters take the column's type.
 */
export function buildKeysetPredicate(keys: OrderKey[], values: (string | null)[]): SQL {
  const [first, second] = keys
  if (
    keys.length === 2 &&
    first.notNull &&
    second.notNull &&
    first.direction === second.direction &&
    values[0] !== null
  ) {
    // Row comparison: one range condition a (column, id) index can answer directly.
    const cols = sql`(${sql.identifier(first.column)}, ${sql.identifier(second.column)})`
    const vals = sql`(${values[0]}, ${values[1]})`
    return first.direction === 'asc' ? sql`${cols} > ${vals}` : sql`${cols} < ${vals}`
  }
  return after(keys, values, 0)
}

function after(keys: OrderKey[], values: (string | null)[], i: number): SQL {
  const key = keys[i]
  const col = sql.identifier(key.column)
  const v = values[i]
  const last = i === keys.length - 1
  const rest = last ? null : after(keys, values, i + 1)
  if (v === null) {
    // NULL is the largest value: ascending only NULL rows follow; descending every non-NULL row does.
    const tail = rest ? sql`(${col} is null and ${rest})` : sql`false`
    return key.direction === 'asc' ? tail : sql`(${col} is not null or ${tail})`
  }
  const beyond = key.direction === 'asc' ? sql`${col} > ${v}` : sql`${col} < ${v}`
  const tie = rest ? sql` or (${col} = ${v} and ${rest})` : sql``
  const nulls = key.direction === 'asc' && !key.notNull ? sql` or ${col} is null` : sql``
  if (key.notNull && rest) {
    const bound = key.direction === 'asc' ? sql`${col} >= ${v}` : sql`${col} <= ${v}`
    return sql`(${bound} and (${beyond}${tie}))`
  }
  return sql`(${beyond}${tie}${nulls})`
}
