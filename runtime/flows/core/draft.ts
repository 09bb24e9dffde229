import type { Approval, Flow, FlowTransition } from '../../../metadata/flow'
import type { ApprovalInstance, CoreContext, CoreEffect, HistoryEntry } from '../approval-instance'

/**
 * The working copy one event builds: a clone of the instance the event's handlers change in
 * place, the record's next state and the effects collected so far. Nothing outside sees it
 * before the core returns, so the core stays pure from the caller's side.
 */
export interface Draft {
  flow: Flow
  transition: FlowTransition
  approval: Approval
  inst: ApprovalInstance
  ctx: CoreContext
  effects: CoreEffect[]
  /** The record's next state (null: it stays). */
  state: string | null
}

/**
 * A draft over a copy of `inst`, so the caller's instance is never changed. `fresh`: the core
 * has just made `inst` and nothing else holds it, so the draft takes it as it is (a clone costs
 * more than the rest of starting an approval).
 */
export function buildDraft(
  flow: Flow,
  transition: FlowTransition,
  approval: Approval,
  inst: ApprovalInstance,
  ctx: CoreContext,
  fresh = false,
): Draft {
  const own = fresh ? inst : structuredClone(inst)
  return { flow, transition, approval, inst: own, ctx, effects: [], state: null }
}

/** The event's instant as stored in tasks and history. */
export function nowIso(d: Draft): string {
  return d.ctx.now.toISOString()
}

/** Appends one history line stamped with the event's instant (empty fields left out). */
export function addHistory(d: Draft, entry: Omit<HistoryEntry, 'at'>): void {
  const line: HistoryEntry = { at: nowIso(d), ...entry }
  for (const key of Object.keys(line) as (keyof HistoryEntry)[]) {
    if (line[key] === undefined) delete line[key]
  }
  d.inst.history.push(line)
}

/** Notifies users (none: nothing to send). */
export function notify(
  d: Draft,
  users: string[],
  reason: Extract<CoreEffect, { type: 'notify' }>['reason'],
  task?: string,
): void {
  const unique = [...new Set(users)]
  if (!unique.length) return
  d.effects.push(
    task
      ? { type: 'notify', users: unique, reason, task }
      : { type: 'notify', users: unique, reason },
  )
}

/** The transition event alerts listen to, and the record's next state. */
export function moveRecord(d: Draft, from: string, to: string, action: string): void {
  d.state = to
  d.effects.push({ type: 'emit', transition: d.transition.id, from, to, action })
}
