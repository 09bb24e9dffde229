import jsonLogic from 'json-logic-js'
import { sql, type SQL } from 'drizzle-orm'
import { rejectFilter, show } from './filter-errors'
import { instantSql, literalSql, mismatch, parseDatetimeLiteral } from './filter-literals'
import { FALSE, TRUE, asBoolExpr, combine } from './filter-logic'
import type { ExprNode, FilterNode, FilterScope, PredNode } from './filter-types'

/**
 * ==, ===, !=, !==, <, <=, >, >= with json-logic-js's exact semantics, nulls included.
 *
 * Column vs constant: the core is `col op $1` (index-friendly). What JavaScript answers for a
 * null column is computed by running the very same operator on null (`null < 5` → true because
 * null becomes 0; `null > 5` → false; `null < '5'` → true; `null < '2024-01-01'` → false, NaN).
 * When that answer is false the core alone is exact (NULL reads as false in WHERE); when it is
 * true we add `or col is null`. Types must match: JavaScript's cross-type coercions are refused.
 *
 * Index use, case by case:
 * - `col = $1`, `col > 5`, `col >= 0`, `col in (...)`: bare, a btree range/equality scan.
 * - `col < 5`, `col <= 0`, `col > -1`: `(col < $1 or col is null)` — a bitmap OR of two index
 *   scans, where `coalesce(col, 0) < 5` would force a sequential scan.
 * - `col != $1`: `(col <> $1 or col is null)`, i.e. IS DISTINCT FROM; rarely selective anyway.
 * - integers are bound as bigint (int4 = int8 is in the btree family; int4 = numeric is not).
 * - text equality needs no collation; text order uses COLLATE "C" (exactness first: it matches
 *   JavaScript's code-unit order for BMP text; a C-collated index serves it).
 */

const OPS = ['==', '===', '!=', '!==', '<', '<=', '>', '>='] as const
export type CompareOp = (typeof OPS)[number]
const SQL_OP: Record<CompareOp, string> = {
  '==': '=',
  '===': '=',
  '!=': '<>',
  '!==': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
}
const FLIP: Record<CompareOp, CompareOp> = {
  '==': '==',
  '===': '===',
  '!=': '!=',
  '!==': '!==',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
}

/** Whether `op` is one of the comparison operators. */
export function isCompareOp(op: string): op is CompareOp {
  return (OPS as readonly string[]).includes(op)
}

function isEquality(op: CompareOp): boolean {
  return op === '==' || op === '===' || op === '!=' || op === '!=='
}

/** The comparison, including json-logic's 3-argument between forms of < and <=. */
export function compileComparison(scope: FilterScope, op: CompareOp, args: FilterNode[]): PredNode {
  if (args.length === 3 && (op === '<' || op === '<=')) {
    const between = combine(scope, 'and', [
      compareTwo(scope, op, args[0], args[1]),
      compareTwo(scope, op, args[1], args[2]),
    ])
    return { ...between, truthOnly: false }
  }
  if (args.length !== 2)
    return rejectFilter(
      scope,
      `${op} takes two values${op === '<' || op === '<=' ? ' (or three: between)' : ''}`,
    )
  return compareTwo(scope, op, args[0], args[1])
}

function compareTwo(
  scope: FilterScope,
  op: CompareOp,
  left: FilterNode,
  right: FilterNode,
): PredNode {
  if (left.kind === 'literal' && right.kind === 'literal') {
    return jsCompare(scope, op, left.value, right.value) ? TRUE : FALSE
  }
  const a = left.kind === 'pred' ? asBoolExpr(scope, left) : left
  const b = right.kind === 'pred' ? asBoolExpr(scope, right) : right
  if (a.kind === 'literal')
    return compareConstant(scope, FLIP[op], b as ExprNode, a.value, op, false)
  if (b.kind === 'literal') return compareConstant(scope, op, a, b.value, op, true)
  return compareExprs(scope, op, a, b)
}

/** Runs json-logic-js's own operator on two primitives. */
function jsCompare(scope: FilterScope, op: CompareOp, a: unknown, b: unknown): boolean {
  const primitive = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v)
  if (!primitive(a) || !primitive(b))
    rejectFilter(scope, `cannot compare ${show(a)} with ${show(b)}`)
  return jsonLogic.apply({ [op]: [a, b] } as jsonLogic.RulesLogic) === true
}

/**
 * `e op value` (op already oriented so the column is on the left); `asWritten` and `exprLeft`
 * give the original orientation, used to ask JavaScript what a null column yields.
 */
