import { sql, type SQL } from 'drizzle-orm'
import { rejectFilter, show } from './filter-errors'
import {
  instantSql,
  literalSql,
  mismatch,
  parseDatetimeLiteral,
  textValue,
} from './filter-literals'
import { FALSE, asBoolExpr } from './filter-logic'
import type { ExprNode, FilterNode, FilterScope, PredNode } from './filter-types'

/**
 * json-logic `in` is `b.indexOf(a) !== -1` after `if (!b) return false`:
 * - a constant list: strict equality with each element → `col in ($1, $2)` (+ `col is null`
 *   when the list holds null);
 * - a string: substring (String(a), so a null needle searches for 'null') → strpos;
 * - a multi-select (string[]): element equality → `$1 = any(col)`; null and [] hold nothing.
 */
export function compileIn(scope: FilterScope, args: FilterNode[]): PredNode {
  if (args.length !== 2) return rejectFilter(scope, 'in takes two values')
  const [needleNode, hay] = args
  const needle = needleNode.kind === 'pred' ? asBoolExpr(scope, needleNode) : needleNode
  if (hay.kind === 'pred')
    return rejectFilter(scope, 'in needs a list, a text or a multi-select as its second value')
  if (hay.kind === 'literal') {
    if (needle.kind === 'literal') return rejectFilter(scope, 'in needs a field on one side')
    return inConstant(scope, needle, hay.value)
  }
  if (hay.type === 'text') return inTextColumn(scope, needle, hay)
  if (hay.type === 'textArray') return inMultiSelect(scope, needle, hay)
  return rejectFilter(
    scope,
    `in needs a list, a text or a multi-select as its second value, not ${hay.label}`,
  )
}

function inConstant(scope: FilterScope, e: ExprNode, hay: unknown): PredNode {
  if (hay === null || hay === '') return FALSE
  if (typeof hay === 'string') return substringOfConstant(scope, e, hay)
  if (!Array.isArray(hay)) return rejectFilter(scope, `in needs a list or a text, not ${show(hay)}`)
  if (e.type === 'money' || e.type === 'textArray')
    return rejectFilter(scope, `${e.label} cannot be looked up in a list`)
  const hasNull = hay.includes(null)
  const values = hay.filter((v) => v !== null)
  const parts: SQL[] = []
  if (e.type === 'datetime') {
    for (const v of values) {
      const lit = parseDatetimeLiteral(v)
      if (!lit || lit.kind !== 'instant') return mismatch(scope, e, v)
      parts.push(sql`(${e.sql} >= ${instantSql(lit.ms)} and ${e.sql} < ${instantSql(lit.ms + 1)})`)
    }
  } else if (values.length > 0) {
    const params = values.map((v) => literalSql(scope, e, v))
    parts.push(sql`${e.sql} in (${sql.join(params, sql`, `)})`)
  }
  if (hasNull && e.nullable) parts.push(sql`${e.sql} is null`)
  if (parts.length === 0) return FALSE
  const nullable = e.nullable && !hasNull
  return {
    kind: 'pred',
    sql: parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` or `)})`,
    nullable,
  }
}

/** `{"in": [{"var": "code"}, "A,B,C"]}`: the field's value is a substring of the constant. */
function substringOfConstant(scope: FilterScope, e: ExprNode, hay: string): PredNode {
  if (e.type !== 'text') return rejectFilter(scope, `${e.label} cannot be searched for in a text`)
  const found = sql`strpos(${textValue(scope, hay)}::text, ${e.sql}) > 0`
  if (!e.nullable) return { kind: 'pred', sql: found, nullable: false }
  // indexOf(null) looks for the text 'null'.
  if (hay.includes('null'))
    return { kind: 'pred', sql: sql`(${found} or ${e.sql} is null)`, nullable: false }
  return { kind: 'pred', sql: found, nullable: true }
}

/** `{"in": [needle, {"var": "name"}]}`: substring of a text field. */
function inTextColumn(scope: FilterScope, needle: FilterNode, hay: ExprNode): PredNode {
  // An empty text is falsy: json-logic answers false before searching, even for ''.
  if (needle.kind === 'literal') {
    if (typeof needle.value !== 'string') return mismatch(scope, hay, needle.value)
    if (needle.value === '')
      return { kind: 'pred', sql: sql`${hay.sql} <> ''`, nullable: hay.nullable }
    return {
      kind: 'pred',
      sql: sql`strpos(${hay.sql}, ${textValue(scope, needle.value)}::text) > 0`,
      nullable: hay.nullable,
    }
  }
  const n = needle as ExprNode
  if (n.type !== 'text')
    return rejectFilter(scope, `${n.label} cannot be searched for in ${hay.label}`)
  const sub = n.nullable ? sql`coalesce(${n.sql}, 'null')` : n.sql
  return {
    kind: 'pred',
    sql: sql`(${hay.sql} <> '' and strpos(${hay.sql}, ${sub}) > 0)`,
    nullable: hay.nullable,
  }
}

/** `{"in": [value, {"var": "tags"}]}`: the multi-select holds the value. */
function inMultiSelect(scope: FilterScope, needle: FilterNode, hay: ExprNode): PredNode {
  if (needle.kind === 'literal') {
    if (typeof needle.value !== 'string')
      return rejectFilter(scope, `${hay.label} holds texts, not ${show(needle.value)}`)
    return {
      kind: 'pred',
      sql: sql`${textValue(scope, needle.value)}::text = any(${hay.sql})`,
      nullable: true,
    }
  }
  const n = needle as ExprNode
  if (n.type !== 'text')
    return rejectFilter(scope, `${n.label} cannot be looked up in ${hay.label}`)
  return { kind: 'pred', sql: sql`${n.sql} = any(${hay.sql})`, nullable: true }
}
