import { sql } from 'drizzle-orm'
import type { Flow } from '../../metadata/flow'
import type { Ctx } from '../context'
import { writeFlowUpdate, type RecordData } from '../records'
import type { ApprovalInstance, CoreEffect, CoreResult } from './approval-instance'
import { cancelTaskTimeout, scheduleTaskTimeout } from './approval-timers'
import { sendFlowNotices } from './flow-notices'
import { saveInstance } from './instance-rows'
import { runTransitionEffects } from './transition-effects'

/** The outbox event alerts listen to when a flow moves a record. */
export const TRANSITION_OUTBOX_EVENT = 'transition'

/** Everything one event changes, to write in the caller's transaction. */
export interface ResultWrite {
  flow: Flow
  /** The record as locked and read before the event. */
  old: RecordData
  result: CoreResult
}

const ofType = <T extends CoreEffect['type']>(effects: CoreEffect[], type: T) =>
  effects.filter((e): e is Extract<CoreEffect, { type: T }> => e.type === type)

/**
 * Writes the core's answer, in the caller's transaction (the record and instance rows locked):
 * `create` effects, then one record update (state, inputs, `set` effects, link-backs) with
 * audit and outbox, the instance with its task and CC rows, the `transition` outbox events,
 * notifications and timeout timers.
 */
export async function applyResult(
  ctx: Ctx,
  w: ResultWrite,
): Promise<{ record: RecordData; instance: ApprovalInstance | null }> {
  const { flow, old, result } = w
  const entity = flow.entity
  const values: RecordData = { ...result.inputs }
  if (result.state !== null && result.state !== old[flow.stateField])
    values[flow.stateField] = result.state
  for (const run of ofType(result.effects, 'runTransitionEffects')) {
    const transition = flow.transitions.find((t) => t.id === run.transition)
    if (!transition?.effects?.length) continue
    Object.assign(
      values,
      await runTransitionEffects(ctx, transition, { ...old, ...values }, ctx.user),
    )
  }
  const record = Object.keys(values).length ? await writeFlowUpdate(ctx, entity, old, values) : old
  const inst = result.instance
  if (inst) await saveInstance(ctx, inst, ccOf(result.effects))
  for (const emit of ofType(result.effects, 'emit')) {
    const payload = {
      flow: flow.id,
      from: emit.from,
      to: emit.to,
      action: emit.action,
      transition: emit.transition,
      id: record.id,
      version: record.version,
    }
    await ctx.db.query(sql`insert into outbox (entity, record_id, event, payload, user_id)
      values (${entity}, ${record.id as string}::uuid, ${TRANSITION_OUTBOX_EVENT},
        ${JSON.stringify(payload)}::jsonb, ${ctx.user?.id ?? null}::uuid)`)
  }
  const titleField = ctx.meta.entities.get(entity)?.titleField
  const title = String((titleField && record[titleField]) || record.id)
  await sendFlowNotices(ctx, ofType(result.effects, 'notify'), inst, entity, record, title)
  for (const effect of result.effects) {
    if (!inst) break
    if (effect.type === 'scheduleTimeout')
      await scheduleTaskTimeout(ctx, flow, inst, effect.task, effect.step)
    else if (effect.type === 'cancelTimeout') await cancelTaskTimeout(ctx, inst.id, effect.task)
  }
  return { record, instance: inst }
}

/** The users an event copies (CC notices), by the step that copied them ('' for the approval's). */
function ccOf(effects: CoreEffect[]): { users: string[]; step: string }[] {
  return ofType(effects, 'notify')
    .filter((e) => e.reason === 'cc')
    .map((e) => ({ users: e.users, step: (e as { step?: string }).step ?? '' }))
}
