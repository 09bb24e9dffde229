import jsonLogic from 'json-logic-js'
import { addToDate, diffDates, utcDate } from './dates'
import { EXACT_ARITHMETIC, roundHalfUp } from './exact-arithmetic'
import { dateAddSql, dateDiffSql, lengthSql, nowSql, roundSql, todaySql } from './filter-functions'
import type { FilterNode, FilterScope } from './filter-types'
import { ruleNow } from './rule-clock'

/**
 * The operators business rules add to json-logic, each defined once with its JavaScript
 * implementation (forms, validations, formulas, guards) and its SQL translation (list filters,
 * scopes), so the browser, the API and the database agree. Browser-safe: no node imports.
 */
export interface RuleOperator {
  name: string
  /** The json-logic-js implementation; receives evaluated arguments. */
  js: (...args: unknown[]) => unknown
  /** The filter translation; receives compiled arguments, returns a node or throws 400. */
  sql: (args: FilterNode[], scope: FilterScope) => FilterNode
  /** How many arguments the filter compiler accepts. */
  arity: number
}

/** The extra operators: today, now, date_add, date_diff, length, round. */
export const RULE_OPERATORS: readonly RuleOperator[] = [
  // today → 'YYYY-MM-DD' (UTC) of the evaluation's clock.
  { name: 'today', arity: 0, js: () => utcDate(ruleNow()), sql: todaySql },
  // now → ISO datetime of the evaluation's clock.
  { name: 'now', arity: 0, js: () => ruleNow().toISOString(), sql: nowSql },
  // date_add [date, n, 'day'|'week'|'month'|'year'] → 'YYYY-MM-DD' (null when not computable).
  { name: 'date_add', arity: 3, js: (d, n, unit) => addToDate(d, n, unit), sql: dateAddSql },
  // date_diff [a, b, 'day'|'month'|'year'] → integer b − a (null when either is missing).
  { name: 'date_diff', arity: 3, js: (a, b, unit) => diffDates(a, b, unit), sql: dateDiffSql },
  // length [x] → characters of a string (code points), elements of an array, 0 for null.
  { name: 'length', arity: 1, js: (x) => lengthOf(x), sql: lengthSql },
  // round [x, digits] → x rounded half away from zero to 0–10 places (null when x is no number).
  { name: 'round', arity: 2, js: (x, digits) => roundHalfUp(x, digits), sql: roundSql },
]

/** length as the rules see it; code points, so it matches PostgreSQL's char_length. */
export function lengthOf(value: unknown): number {
  if (value === null || value === undefined) return 0
  if (Array.isArray(value)) return value.length
  return Array.from(String(value)).length
}

/**
 * json-logic-js's standard operators that rules may use. Left out on purpose: `log` (writes to
 * the server console) and `method` (older json-logic-js: calls any method of any value).
 */
export const STANDARD_OPERATORS = [
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'or',
  'and',
  '>',
  '>=',
  '<',
  '<=',
  'max',
  'min',
  '+',
  '-',
  '*',
  '/',
  '%',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
  'merge',
  'in',
  'cat',
  'substr',
] as const

/** Every operator a rule may name. */
export const OPERATORS: readonly string[] = [
  ...STANDARD_OPERATORS,
  ...RULE_OPERATORS.map((op) => op.name),
]

/** The operator definition of one of ours, if `name` is one. */
export function findRuleOperator(name: string): RuleOperator | undefined {
  return RULE_OPERATORS.find((op) => op.name === name)
}

/** The part of json-logic-js we register on (the default export, or a compatible instance). */
export interface JsonLogicLike {
  add_operation(name: string, code: (...args: never[]) => unknown): void
  rm_operation(name: string): void
}

const registered = new WeakSet<object>()

/**
 * Registers our operators on json-logic-js (its module singleton by default). Idempotent:
 * registering twice is a no-op, so every entry point may call it.
 * @example registerOperators(); jsonLogic.apply({ today: [] }) // '2025-01-31'
 */
export function registerOperators(target: JsonLogicLike = jsonLogic): void {
  if (registered.has(target)) return
  for (const op of RULE_OPERATORS) target.add_operation(op.name, op.js)
  // Decimal, not binary, arithmetic: 4800 * 1.13 is 5424 in forms, rules and formulas alike.
  for (const [name, js] of Object.entries(EXACT_ARITHMETIC)) target.add_operation(name, js)
  // Not in json-logic-js 2.x, but some builds carry it: it would call arbitrary methods.
  target.rm_operation('method')
  registered.add(target)
}
