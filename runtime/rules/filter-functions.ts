import { sql, type SQL } from 'drizzle-orm'
import { DATE_UNITS, DIFF_UNITS, utcDate } from './dates'
import { rejectFilter, show } from './filter-errors'
import { isSqlDate } from './filter-literals'
import { MAX_ROUND_DIGITS } from './exact-arithmetic'
import type { ExprNode, FilterNode, FilterScope } from './filter-types'

/**
 * SQL translations of the rule operators registered in operators.ts. Each receives compiled
 * arguments (constants already folded by json-logic-js) and returns a typed node, or refuses.
 */

// Bounds keep results inside PostgreSQL's timestamp range, so date + interval never errors.
const MAX_STEPS: Record<string, number> = { day: 365_000, week: 52_000, month: 12_000, year: 1_000 }

/** `today` / `now` never read the record: they become constants of the compile's clock. */
export function todaySql(_args: FilterNode[], scope: FilterScope): FilterNode {
  return { kind: 'literal', value: utcDate(scope.now) }
}

/** See todaySql. */
export function nowSql(_args: FilterNode[], scope: FilterScope): FilterNode {
  return { kind: 'literal', value: scope.now.toISOString() }
}

/** length: characters (code points) of text, elements of a multi-select; 0 for null. */
export function lengthSql([arg]: FilterNode[], scope: FilterScope): FilterNode {
  const node = expectExpr(scope, arg, 'length')
  if (node.type === 'text') return lengthExpr(sql`coalesce(char_length(${node.sql}), 0)`, node)
  if (node.type === 'textArray') return lengthExpr(sql`coalesce(cardinality(${node.sql}), 0)`, node)
  return rejectFilter(scope, `length needs a text or multi-select value, not ${node.label}`)
}

/** round [x, digits]: `round(x::numeric, digits)`, as the JavaScript rounds (half away from zero). */
export function roundSql([value, digits]: FilterNode[], scope: FilterScope): FilterNode {
  const node = expectExpr(scope, value, 'round')
  if (node.type !== 'number') return rejectFilter(scope, `round needs a number, not ${node.label}`)
  const places = constant(scope, digits, 'round digits')
  if (
    typeof places !== 'number' ||
    !Number.isInteger(places) ||
    places < 0 ||
    places > MAX_ROUND_DIGITS
  )
    return rejectFilter(scope, `round needs 0 to ${MAX_ROUND_DIGITS} digits, not ${show(places)}`)
  const rounded = sql`round((${node.sql})::numeric, ${sql.raw(String(places))})`
  return { ...node, sql: rounded, integer: false, label: `round(${node.label})` }
}

function lengthExpr(expr: SQL, of: ExprNode): ExprNode {
  return {
    kind: 'expr',
    type: 'number',
    sql: expr,
    nullable: false,
    integer: true,
    label: `length(${of.label})`,
  }
}

/** date_add [date, n, unit] over a date column: `(col + make_interval(...))::date`. */
export function dateAddSql([date, n, unit]: FilterNode[], scope: FilterScope): FilterNode {
  const node = expectExpr(scope, date, 'date_add')
  if (node.type !== 'date')
    return rejectFilter(scope, `date_add needs a date value, not ${node.label}`)
  const step = constant(scope, unit, 'date_add unit')
  const count = constant(scope, n, 'date_add amount')
  if (!DATE_UNITS.includes(step as never))
    return rejectFilter(scope, `unknown date unit ${show(step)}`)
  const max = MAX_STEPS[step as string]
  if (typeof count !== 'number' || !Number.isInteger(count) || Math.abs(count) > max) {
    return rejectFilter(
      scope,
      `date_add needs a whole number of ${step}s up to ${max}, not ${show(count)}`,
    )
  }
  const shifted = sql`(${node.sql} + ${intervalSql(step as string, String(count))})::date`
  // JavaScript answers null outside years 1–9999 (see formatDate); so does this.
  const inRange = sql`(case when ${shifted} between '0001-01-01'::date and '9999-12-31'::date then ${shifted} end)`
  return { ...node, sql: inRange, nullable: true, label: `date_add(${node.label})` }
}

function intervalSql(unit: string, count: string): SQL {
  if (unit === 'day') return sql`make_interval(days => ${count}::int)`
  if (unit === 'week') return sql`make_interval(weeks => ${count}::int)`
  if (unit === 'month') return sql`make_interval(months => ${count}::int)`
  return sql`make_interval(years => ${count}::int)`
}

/** date_diff [a, b, unit] over dates: b − a in days, or whole months / years toward zero. */
export function dateDiffSql([a, b, unit]: FilterNode[], scope: FilterScope): FilterNode {
  const step = constant(scope, unit, 'date_diff unit')
  if (!DIFF_UNITS.includes(step as never))
    return rejectFilter(scope, `unknown date unit ${show(step)}`)
  const from = dateOperand(scope, a)
  const to = dateOperand(scope, b)
  const nullable = from.nullable || to.nullable
  const diff = step === 'day' ? sql`(${to.sql} - ${from.sql})` : monthsSql(from.sql, to.sql)
  const label = `date_diff(${from.label}, ${to.label})`
  const expr = step === 'year' ? sql`(${diff} / 12)` : diff
  return { kind: 'expr', type: 'number', sql: expr, nullable, integer: true, label }
}

// Mirrors monthsBetween in dates.ts; integer division in PostgreSQL truncates toward zero.
function monthsSql(a: SQL, b: SQL): SQL {
  const part = (field: SQL, d: SQL) => sql`extract(${field} from ${d})::int`
  const ym = (d: SQL) => sql`(${part(sql`year`, d)} * 12 + ${part(sql`month`, d)})`
  const day = (d: SQL) => part(sql`day`, d)
  return sql`(${ym(b)} - ${ym(a)} - case when ${b} >= ${a} and ${day(b)} < ${day(a)} then 1 when ${b} < ${a} and ${day(b)} > ${day(a)} then -1 else 0 end)`
}

function dateOperand(
  scope: FilterScope,
  node: FilterNode,
): { sql: SQL; nullable: boolean; label: string } {
  if (node.kind === 'literal') {
    if (!isSqlDate(node.value))
      return rejectFilter(scope, `date_diff needs dates, not ${show(node.value)}`)
    return { sql: sql`${node.value}::date`, nullable: false, label: show(node.value) }
  }
  const expr = expectExpr(scope, node, 'date_diff')
  if (expr.type !== 'date')
    return rejectFilter(scope, `date_diff needs date values, not ${expr.label}`)
  return expr
}

function expectExpr(scope: FilterScope, node: FilterNode, op: string): ExprNode {
  if (node.kind === 'expr') return node
  return rejectFilter(scope, `${op} cannot be applied to a condition`)
}

function constant(scope: FilterScope, node: FilterNode, what: string): unknown {
  if (node.kind === 'literal') return node.value
  return rejectFilter(scope, `${what} must be a constant`)
}
