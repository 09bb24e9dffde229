import type { Approval, Flow, FlowTransition } from '../../../metadata/flow'
import { ConflictError } from '../../errors'
import type { ApprovalInstance, CoreContext, CoreResult, FlowEvent } from '../approval-instance'
import { holds } from './conditions'
import { addHistory, buildDraft, type Draft, moveRecord } from './draft'
import { assertFirable, checkedInputs, stateOf, transitionById } from './fire-checks'
import { runFrom } from './navigate'
import { assertPicks } from './picks'
import { refusalWords } from './refusal-words'

type FireEvent = Extract<FlowEvent, { type: 'fire' }>

/**
 * Fires a transition: checks state, guard, inputs and comment; goes straight through (no
 * approval, or its entry criteria do not hold) or starts an approval and its first steps.
 */
export function fire(
  flow: Flow,
  running: ApprovalInstance | null,
  event: FireEvent,
  ctx: CoreContext,
): CoreResult {
  const t = transitionById(flow, event.transition, ctx)
  assertFirable(flow, t, ctx)
  const inputs = checkedInputs(flow, t, ctx, event.inputs, event.comment)
  if (running?.status === 'running') {
    throw new ConflictError(refusalWords(flow, ctx).text('approvalRunning'))
  }
  const after = { ...ctx, record: { ...ctx.record, ...inputs } }
  if (!t.approval || !holds(t.approval.when, after, `transitions.${t.id}.approval.when`)) {
    const from = stateOf(flow, ctx.record)
    return {
      state: t.to,
      inputs,
      instance: null,
      effects: [
        { type: 'runTransitionEffects', transition: t.id },
        { type: 'emit', transition: t.id, from, to: t.to, action: t.id },
      ],
    }
  }
  const d = startApproval(flow, t, t.approval, event, after)
  return { state: d.state, inputs, instance: d.inst, effects: d.effects }
}

function startApproval(
  flow: Flow,
  t: FlowTransition,
  approval: Approval,
  event: FireEvent,
  ctx: CoreContext,
): Draft {
  const picks = event.picks ?? {}
  const w = refusalWords(flow, ctx)
  assertPicks(approval.steps, picks, ctx.org, (rule) => holds(rule, ctx, 'picks'), w)
  const d = buildDraft(flow, t, approval, newInstance(flow, t, event, ctx, picks), ctx, true)
  addHistory(d, { action: 'submit', by: event.actor, comment: event.comment })
  moveRecord(d, d.inst.fromState, approval.pending, 'submit')
  runFrom(d, { list: approval.steps, index: 0 })
  return d
}

/**
 * A new instance the draft may own: the picks copied, the record's values a shallow copy (as a
 * resubmit takes them).
 */
function newInstance(
  flow: Flow,
  t: FlowTransition,
  event: FireEvent,
  ctx: CoreContext,
  picks: Record<string, string[]>,
): ApprovalInstance {
  return {
    id: ctx.newInstanceId,
    flow: flow.id,
    flowVersion: ctx.flowVersion,
    transition: t.id,
    entity: flow.entity,
    recordId: String(ctx.record.id ?? ''),
    submitter: event.actor,
    status: 'running',
    fromState: stateOf(flow, ctx.record),
    snapshot: { ...ctx.record },
    active: [],
    completed: [],
    joined: [],
    picks: Object.fromEntries(Object.entries(picks).map(([step, users]) => [step, [...users]])),
    tasks: [],
    history: [],
    seq: 0,
    startedAt: ctx.now.toISOString(),
  }
}
