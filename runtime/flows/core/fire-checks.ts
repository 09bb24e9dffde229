import type { Flow, FlowTransition } from '../../../metadata/flow'
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type Issue,
} from '../../errors'
import type { CoreContext } from '../approval-instance'
import { holds } from './conditions'

/** The transition an event names; 404 when the flow has none of that id. */
export function transitionById(flow: Flow, id: string): FlowTransition {
  const transition = flow.transitions.find((t) => t.id === id)
  if (!transition) throw new NotFoundError(`Flow '${flow.id}' has no transition '${id}'`)
  return transition
}

/** The record's state as its state field holds it. */
export function stateOf(flow: Flow, record: Record<string, unknown>): string {
  const value = record[flow.stateField]
  return typeof value === 'string' ? value : ''
}

/** Refuses a transition that does not leave the record's state (409) or whose guard fails (403). */
export function assertFirable(flow: Flow, t: FlowTransition, ctx: CoreContext): void {
  const state = stateOf(flow, ctx.record)
  if (!t.from.includes(state)) {
    throw new ConflictError(`Transition '${t.id}' does not leave the state '${state}'`, [
      { path: flow.stateField, message: `is '${state}'; '${t.id}' leaves ${t.from.join(', ')}` },
    ])
  }
  if (!holds(t.guard, ctx, `transitions.${t.id}.guard`)) {
    throw new ForbiddenError(`The conditions of '${t.id}' do not hold for this record`)
  }
}

/**
 * The inputs a firing may write: only `requires` and `inputs` fields, each `requires` field
 * non-empty once the inputs are applied, a comment as the transition's rule says. Returns them.
 */
export function checkedInputs(
  t: FlowTransition,
  ctx: CoreContext,
  given: Record<string, unknown> = {},
  comment?: string,
): Record<string, unknown> {
  const allowed = new Set([...(t.requires ?? []), ...(t.inputs ?? [])])
  const issues: Issue[] = Object.keys(given)
    .filter((field) => !allowed.has(field))
    .map((field) => ({ path: `inputs.${field}`, message: `is not an input of '${t.id}'` }))
  for (const field of t.requires ?? []) {
    const value = field in given ? given[field] : ctx.record[field]
    if (isEmpty(value)) issues.push({ path: `inputs.${field}`, message: 'is required' })
  }
  issues.push(...commentIssues(t.comment ?? 'optional', comment))
  if (issues.length) throw new ValidationError(`Transition '${t.id}' cannot fire as sent`, issues)
  return { ...given }
}

/** A comment must be given (`required`) or must not be (`none`). */
export function commentIssues(rule: 'required' | 'optional' | 'none', comment?: string): Issue[] {
  const has = typeof comment === 'string' && comment.trim() !== ''
  if (rule === 'required' && !has) return [{ path: 'comment', message: 'is required' }]
  if (rule === 'none' && has) return [{ path: 'comment', message: 'is not taken here' }]
  return []
}

/** Empty: missing, null, blank text or an empty list. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true
  if (typeof value === 'string') return value.trim() === ''
  return Array.isArray(value) && value.length === 0
}
