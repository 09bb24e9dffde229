import type { Entity } from '$metadata/entity'
import type { Flow } from '$metadata/flow'

/**
 * The fields a flow keeps read-only on a record now, as the server enforces them: the state
 * field always (only transitions move it), and under a state's lock every field it does not list
 * as editable — all of them when the lock is for approvers and the caller holds no pending task.
 * @example lockedFields(flow, entity, { status: 'pending' }, false) // ['status', 'discount', …]
 */
export function lockedFields(
  flow: Flow,
  entity: Entity,
  record: Record<string, unknown>,
  holdsPendingTask: boolean,
): string[] {
  const state = flow.states.find((s) => s.id === record[flow.stateField])
  const lock = state?.lock
  if (!lock) return [flow.stateField]
  const editable = lock.by === 'approver' && !holdsPendingTask ? [] : lock.editable
  return entity.fields
    .map((f) => f.name)
    .filter((name) => name === flow.stateField || !editable.includes(name))
}

/**
 * The state a new record of the flow starts in, as the server writes it: the state marked
 * initial, else the state field's default, else the first state. The form shows it read-only,
 * since a person's create in any other state is refused.
 * @example startState(quoteApproval, quote) // { field: 'status', state: 'draft' }
 */
export function startState(flow: Flow, entity: Entity): { field: string; state: string } {
  const fallback = entity.fields.find((f) => f.name === flow.stateField)?.default
  const state =
    flow.states.find((s) => s.initial) ??
    flow.states.find((s) => s.id === fallback) ??
    flow.states[0]
  return { field: flow.stateField, state: state.id }
}
