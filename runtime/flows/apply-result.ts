import { sql, type SQL } from 'drizzle-orm'
import type { Flow } from '../../metadata/flow'
import type { Ctx } from '../context'
import { forgetInThisProcess } from '../identity'
import { announceNotificationsOf } from '../notifications'
import { deliveredUnlessWanted, quietVersion, TRANSITION_OUTBOX_EVENT } from '../registry'
import { prepareFlowUpdate, StatementTemplate, type RecordData, type SlotFn } from '../records'
import type { ApprovalInstance, CoreEffect, CoreResult } from './approval-instance'
import { approvalLinkKey } from './approval-link-tokens'
import { cancelTaskTimeout, scheduleTaskTimeout } from './approval-timers'
import { flowNoticeStatements, recordTitle } from './flow-notices'
import { newlyInvolved } from './approval-shares'
import { saveInstance, type NamedStatement } from './instance-rows'
import { effectsActor, runTransitionEffects } from './transition-effects'

/** Everything one event changes, to write in the caller's transaction. */
export interface ResultWrite {
  flow: Flow
  /** The record as locked and read before the event. */
  old: RecordData
  /** The instance before the event (null: none was running). */
  before: ApprovalInstance | null
  result: CoreResult
}

/** What one event wrote. */
export interface ResultWritten {
  record: RecordData
  instance: ApprovalInstance | null
  /** Users shared a record of the entity for the first time: call `forgetShared` after commit. */
  firstShares: string[]
}

const ofType = <T extends CoreEffect['type']>(effects: CoreEffect[], type: T) =>
  effects.filter((e): e is Extract<CoreEffect, { type: T }> => e.type === type)

/**
 * Writes the core's answer, in the caller's transaction (the record and instance rows locked):
 * `create` effects, then one record update (state, inputs, `set` effects, link-backs) with
 * audit and outbox, written by the same statement as the instance with its task and CC rows,
 * the `transition` outbox events, notifications and approval links; then timeout timers. A
 * single move that changes the record is told in the update's `updated` event (its payload
 * names the flow, the states and the action) instead of a `transition` row of its own.
 */
export async function applyResult(ctx: Ctx, w: ResultWrite): Promise<ResultWritten> {
  const { flow, old, result } = w
  const entity = flow.entity
  const values: RecordData = { ...result.inputs }
  if (result.state !== null && result.state !== old[flow.stateField])
    values[flow.stateField] = result.state
  for (const run of ofType(result.effects, 'runTransitionEffects')) {
    const transition = flow.transitions.find((t) => t.id === run.transition)
    if (!transition?.effects?.length) continue
    const actor = await effectsActor(ctx, result.instance)
    Object.assign(values, await runTransitionEffects(ctx, transition, { ...old, ...values }, actor))
  }
  const emits = ofType(result.effects, 'emit').map((emit) => ({
    flow: flow.id,
    from: emit.from,
    to: emit.to,
    action: emit.action,
    transition: emit.transition,
  }))
  // One move that updates the record is told in the update's own event (one outbox row).
  const update = await prepareFlowUpdate(
    ctx,
    entity,
    old,
    values,
    emits.length === 1 ? emits[0] : undefined,
  )
  // What the update will leave: the statements below name its version and title.
  const next = update.record
  const inst = result.instance
  const outbox: NamedStatement[] = update.carriesTransition
    ? []
    : emits.map((emit, i) => ({
        name: `transition_event_${i}`,
        build: insertTransitionEvent,
        values: [
          entity,
          next.id,
          JSON.stringify({ ...emit, id: next.id, version: next.version }),
          ctx.user?.id ?? null,
          quietVersion(ctx.meta, entity, TRANSITION_OUTBOX_EVENT),
        ],
      }))
  let firstShares: string[] = []
  let record: RecordData
  if (inst) {
    const title = recordTitle(ctx.meta.entities.get(entity), next)
    const notices = flowNoticeStatements(ctx, ofType(result.effects, 'notify'), {
      inst,
      entity,
      record: next,
      title,
      linkKey: await approvalLinkKey(ctx),
    })
    const cc = ccOf(result.effects)
    const involved = newlyInvolved(
      w.before,
      inst,
      cc.flatMap((c) => c.users),
    )
    // The record's update goes out in the instance's write (one statement); its refusal, if
    // any, is the one reported.
    const more = [...outbox, ...notices]
    const carried = update.carried ?? undefined
    const saved = await saveInstance(ctx, inst, cc, involved, more, carried, !w.before)
    record = carried ? await carried.finish(saved.updated) : await update.write()
    firstShares = saved.firstShares
    announceNotificationsOf(ctx.db, saved.noticed)
  } else {
    record = await update.write()
    for (const event of outbox) {
      transitionEvent ??= new StatementTemplate(insertTransitionEvent)
      await ctx.db.query(transitionEvent.bind(event.values))
    }
  }
  for (const effect of result.effects) {
    if (!inst) break
    if (effect.type === 'scheduleTimeout')
      await scheduleTaskTimeout(ctx, flow, inst, effect.task, effect.step)
    else if (effect.type === 'cancelTimeout') await cancelTaskTimeout(ctx, inst.id, effect.task)
  }
  return { record, instance: inst, firstShares }
}

/**
 * Inserts one `transition` outbox event (slots: entity, record id, payload JSON, user id, and
 * the metadata version it is judged delivered on, see deliveredUnlessWanted).
 */
function insertTransitionEvent(v: SlotFn): SQL {
  return sql`insert into outbox (entity, record_id, event, payload, user_id, delivered_at)
    values (${v(0)}, ${v(1)}::uuid, ${TRANSITION_OUTBOX_EVENT}, ${v(2)}::jsonb, ${v(3)}::uuid,
      ${deliveredUnlessWanted(sql`${v(4)}::int`)})
    returning 1`
}

/** A `transition` outbox event as a statement of its own (no approval to write it with). */
let transitionEvent: StatementTemplate | undefined

/**
 * After the commit: this process's cached sessions of users an approval shared a record with
 * for the first time forget it, so the share reaches them at once (others learn of it from the
 * NOTIFY sent at commit).
 */
export function forgetShared(users: string[]): void {
  for (const userId of users) forgetInThisProcess({ userId })
}

/** The users an event copies (CC notices), by the step that copied them ('' for the approval's). */
function ccOf(effects: CoreEffect[]): { users: string[]; step: string }[] {
  return ofType(effects, 'notify')
    .filter((e) => e.reason === 'cc')
    .map((e) => ({ users: e.users, step: (e as { step?: string }).step ?? '' }))
}
