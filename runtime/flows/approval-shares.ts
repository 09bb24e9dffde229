import type { ApprovalInstance, UserId } from './approval-instance'

/** What record_shares.reason says of a share an approval made. */
export const APPROVAL_SHARE_REASON = 'approval'

/**
 * The users an event gave work or a copy on the record: the assignee of every task that is new
 * or changed hands (a new step, a delegate, a transfer target, a substitute, an escalation) and
 * the users it copied. They get a read share of the record, so an approver reads what they
 * approve even where their roles do not reach it. Pure.
 * @example newlyInvolved(null, started, []) // every assignee of the first step(s)
 */
export function newlyInvolved(
  before: ApprovalInstance | null,
  after: ApprovalInstance,
  copied: UserId[],
): UserId[] {
  const had = new Set((before?.tasks ?? []).map((t) => `${t.id}\u0000${t.assignee}`))
  const found = after.tasks
    .filter((t) => !had.has(`${t.id}\u0000${t.assignee}`))
    .map((t) => t.assignee)
  return [...new Set([...found, ...copied])]
}
