import type { Field } from '$metadata/field'
import type { Flow } from '$metadata/flow'
import type { Labels } from '$metadata/labels'
import type { TransitionView } from '$lib/api/flows'

/** Why a card may not go to a column: no transition leads there, or the one that does is held. */
export type DropRefusal = 'none' | 'guard' | 'pending' | 'scope' | 'state' | 'final'

/** What dropping a card on a column does. */
export type DropPlan =
  | { kind: 'same' }
  | { kind: 'fire'; transition: TransitionView }
  | { kind: 'dialog'; transition: TransitionView }
  | { kind: 'refuse'; reason: DropRefusal }

const blank = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)

/**
 * The columns a card in state `from` may be dropped on by the flow's definition: the `to` of
 * every transition whose `from` holds it (availability for the caller is asked separately).
 * @example reachableStates(opportunityFlow, 'proposal') // Set { 'negotiation', 'won', 'lost' }
 */
export function reachableStates(flow: Flow, from: string): Set<string> {
  return new Set(flow.transitions.filter((t) => t.from.includes(from)).map((t) => t.to))
}

/**
 * Whether firing from a board asks first: a required field the card leaves empty, optional
 * inputs, a required comment, approvers to pick, or a dangerous move (it is confirmed).
 */
export function boardNeedsDialog(tr: TransitionView, record: Record<string, unknown>): boolean {
  return (
    (tr.requires ?? []).some((name) => blank(record[name])) ||
    (tr.inputs?.length ?? 0) > 0 ||
    tr.comment === 'required' ||
    (tr.picks?.length ?? 0) > 0 ||
    tr.style === 'danger'
  )
}

/**
 * What a drop of a card (in state `from`, with its transitions as the API listed them for the
 * caller) on column `to` does: the transition leading there that the caller may fire now
 * (straight away, or through the dialog), else a refusal saying why.
 * @example planDrop(flow, options, card, 'qualification', 'won') // { kind: 'refuse', reason: 'none' }
 */
export function planDrop(
  flow: Flow,
  options: TransitionView[],
  record: Record<string, unknown>,
  from: string,
  to: string,
): DropPlan {
  if (from === to) return { kind: 'same' }
  const leading = flow.transitions.filter((t) => t.from.includes(from) && t.to === to)
  if (!leading.length) return { kind: 'refuse', reason: 'none' }
  const listed = leading
    .map((t) => options.find((o) => o.id === t.id))
    .filter((o): o is TransitionView => o !== undefined)
  const ready = listed.find((o) => o.available)
  if (ready) return { kind: boardNeedsDialog(ready, record) ? 'dialog' : 'fire', transition: ready }
  const reason = (listed[0]?.reason ?? 'scope') as DropRefusal
  return { kind: 'refuse', reason }
}

/** One column of a board: a value of the grouping field. */
export interface BoardColumn {
  id: string
  label: Labels | undefined
  color?: string
}

/**
 * The board's columns: the flow's states in flow order when a flow governs the grouping field
 * (labels and colours from the state, else the select option), otherwise the field's options.
 * @example boardColumns(stageField, opportunityFlow).map((c) => c.id) // ['qualification', …]
 */
export function boardColumns(field: Field, flow: Flow | null): BoardColumn[] {
  const options = field.options ?? []
  if (!flow || flow.stateField !== field.name)
    return options.map((o) => ({ id: o.value, label: o.label, color: o.color }))
  return flow.states.map((s) => {
    const option = options.find((o) => o.value === s.id)
    return { id: s.id, label: s.label ?? option?.label, color: s.color ?? option?.color }
  })
}
