import type { MetadataIssue } from './issue'
import { toIssue } from './issue'
import type { AssignmentRule, Pool, PoolDefinition } from './pool'
import { validateRuleSize } from './rule-limits'

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

function validatePoolDefinition(pool: PoolDefinition): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  if (pool.filter) issues.push(...validateRuleSize(pool.filter, 'filter'))
  if (pool.limits?.heldByLevel && !pool.levelField)
    issues.push(toIssue('limits.heldByLevel', 'needs levelField: the level of each record'))
  if (pool.timeZone && !isTimeZone(pool.timeZone))
    issues.push(toIssue('timeZone', `'${pool.timeZone}' is not a known time zone`))
  const seen = new Set<string>()
  pool.returnReasons?.forEach((reason, i) => {
    if (seen.has(reason.value))
      issues.push(toIssue(`returnReasons[${i}].value`, `'${reason.value}' is listed twice`))
    seen.add(reason.value)
  })
  const reclaim = pool.reclaim
  if (reclaim?.deal?.condition)
    issues.push(...validateRuleSize(reclaim.deal.condition, 'reclaim.deal.condition'))
  const levels = new Set<string>()
  reclaim?.rules.forEach((rule, i) => {
    const at = `reclaim.rules[${i}]`
    if (rule.levels && !pool.levelField)
      issues.push(toIssue(`${at}.levels`, 'needs levelField: the level of each record'))
    for (const level of rule.levels ?? ['*']) {
      if (levels.has(level))
        issues.push(toIssue(`${at}.levels`, `level '${level}' has a rule already`))
      levels.add(level)
    }
    if (rule.noFollowUpDays && !reclaim.followUp)
      issues.push(toIssue(`${at}.noFollowUpDays`, 'needs reclaim.followUp: what counts as one'))
    if (rule.noDealDays && !reclaim.deal)
      issues.push(toIssue(`${at}.noDealDays`, 'needs reclaim.deal: what counts as one'))
    if (!rule.noFollowUpDays && !rule.noDealDays)
      issues.push(toIssue(at, 'needs noFollowUpDays or noDealDays'))
    const first = Math.min(rule.noFollowUpDays ?? Infinity, rule.noDealDays ?? Infinity)
    if (rule.remindDaysBefore !== undefined && rule.remindDaysBefore >= first)
      issues.push(toIssue(`${at}.remindDaysBefore`, `must be less than ${first} days`))
  })
  return issues
}

function validateAssignmentRule(rule: AssignmentRule): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  if (rule.when) issues.push(...validateRuleSize(rule.when, 'when'))
  if (rule.openFilter) issues.push(...validateRuleSize(rule.openFilter, 'openFilter'))
  if (rule.strategy === 'byField') {
    if (!rule.byField) issues.push(toIssue('byField', "strategy 'byField' needs byField"))
    if (rule.team) issues.push(toIssue('team', "strategy 'byField' takes its teams from byField"))
  } else {
    if (!rule.team) issues.push(toIssue('team', `strategy '${rule.strategy}' needs a team`))
    if (rule.byField)
      issues.push(
        toIssue('byField', `only strategy 'byField' reads byField, not '${rule.strategy}'`),
      )
  }
  if (rule.capacity !== undefined && !rule.openFilter)
    issues.push(toIssue('capacity', 'needs openFilter: which records count as open'))
  return issues
}

/**
 * The checks a pool or assignment rule needs beyond its schema: parts that need one another
 * (levels need levelField, capacity needs openFilter), reminders before the reclaim, rule sizes.
 * @example validatePool({ type: 'assignment', strategy: 'roundRobin', … }) // [{ path: 'team', … }]
 */
export function validatePool(pool: Pool): MetadataIssue[] {
  return pool.type === 'pool' ? validatePoolDefinition(pool) : validateAssignmentRule(pool)
}
