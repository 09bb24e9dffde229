import type { Ctx } from '../context'
import { ValidationError } from '../errors'
import {
  isUuid,
  lockRecordToFire,
  requireExpectedVersion,
  toCallerView,
  type RecordData,
} from '../records'
import type { ApprovalInstance, FlowEvent, UserId } from './approval-instance'
import { applyResult, forgetShared } from './apply-result'
import { runFlowEvent } from './core'
import type { RefusalKey } from './core/refusal-texts'
import { actorOf, callerRefusalWords, coreContext } from './core-context'
import { orgVersionColumn } from './org-view'
import { requireFlow } from './require-flow'
import { recordTransitionNote } from './transition-note'

/** What a caller sends with a transition. */
export interface FireInput {
  /** The record version the caller read (If-Match or body). */
  version?: number
  comment?: string
  /** Values of the transition's `requires` and `inputs` fields. */
  inputs?: Record<string, unknown>
  /** Approvers the submitter picked, by step id. */
  picks?: Record<string, UserId[]>
}

/**
 * Fires a transition of a record's flow in one transaction: locks the record (reading its
 * running approval, if any), checks the version (409 stale) and the caller's `transition` scope (404 / 403),
 * runs the core (state, guard, requires, comment) and writes what it answers: the record with
 * audit and outbox, created records, the approval and its tasks, the `transition` event,
 * notifications and timers.
 * @example await fireTransition(ctx, 'quote', id, 'submit', { version: 3, comment: 'Please' })
 */
export async function fireTransition(
  ctx: Ctx,
  entity: string,
  id: string,
  transition: string,
  input: FireInput = {},
): Promise<{ record: RecordData; approval: { id: string; status: string } | null }> {
  const flow = requireFlow(ctx, entity)
  assertFireInput(ctx, entity, transition, input)
  const expected = requireExpectedVersion(ctx, entity, input.version, undefined)
  const done = await ctx.db.transaction(async (db) => {
    const c: Ctx = { ...ctx, db }
    const event: FlowEvent = {
      type: 'fire',
      transition,
      actor: actorOf(c),
      comment: input.comment,
      inputs: input.inputs,
      picks: input.picks,
    }
    // Only the record is locked: a running approval refuses any transition (409), and one that
    // starts meanwhile on another connection breaks the one-running-instance index (409). The
    // same statement reads the organisation's version and plans the transaction's statements
    // once: the organisation itself is read only when it moved since this process last did.
    const {
      record: old,
      running,
      also: org,
    } = await lockRecordToFire(c, entity, id, expected, orgVersionColumn(c.db, true))
    const instance = running as ApprovalInstance | null
    const result = runFlowEvent(
      flow,
      instance,
      event,
      await coreContext(c, flow, old, Number(org ?? 0)),
    )
    const written = await applyResult(c, { flow, old, before: instance, result })
    if (!written.instance)
      await recordTransitionNote(c, entity, written.record, transition, input.comment)
    return written
  })
  forgetShared(done.firstShares)
  const approval = done.instance ? { id: done.instance.id, status: done.instance.status } : null
  return { record: toCallerView(ctx, entity, done.record), approval }
}

/** 422, in the caller's words, for no version, or inputs, picks or a comment of the wrong shape. */
function assertFireInput(ctx: Ctx, entity: string, transition: string, input: FireInput): void {
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v)
  const issues: { path: string; message: RefusalKey }[] = []
  if (input.version === undefined || input.version === null)
    issues.push({ path: 'version', message: 'versionRequiredField' })
  if (input.inputs !== undefined && !isObject(input.inputs))
    issues.push({ path: 'inputs', message: 'mustBeObject' })
  if (input.picks !== undefined && !isObject(input.picks))
    issues.push({ path: 'picks', message: 'picksShape' })
  else if (input.picks !== undefined)
    for (const [step, users] of Object.entries(input.picks as Record<string, unknown>))
      if (!Array.isArray(users) || !users.every((u) => typeof u === 'string' && isUuid(u)))
        issues.push({ path: `picks.${step}`, message: 'pickList' })
  if (input.comment !== undefined && input.comment !== null && typeof input.comment !== 'string')
    issues.push({ path: 'comment', message: 'mustBeString' })
  if (!issues.length) return
  const w = callerRefusalWords(ctx, entity)
  const named = { transition: w.transition(transition) }
  const title = issues[0].path === 'version' ? 'versionRequired' : 'cannotFire'
  throw new ValidationError(
    w.text(title, named),
    issues.map((i) => ({ path: i.path, message: w.text(i.message) })),
  )
}
