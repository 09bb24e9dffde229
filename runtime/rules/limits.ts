import { BadRequestError, DefinitionError } from '../errors'
import { OPERATORS } from './operators'

/** Deepest nesting of objects / arrays a rule may have. */
export const MAX_RULE_DEPTH = 32
/** Most values (operators, arguments, constants) a rule may contain. */
export const MAX_RULE_NODES = 2000

const KNOWN = new Set(OPERATORS)
// Walking into these from a record would reach prototypes and functions.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor'])

/** Who supplied the rule: a saved definition (DefinitionError) or a request (BadRequestError). */
export type RuleSource = 'definition' | 'request'

/**
 * Throws unless the rule is plain JSON within the depth and size limits, names only known
 * operators (never `method` or `log`) and reads data through literal `var` paths.
 * @example assertRuleSafe({ '>': [{ var: 'amount' }, 0] }, 'validations[0].rule')
 */
export function assertRuleSafe(
  rule: unknown,
  path = 'rule',
  source: RuleSource = 'definition',
): void {
  const fail = (message: string): never => {
    const Err = source === 'request' ? BadRequestError : DefinitionError
    throw new Err(`Unsafe rule at ${path}: ${message}`, [{ path, message }])
  }
  let nodes = 0
  const visit = (value: unknown, depth: number, at: string): void => {
    if (++nodes > MAX_RULE_NODES) fail(`the rule has more than ${MAX_RULE_NODES} parts`)
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(`${at || 'the rule'} is not a finite number`)
      return
    }
    if (depth >= MAX_RULE_DEPTH) fail(`the rule is nested deeper than ${MAX_RULE_DEPTH} levels`)
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, depth + 1, `${at}[${i}]`))
      return
    }
    if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) {
      return fail(`${at || 'the rule'} is not JSON`)
    }
    const keys = Object.keys(value)
    if (keys.length !== 1)
      return fail(`${at || 'the rule'}: an object must hold exactly one operator`)
    const op = keys[0]
    if (!KNOWN.has(op)) return fail(`unknown operator '${op}'${at ? ` at ${at}` : ''}`)
    const args = (value as Record<string, unknown>)[op]
    if (op === 'var') checkVar(args, fail)
    visit(args, depth + 1, at ? `${at}.${op}` : op)
  }
  visit(rule, 0, '')
}

/** `var` takes a literal path (and an optional default): computed paths could reach prototypes. */
function checkVar(args: unknown, fail: (message: string) => never): void {
  const list = Array.isArray(args) ? args : [args]
  if (list.length > 2) fail('var takes a path and an optional default')
  const path = list[0]
  if (path === undefined || path === null) return
  if (typeof path !== 'string' && typeof path !== 'number') fail('a var path must be a constant')
  for (const segment of String(path).split('.')) {
    if (FORBIDDEN_SEGMENTS.has(segment)) fail(`the var path '${String(path)}' is not allowed`)
  }
}
