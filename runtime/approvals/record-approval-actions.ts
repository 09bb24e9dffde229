import type { Ctx } from '../context'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors'
import { applyApprovalEvent, callerRefusalWords } from '../flows'
import { getRecord } from '../records'
import { latestInstance } from './instance-rows'
import { callerId } from './task-row'

/** What recall and resubmit answer: the approval's status and the record's version after it. */
export interface RecordApprovalResult {
  approval: { id: string; status: string }
  record: { id: string; version: number | null }
}

const MAX_COMMENT = 2000

function toComment(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.length > MAX_COMMENT)
    throw new ValidationError("'comment' must be a string of at most 2000 characters", [
      { path: 'comment', message: `must be a string of at most ${MAX_COMMENT} characters` },
    ])
  return value.trim() || undefined
}

/**
 * Recalls the running approval of a record (submitter only: 403) or resubmits its rejected one;
 * 404 when the caller cannot read the record or it has no approval, 409 when the approval is not
 * in the status the action needs.
 * @example await recordApprovalAction(ctx, 'leave', id, 'recall', { comment: 'Wrong dates' })
 */
export async function recordApprovalAction(
  ctx: Ctx,
  entity: string,
  id: string,
  type: 'recall' | 'resubmit',
  body: { comment?: unknown },
): Promise<RecordApprovalResult> {
  const me = callerId(ctx)
  const unknown = Object.keys(body).find((k) => k !== 'comment')
  if (unknown)
    throw new ValidationError(`Unknown field '${unknown}'`, [
      { path: unknown, message: 'unknown field (allowed: comment)' },
    ])
  const comment = toComment(body.comment)
  await getRecord(ctx, entity, id)
  const instance = await latestInstance(ctx, entity, id)
  const w = callerRefusalWords(ctx, entity)
  if (!instance)
    throw new NotFoundError(w.text('noApproval'), [
      { path: 'id', message: w.text('noApprovalField') },
    ])
  if (instance.submitter !== me) throw new ForbiddenError(w.text('onlySubmitter'))
  const needs = type === 'recall' ? 'running' : 'rejected'
  if (instance.status !== needs) {
    const status = w.status(instance.status)
    throw new ConflictError(
      type === 'recall' ? w.text('approvalEnded', { status }) : w.text('notResubmittable'),
      [{ path: 'status', message: w.text('approvalStatusField', { status }) }],
    )
  }
  const done = await applyApprovalEvent(ctx, instance.id, { type, actor: me, comment })
  const version = (done.record as { version?: unknown } | null)?.version
  return {
    approval: { id: done.instance.id, status: done.instance.status },
    record: { id, version: typeof version === 'number' ? version : null },
  }
}
