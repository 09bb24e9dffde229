import type { ApprovalTask, HistoryEntry, OrgView, UserId } from '../approval-instance'

/**
 * One history line as completion rules see it (`history` in a step's `complete` rules). Every key
 * is always there (null or [] when empty) so rules compare without `missing`.
 */
export interface RuleHistoryEntry {
  action: HistoryEntry['action']
  /** ISO instant of the action. */
  at: string
  step: string | null
  /** Who acted (null: the engine, e.g. a repeated approver approved automatically). */
  by: UserId | null
  /** The actor's username and the roles they hold now (null and []: the engine or a gone user). */
  byUsername: string | null
  byRoles: string[]
  /** The task owner the actor acted for (a delegation or an out-of-office substitute). */
  onBehalfOf: UserId | null
  comment: string | null
}

/**
 * The history a step's completion rules see: the lines of the step's current round (those about
 * its tasks), oldest first. Earlier steps and earlier rounds are left out, so a rule such as "some
 * approval" never holds on entering a step because of what happened before it. An approval its
 * approver withdrew is left out too (the `withdraw` line stays): the lines count what stands.
 * @example stepHistory(round, inst.history, ctx.org).filter((h) => h.action === 'approve')
 */
export function stepHistory(
  round: readonly ApprovalTask[],
  history: readonly HistoryEntry[],
  org: OrgView,
): RuleHistoryEntry[] {
  const ids = new Set(round.map((t) => t.id))
  const lines = history.filter((h) => h.task !== undefined && ids.has(h.task))
  return lines.filter((h, i) => !isWithdrawn(h, lines.slice(i + 1))).map((h) => toRuleEntry(h, org))
}

/** An approval followed by a withdraw of the same task. */
function isWithdrawn(line: HistoryEntry, later: readonly HistoryEntry[]): boolean {
  return (
    line.action === 'approve' && later.some((l) => l.action === 'withdraw' && l.task === line.task)
  )
}

function toRuleEntry(h: HistoryEntry, org: OrgView): RuleHistoryEntry {
  return {
    action: h.action,
    at: h.at,
    step: h.step ?? null,
    by: h.by,
    byUsername: h.by ? org.usernameOf(h.by) : null,
    byRoles: h.by ? org.rolesOf(h.by) : [],
    onBehalfOf: h.onBehalfOf ?? null,
    comment: h.comment ?? null,
  }
}
