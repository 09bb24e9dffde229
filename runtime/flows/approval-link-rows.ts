import { randomBytes } from 'node:crypto'
import { hashToken } from '../identity'

/** How long a link in a mail or chat message may be used. */
export const LINK_TTL_MS = 7 * 24 * 3600 * 1000

/** The actions a link may carry. */
export type LinkAction = 'approve' | 'reject'

/** An approval_links row to insert (the token itself is never stored, only its hash). */
export interface NewLinkRow {
  token_hash: string
  task_id: string
  action: LinkAction
  user_id: string
  record_version: number
  expires_at: string
}

/** Where a link opens: its public page (GET shows what it does, POST acts). */
export function approvalLinkPath(token: string): string {
  return `/api/approval-links/${token}`
}

/**
 * A new signed link for the assignee of a task: a random token (answered once, for the message)
 * and the row that stores its hash, valid for 7 days from `now`, refused once the record's
 * version moves past `recordVersion`.
 */
export function newApprovalLink(
  link: { taskId: string; action: LinkAction; userId: string; recordVersion: number },
  now: Date,
): { token: string; row: NewLinkRow } {
  const token = randomBytes(32).toString('base64url')
  return {
    token,
    row: {
      token_hash: hashToken(token),
      task_id: link.taskId,
      action: link.action,
      user_id: link.userId,
      record_version: link.recordVersion,
      expires_at: new Date(now.getTime() + LINK_TTL_MS).toISOString(),
    },
  }
}
