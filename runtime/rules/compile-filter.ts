import type { SQL } from 'drizzle-orm'
import type { Entity } from '../../metadata/entity'
import type { Rule } from '../../metadata/rule'
import { TrellisError } from '../errors'
import { evaluateRule } from './evaluate'
import { compileComparison, isCompareOp } from './filter-compare'
import { rejectFilter, show } from './filter-errors'
import { resolveVar } from './filter-fields'
import { compileIn } from './filter-in'
import { combine, negate, toPredicate } from './filter-logic'
import type { FilterNode, FilterScope } from './filter-types'
import { assertRuleSafe } from './limits'
import { findRuleOperator, registerOperators } from './operators'

export interface CompileFilterOptions {
  /** Table alias to qualify columns with. */
  alias?: string
  /** Constants rules may read with `var`, e.g. { $user: { id, departmentId } }; they win over fields. */
  vars?: Record<string, unknown>
  /** The instant `today` / `now` mean (default: the system time). */
  now?: Date
  /** Where errors point (default 'filter'). */
  path?: string
}

/**
 * Compiles a json-logic filter into a WHERE condition over the entity's table (in schema `app`),
 * selecting exactly the rows for which json-logic-js over the in-memory record is truthy. Anything
 * that has no exact translation is refused with a BadRequestError (400), never approximated.
 * The condition may be NULL where the answer is false: use it under WHERE / AND, not under NOT.
 * @example compileFilter(customer, { '>': [{ var: 'creditLimit.amount' }, 1000] }, { alias: 't' })
 *   // sql`"t"."credit_limit" > $1::numeric`
 */
export function compileFilter(entity: Entity, rule: Rule, opts: CompileFilterOptions = {}): SQL {
  const path = opts.path ?? 'filter'
  assertRuleSafe(rule, path, 'request')
  registerOperators()
  const scope: FilterScope = {
    entity,
    alias: opts.alias,
    vars: opts.vars ?? {},
    now: opts.now ?? new Date(),
    path,
    compile: (r) => compileNode(scope, r),
  }
  return toPredicate(scope, scope.compile(rule)).sql
}

function compileNode(scope: FilterScope, rule: unknown): FilterNode {
  if (isConstant(rule, scope.vars)) return { kind: 'literal', value: foldConstant(scope, rule) }
  if (Array.isArray(rule)) return rejectFilter(scope, 'a list in a filter must hold constants only')
  const op = Object.keys(rule as object)[0]
  const raw = (rule as Record<string, unknown>)[op]
  if (op === 'var') return resolveVar(scope, raw)
  const args = (Array.isArray(raw) ? raw : [raw]).map((arg) => scope.compile(arg))
  if (op === 'and' || op === 'or') return combine(scope, op, args)
  if (op === '!' || op === '!!') {
    if (args.length !== 1) return rejectFilter(scope, `${op} takes one value`)
    return op === '!'
      ? negate(scope, args[0])
      : { ...toPredicate(scope, args[0]), truthOnly: false }
  }
  if (isCompareOp(op)) return compileComparison(scope, op, args)
  if (op === 'in') return compileIn(scope, args)
  const own = findRuleOperator(op)
  if (own) {
    if (args.length !== own.arity) return rejectFilter(scope, `${op} takes ${own.arity} values`)
    return own.sql(args, scope)
  }
  return rejectFilter(scope, `operator '${op}' cannot be applied to fields in a filter`)
}

/** Evaluates a subtree that does not read the record, with json-logic-js itself. */
function foldConstant(scope: FilterScope, rule: unknown): unknown {
  try {
    return evaluateRule(rule as Rule, scope.vars, {
      now: scope.now,
      path: scope.path,
      source: 'request',
    })
  } catch (err) {
    if (err instanceof TrellisError) throw err
    return rejectFilter(scope, `cannot evaluate ${show(rule)}`)
  }
}

// In these operators, `var` below the first argument reads the array's elements, not the record.
const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some'])
// These read the record without `var`.
const READS_RECORD = new Set(['missing', 'missing_some'])

/** Whether a subtree's value is the same for every record (reads only vars and constants). */
function isConstant(rule: unknown, vars: Record<string, unknown>): boolean {
  if (rule === null || typeof rule !== 'object') return true
  if (Array.isArray(rule)) return rule.every((item) => isConstant(item, vars))
  const op = Object.keys(rule)[0]
  const raw = (rule as Record<string, unknown>)[op]
  const args = Array.isArray(raw) ? raw : [raw]
  if (op === 'var') {
    const path = args[0]
    if (path === null || path === undefined || path === '') return false
    return (
      Object.hasOwn(vars, String(path).split('.')[0]) &&
      args.slice(1).every((a) => isConstant(a, vars))
    )
  }
  if (READS_RECORD.has(op)) return false
  if (SCOPED.has(op))
    return isConstant(args[0], vars) && (op !== 'reduce' || isConstant(args[2], vars))
  return args.every((arg) => isConstant(arg, vars))
}