function compareConstant(
  scope: FilterScope,
  op: CompareOp,
  e: ExprNode,
  value: unknown,
  asWritten: CompareOp,
  exprLeft: boolean,
): PredNode {
  const equality = isEquality(op)
  // Every type, money and multi-select included, can be tested for null ([] is not null).
  if (value === null && equality) {
    const wantNull = op === '==' || op === '==='
    if (!e.nullable) return wantNull ? FALSE : TRUE
    return {
      kind: 'pred',
      sql: wantNull ? sql`${e.sql} is null` : sql`${e.sql} is not null`,
      nullable: false,
    }
  }
  if (e.type === 'money' || e.type === 'textArray') return notComparable(scope, e)
  // Relational operators turn null into 0 in JavaScript; only numbers keep that meaning in SQL.
  if (value === null && e.type !== 'number')
    return rejectFilter(scope, `cannot compare ${e.label} with null using ${asWritten}`)
  const constant = value ?? 0
  if (!equality && (e.type === 'bool' || e.type === 'uuid')) {
    return rejectFilter(scope, `${e.label} (${e.type}) cannot be compared with ${asWritten}`)
  }
  const core =
    e.type === 'datetime'
      ? datetimeCore(scope, op, e, constant)
      : scalarCore(scope, op, e, constant)
  if (!e.nullable) return { kind: 'pred', sql: core, nullable: false }
  const nullOutcome = exprLeft
    ? jsCompare(scope, asWritten, null, constant)
    : jsCompare(scope, asWritten, constant, null)
  if (nullOutcome) return { kind: 'pred', sql: sql`(${core} or ${e.sql} is null)`, nullable: false }
  return { kind: 'pred', sql: core, nullable: true }
}

function scalarCore(scope: FilterScope, op: CompareOp, e: ExprNode, value: unknown): SQL {
  const param = literalSql(scope, e, value)
  // JavaScript orders strings by UTF-16 code units; byte order ("C") is the same for BMP text.
  const left = e.type === 'text' && !isEquality(op) ? sql`${e.sql} collate "C"` : e.sql
  return sql`${left} ${sql.raw(SQL_OP[op])} ${param}`
}

/**
 * Datetimes are compared as canonical ISO strings in JavaScript, i.e. at millisecond precision
 * while the column keeps microseconds: trunc_ms(col) = t ⟺ t ≤ col < t + 1 ms, and so on.
 * A plain date D sorts before every datetime of that day ('2024-01-01' < '2024-01-01T…').
 */
function datetimeCore(scope: FilterScope, op: CompareOp, e: ExprNode, value: unknown): SQL {
  const lit = parseDatetimeLiteral(value)
  if (!lit) return mismatch(scope, e, value)
  const col = e.sql
  const at = instantSql(lit.ms)
  if (lit.kind === 'day') {
    if (isEquality(op))
      return rejectFilter(
        scope,
        `compare ${e.label} for equality with a full ISO datetime (YYYY-MM-DDTHH:mm:ss.sssZ), not ${show(value)}`,
      )
    return op === '>' || op === '>=' ? sql`${col} >= ${at}` : sql`${col} < ${at}`
  }
  const next = instantSql(lit.ms + 1)
  switch (op) {
    case '<':
      return sql`${col} < ${at}`
    case '<=':
      return sql`${col} < ${next}`
    case '>':
      return sql`${col} >= ${next}`
    case '>=':
      return sql`${col} >= ${at}`
    case '==':
    case '===':
      return sql`(${col} >= ${at} and ${col} < ${next})`
    default:
      return sql`(${col} < ${at} or ${col} >= ${next})`
  }
}

/** Two values read from the row: same type required; nulls follow JavaScript. */
function compareExprs(scope: FilterScope, op: CompareOp, a: ExprNode, b: ExprNode): PredNode {
  if (a.type !== b.type)
    return rejectFilter(scope, `cannot compare ${a.label} (${a.type}) with ${b.label} (${b.type})`)
  if (a.type === 'money' || a.type === 'textArray') return notComparable(scope, a)
  const ms = (e: ExprNode) =>
    e.type === 'datetime' ? sql`date_trunc('milliseconds', ${e.sql})` : e.sql
  const nullable = a.nullable || b.nullable
  if (isEquality(op)) {
    // null == null is true in JavaScript, null == 0 false: exactly IS [NOT] DISTINCT FROM.
    const eq = op === '==' || op === '==='
    const word = nullable
      ? eq
        ? sql`is not distinct from`
        : sql`is distinct from`
      : sql.raw(SQL_OP[op])
    return { kind: 'pred', sql: sql`${ms(a)} ${word} ${ms(b)}`, nullable: false }
  }
  const cmp = sql.raw(SQL_OP[op])
  if (a.type === 'number') {
    // Relational comparisons read null as 0 on both sides.
    const n = (e: ExprNode) => (e.nullable ? sql`coalesce(${e.sql}, 0)` : e.sql)
    return { kind: 'pred', sql: sql`${n(a)} ${cmp} ${n(b)}`, nullable: false }
  }
  if (a.type !== 'date' && a.type !== 'datetime') {
    return rejectFilter(
      scope,
      `${a.label} and ${b.label} (${a.type}) cannot be compared with ${op}`,
    )
  }
  // A null against a date string is NaN vs NaN → false, but null <= null is 0 <= 0 → true.
  const core = sql`${ms(a)} ${cmp} ${ms(b)}`
  if ((op === '<=' || op === '>=') && a.nullable && b.nullable) {
    // Still NULL when exactly one side is null (JavaScript: false).
    return {
      kind: 'pred',
      sql: sql`(${core} or (${a.sql} is null and ${b.sql} is null))`,
      nullable: true,
    }
  }
  return { kind: 'pred', sql: core, nullable }
}

function notComparable(scope: FilterScope, e: ExprNode): never {
  const hint = e.type === 'money' ? ` (compare ${e.label.replace(/'$/, ".amount'")})` : ' (use in)'
  return rejectFilter(scope, `${e.label} cannot be compared${hint}`)
}
