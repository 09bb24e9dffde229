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
import type { RefusalKey } from './refusal-texts'
import { refusalWords, type RefusalWords } from './refusal-words'

/** The transition an event names; 404 when the flow has none of that id. */
export function transitionById(flow: Flow, id: string, ctx: CoreContext): FlowTransition {
  const transition = flow.transitions.find((t) => t.id === id)
  if (!transition) {
    const w = refusalWords(flow, ctx)
    throw new NotFoundError(w.text('unknownTransition', { flow: w.flow(), id }))
  }
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
  // The words are looked up only for a refusal: firing is the engine's hot path.
  const words = () => {
    const w = refusalWords(flow, ctx)
    return { w, named: { transition: w.transition(t.id), state: w.state(state) } }
  }
  if (!t.from.includes(state)) {
    const { w, named } = words()
    throw new ConflictError(w.text('notFromState', named), [
      {
        path: flow.stateField,
        message: w.text('notFromStateField', { ...named, states: w.states(t.from) }),
      },
    ])
  }
  if (!holds(t.guard, ctx, `transitions.${t.id}.guard`)) {
    const { w, named } = words()
    throw new ForbiddenError(w.text('guardFails', named))
  }
}

/**
 * The inputs a firing may write: only `requires` and `inputs` fields, each `requires` field
 * non-empty once the inputs are applied, a comment as the transition's rule says. Returns them.
 */
export function checkedInputs(
  flow: Flow,
  t: FlowTransition,
  ctx: CoreContext,
  given: Record<string, unknown> = {},
  comment?: string,
): Record<string, unknown> {
  const allowed = new Set([...(t.requires ?? []), ...(t.inputs ?? [])])
  const foreign = Object.keys(given).filter((field) => !allowed.has(field))
  const missing = (t.requires ?? []).filter((field) =>
    isEmpty(field in given ? given[field] : ctx.record[field]),
  )
  const rule = t.comment ?? 'optional'
  if (!foreign.length && !missing.length && !commentFault(rule, comment)) return { ...given }
  const w = refusalWords(flow, ctx)
  const transition = w.transition(t.id)
  const issues: Issue[] = [
    ...foreign.map((field) => ({
      path: `inputs.${field}`,
      message: w.text('notAnInput', { field: w.field(field), transition }),
    })),
    ...missing.map((field) => ({
      path: `inputs.${field}`,
      message: w.text('fieldRequired', { field: w.field(field) }),
    })),
    ...commentIssues(w, rule, comment),
  ]
  throw new ValidationError(w.text('cannotFire', { transition }), issues)
}

type CommentRule = 'required' | 'optional' | 'none'

/** What is wrong with a comment under a rule: missing (`required`), given (`none`), or null. */
export function commentFault(rule: CommentRule, comment?: string): RefusalKey | null {
  const has = typeof comment === 'string' && comment.trim() !== ''
  if (rule === 'required' && !has) return 'commentRequired'
  if (rule === 'none' && has) return 'commentNotTaken'
  return null
}

/** A comment must be given (`required`) or must not be (`none`): the issue on `comment`, if any. */
export function commentIssues(w: RefusalWords, rule: CommentRule, comment?: string): Issue[] {
  const fault = commentFault(rule, comment)
  return fault ? [{ path: 'comment', message: w.text(fault) }] : []
}

/** Empty: missing, null, blank text or an empty list. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true
  if (typeof value === 'string') return value.trim() === ''
  return Array.isArray(value) && value.length === 0
}
