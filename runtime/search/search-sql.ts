import { sql, type SQL } from 'drizzle-orm'
import type { SelectOption } from '../../metadata/field'
import { SEARCH_ALIAS, type SearchColumn, type SearchTarget } from './search-targets'

/** Escapes LIKE's wildcards (`%`, `_`) and its escape character (`\`): the text matches as typed. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&')
}

/** The row one search branch answers. */
export interface SearchRow {
  /** Index of the target the row belongs to. */
  g: number
  id: string
  title: string | null
  matched: string[]
  /** The subtitle fields' values as text, by field name; null when the entity has none. */
  subtitle: Record<string, string | null> | null
  rank: number
}

const t = sql.identifier(SEARCH_ALIAS)
const anyOf = (parts: SQL[]) => sql`(${sql.join(parts, sql` or `)})`
// Labels are compared in JavaScript, case-insensitively in every script.
const fold = (text: string) => text.toLowerCase()

/** The codes of the options whose label, in any language, contains (or starts with) q. */
function labelledCodes(options: readonly SelectOption[], q: string, prefix: boolean): string[] {
  const text = fold(q)
  const fits = (s: string) => (prefix ? fold(s).startsWith(text) : fold(s).includes(text))
  return options.filter((o) => Object.values(o.label).some((l) => l && fits(l))).map((o) => o.value)
}

/**
 * Whether a searched column holds the text: as a substring (ILIKE, escaped); a select field also
 * when the label of its option does (its stored code matches too, even for a retired option).
 */
function holds(field: SearchColumn, q: string, prefix: boolean): SQL {
  const pattern = prefix ? `${escapeLike(q)}%` : `%${escapeLike(q)}%`
  const stored = sql`${field.column} ilike ${pattern}`
  const codes = field.options ? labelledCodes(field.options, q, prefix) : []
  if (!codes.length) return stored
  const labelled = sql.join(
    codes.map((c) => sql`${c}`),
    sql`, `,
  )
  return sql`(${stored} or ${field.column} in (${labelled}))`
}

/**
 * One branch: the target's rows in scope with a searched field containing the text (ILIKE,
 * escaped; a select field by its options' codes and labels), prefix matches of the title first,
 * then of another field, then newest; `limit` rows.
 */
function branch(target: SearchTarget, index: number, q: string, limit: number): SQL {
  const hits = target.fields.map((f) => holds(f, q, false))
  const starts = anyOf(target.fields.map((f) => holds(f, q, true)))
  const titleSearched = target.title && target.fields.some((f) => f.name === target.title!.name)
  const rank = titleSearched
    ? sql`case when ${holds(target.title!, q, true)} then 0 when ${starts} then 1 else 2 end`
    : sql`case when ${starts} then 1 else 2 end`
  const title = target.title ? sql`${target.title.column}::text` : sql`null::text`
  // What is only shown (which fields matched, the subtitle) is worked out for the rows the limit
  // keeps, not for every match a common word ranks: the searched and subtitle values ride along
  // as f0…, s0… and the outer select reads them.
  const carried = (cols: SearchColumn[], prefix: string) =>
    cols.map((f, i) => ({ ...f, as: sql.identifier(`${prefix}${i}`) }))
  const fields = carried(target.fields, 'f')
  const subtitleFields = carried(target.subtitle, 's')
  const raw = [...fields, ...subtitleFields].map((f) => sql`, ${f.column} as ${f.as}`)
  const matched = fields.map(
    (f) =>
      sql`case when ${holds({ ...f, column: sql`${f.as}` }, q, false)} then ${f.name}::text end`,
  )
  // json in every branch (a UNION needs one type): an object of text values, or null.
  const subtitle = subtitleFields.length
    ? sql`json_build_object(${sql.join(
        subtitleFields.map((f) => sql`${f.name}::text, ${f.as}::text`),
        sql`, `,
      )})`
    : sql`null::json`
  const where = target.scope ? sql`${target.scope} and ${anyOf(hits)}` : anyOf(hits)
  return sql`(select g, id, title,
    array_remove(array[${sql.join(matched, sql`, `)}]::text[], null) as matched,
    ${subtitle} as subtitle, rank, created_at
    from (select ${index}::int as g, ${t}.id::text as id, ${title} as title, ${rank} as rank,
    ${t}.created_at${sql.join(raw, sql``)}
    from ${target.table} ${t} where ${where}
    order by rank, ${t}.created_at desc, ${t}.id desc limit ${limit}) kept)`
}

/**
 * One statement for every target: a UNION ALL of per-entity branches, each already limited,
 * ordered by target, rank and recency. Pure: values are parameters, identifiers come from plans.
 * @example await db.query(buildSearchSql(targets, '华东', 6))
 */
export function buildSearchSql(targets: SearchTarget[], q: string, limit: number): SQL {
  const branches = targets.map((target, i) => branch(target, i, q, limit))
  // Wrapped: a lone parenthesised branch cannot take a second ORDER BY.
  return sql`select g, id, title, matched, subtitle from (${sql.join(branches, sql` union all `)}) hits
    order by g, rank, created_at desc, id desc`
}
