import jsonLogic from 'json-logic-js'
import type { Rule } from '../../metadata/rule'
import { assertRuleSafe, type RuleSource } from './limits'
import { registerOperators } from './operators'
import { withRuleNow } from './rule-clock'

export interface EvaluateOptions {
  /** The instant `today` and `now` read (defaults to the system time). */
  now?: Date
  /** Where errors point (default 'rule'). */
  path?: string
  /** Who supplied the rule: decides DefinitionError vs BadRequestError. */
  source?: RuleSource
}

/**
 * Definition rules found safe. A loaded metadata set is never changed in place (an apply loads
 * a new one), so a definition's rule object checked once need not be walked again on every
 * record write or transition; a request's rules are checked every time.
 */
const safeDefinitionRules = new WeakSet<object>()

/**
 * Checks the rule (limits, known operators) and applies it to `data` with json-logic-js.
 * Synchronous by design: see rule-clock.ts for why the injected clock is safe.
 * @example evaluateRule({ '>': [{ var: 'amount' }, 100] }, { amount: 120 }) // true
 */
export function evaluateRule(rule: Rule, data: unknown, opts: EvaluateOptions = {}): unknown {
  const source = opts.source ?? 'definition'
  const object = typeof rule === 'object' && rule !== null && source === 'definition'
  if (!object || !safeDefinitionRules.has(rule)) {
    assertRuleSafe(rule, opts.path ?? 'rule', source)
    if (object) safeDefinitionRules.add(rule)
  }
  registerOperators()
  // json-logic-js types rules as its own operator union; ours is structural JSON, checked above.
  return withRuleNow(opts.now, () => jsonLogic.apply(rule as jsonLogic.RulesLogic, data))
}

/** json-logic truthiness: JavaScript's, except that an empty array is false. */
export function isTruthy(value: unknown): boolean {
  return jsonLogic.truthy(value)
}
