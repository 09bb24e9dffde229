import type { Labels } from '$metadata/labels'
import type { Flow } from '$metadata/flow'
import { api, ApiError, unwrap } from './client'

/** A label as the API sends it: already in the caller's language, or every language. */
export type ApiLabel = string | Labels | null | undefined

/** A person as the API names them: `{ id, name }`, a bare name, or (older answers) an id. */
export type ApiPerson = { id?: string; name?: string; displayName?: string } | string | null

/** One state of a record's flow. */
export interface FlowStateView {
  id: string
  label?: ApiLabel
  color?: string
  initial?: boolean
  final?: boolean
}

/** Approvers the submitter picks for a `submitterPick` step when firing. */
export interface PickView {
  step: string
  label?: ApiLabel
  role?: string
  min?: number
  max?: number
}

/** A transition as GET …/transitions lists it for the caller. */
export interface TransitionView {
  id: string
  label?: ApiLabel
  style?: 'primary' | 'danger' | 'default'
  available: boolean
  reason?: string
  requires?: string[]
  inputs?: string[]
  comment?: 'required' | 'optional' | 'none'
  approval?: boolean
  picks?: PickView[]
}

/** Where a record stands in its flow and what the caller may fire now. */
export interface TransitionsView {
  state: FlowStateView | null
  states: FlowStateView[]
  transitions: TransitionView[]
  approval: { id: string; status: string } | null
}

/** What a transition is fired with. */
export interface FireInput {
  version?: number
  comment?: string
  inputs?: Record<string, unknown>
  picks?: Record<string, string[]>
}

const recordPath = (entity: string, id: string) =>
  `/api/data/${encodeURIComponent(entity)}/${encodeURIComponent(id)}`

/** The record's flow as the caller sees it, or null when no flow governs the entity. */
export async function loadTransitions(entity: string, id: string): Promise<TransitionsView | null> {
  // Most entities have no flow: ask (once per entity) before calling, so no page logs a 404.
  if (!(await loadFlowDefinition(entity))) return null
  try {
    const body = unwrap<Partial<TransitionsView>>(
      await api(`${recordPath(entity, id)}/transitions`),
    )
    return {
      state: body.state ?? null,
      states: body.states ?? [],
      transitions: body.transitions ?? [],
      approval: body.approval ?? null,
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null
    throw err
  }
}

/** Fires a transition at the record's version (409 when it changed meanwhile). */
export async function fireTransition(
  entity: string,
  id: string,
  transition: string,
  input: FireInput,
): Promise<unknown> {
  const path = `${recordPath(entity, id)}/transitions/${encodeURIComponent(transition)}`
  return api(path, { method: 'POST', body: input })
}

const definitions = new Map<string, Promise<Flow | null>>()

/** The flow governing an entity's records (its definition, for locks), or null; cached. */
export function loadFlowDefinition(entity: string): Promise<Flow | null> {
  let found = definitions.get(entity)
  if (!found) {
    found = api<unknown>('/api/meta/flows', { query: { entity } })
      .then(async (body) => {
        const list = unwrap<{ id: string }[]>(body)
        const id = Array.isArray(list) ? list[0]?.id : undefined
        return id ? await api<Flow>(`/api/meta/flows/${encodeURIComponent(id)}`) : null
      })
      .catch(() => null)
    definitions.set(entity, found)
  }
  return found
}
