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
 * Checks the rule (limits, known operators) and applies it to `data` with json-logic-js.
 * Synchronous by design: see rule-clock.ts for why the injected clock is safe.
 * @example evaluateRule({ '>': [{ var: 'amount' }, 100] }, { amount: 120 }) // true
 */
export function evaluateRule(rule: Rule, data: unknown, opts: EvaluateOptions = {}): unknown {
  assertRuleSafe(rule, opts.path ?? 'rule', opts.source ?? 'definition')
  registerOperators()
  // json-logic-js types rules as its own operator union; ours is structural JSON, checked above.
  return withRuleNow(opts.now, () => jsonLogic.apply(rule as jsonLogic.RulesLogic, data))
}

/** json-logic truthiness: JavaScript's, except that an empty array is false. */
export function isTruthy(value: unknown): boolean {
  return jsonLogic.truthy(value)
}
