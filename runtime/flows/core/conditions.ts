import type { Rule } from '../../../metadata/rule'
import { evaluateRule, isTruthy } from '../../rules'
import type { CoreContext } from '../approval-instance'

/** The data guards and conditions see: the record with `$user`, plus any extra names. */
export function ruleData(ctx: CoreContext, extra: Record<string, unknown> = {}): object {
  return { ...ctx.record, $user: ctx.user, ...extra }
}

/** Whether an optional condition holds (an absent one always holds). */
export function holds(
  rule: Rule | undefined,
  ctx: CoreContext,
  path: string,
  extra: Record<string, unknown> = {},
): boolean {
  if (rule === undefined) return true
  return isTruthy(evaluateRule(rule, ruleData(ctx, extra), { now: ctx.now, path }))
}
