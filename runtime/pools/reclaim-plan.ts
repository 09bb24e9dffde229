import type { PoolDefinition, ReclaimRule } from '../../metadata/pool'

const DAY_MS = 24 * 60 * 60 * 1000

/** What a record's reclaim depends on: when it was claimed and its last follow-up and deal. */
export interface ReclaimFacts {
  level: string | null
  claimedAt: Date
  lastFollowUpAt: Date | null
  lastDealAt: Date | null
}

/** When a record goes back to its pool, why, and when its owner is reminded. */
export interface ReclaimPlan {
  dueAt: Date
  reason: 'noFollowUp' | 'noDeal'
  remindAt: Date | null
}

/** The rule for a level: the one naming it, else the one naming no level. */
export function reclaimRuleFor(pool: PoolDefinition, level: string | null): ReclaimRule | null {
  const rules = pool.reclaim?.rules ?? []
  return (
    (level !== null && rules.find((r) => r.levels?.includes(level))) ||
    rules.find((r) => !r.levels) ||
    null
  )
}

const later = (a: Date, b: Date | null) => (b && b > a ? b : a)

/**
 * The reclaim of an owned record: the earlier of "N days after the last follow-up (or the
 * claim)" and "M days after the last deal (or the claim)"; null when no rule applies. Pure.
 * @example planReclaim(pool, { level: 'A', claimedAt, lastFollowUpAt: null, lastDealAt: null })
 */
export function planReclaim(pool: PoolDefinition, facts: ReclaimFacts): ReclaimPlan | null {
  const rule = reclaimRuleFor(pool, facts.level)
  if (!rule) return null
  const options: { dueAt: Date; reason: ReclaimPlan['reason'] }[] = []
  if (rule.noFollowUpDays) {
    const from = later(facts.claimedAt, facts.lastFollowUpAt)
    options.push({ dueAt: new Date(+from + rule.noFollowUpDays * DAY_MS), reason: 'noFollowUp' })
  }
  if (rule.noDealDays) {
    const from = later(facts.claimedAt, facts.lastDealAt)
    options.push({ dueAt: new Date(+from + rule.noDealDays * DAY_MS), reason: 'noDeal' })
  }
  if (!options.length) return null
  const first = options.reduce((a, b) => (b.dueAt < a.dueAt ? b : a))
  const remindAt = rule.remindDaysBefore
    ? new Date(+first.dueAt - rule.remindDaysBefore * DAY_MS)
    : null
  return { ...first, remindAt }
}
