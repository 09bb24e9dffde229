import { api, ApiError, unwrap } from './client'
import type { ApiLabel, ApiPerson } from './flows'

/** One approver's part in a step, as the approval panel shows it. */
export interface TaskView {
  id?: string
  assignee: ApiPerson
  /** The owner the assignee acts for (delegation, substitute). */
  onBehalfOf?: ApiPerson
  status: string
  decidedAt?: string | null
  comment?: string | null
}

/** One step of the approval with its approvers. */
export interface StepView {
  id: string
  label?: ApiLabel
  status?: string
  mode?: string
  tasks: TaskView[]
}

/** One line of the approval's history. */
export interface TimelineEntry {
  at: string
  action: string
  by: ApiPerson
  onBehalfOf?: ApiPerson
  step?: string
  stepLabel?: ApiLabel
  comment?: string | null
  to?: ApiPerson[]
  /** Users the action took work from (reclaim: the delegate). */
  from?: ApiPerson[]
}

/** A field changed since the record was submitted. */
export interface ChangeView {
  field: string
  label?: ApiLabel
  before: unknown
  after: unknown
}

/** A task of mine on this approval and what I may do with it. */
export interface MyTask {
  id: string
  step?: string
  actions: string[]
}

/** The approval of a record as GET …/approval answers it. */
export interface ApprovalView {
  id: string
  status: string
  transition?: string
  transitionLabel?: ApiLabel
  submitter?: ApiPerson
  startedAt?: string
  endedAt?: string | null
  steps: StepView[]
  timeline: TimelineEntry[]
  changes: ChangeView[]
  myTasks: MyTask[]
  canRecall: boolean
  canResubmit: boolean
}

/** What a task action carries (comment; a user for delegate / transfer; users for add signer). */
export interface TaskActionInput {
  comment?: string
  to?: string
  users?: string[]
  step?: string
}

const recordPath = (entity: string, id: string) =>
  `/api/data/${encodeURIComponent(entity)}/${encodeURIComponent(id)}`

/** The approval view as the server sends it: the instance summary apart from the rest. */
interface ApprovalAnswer extends Omit<ApprovalView, 'id' | 'status' | 'steps'> {
  instance: {
    id: string
    status: string
    transition?: string
    submitter?: ApiPerson
    startedAt?: string
    endedAt?: string | null
  } | null
  steps?: (Omit<StepView, 'tasks'> & { tasks?: TaskAnswer[] })[]
}

/** A task as the server sends it: who it was handed from, besides who holds it. */
interface TaskAnswer extends Omit<TaskView, 'onBehalfOf'> {
  delegatedFrom?: { id: string; name: string } | null
  originalOwner?: { id: string; name: string } | null
}

/** The record's latest approval, or null when it never had one. */
export async function loadApproval(entity: string, id: string): Promise<ApprovalView | null> {
  try {
    const body = unwrap<Partial<ApprovalAnswer> | null>(
      await api(`${recordPath(entity, id)}/approval`),
    )
    const instance = body?.instance
    if (!body || !instance?.id) return null
    return {
      ...instance,
      id: instance.id,
      status: instance.status,
      steps: (body.steps ?? []).map((s) => ({ ...s, tasks: (s.tasks ?? []).map(toTask) })),
      timeline: body.timeline ?? [],
      changes: body.changes ?? [],
      myTasks: body.myTasks ?? [],
      canRecall: body.canRecall === true,
      canResubmit: body.canResubmit === true,
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null
    throw err
  }
}

// A delegated task is done for the one who delegated it; a transferred or substituted one for
// the approver the step found first.
function toTask(task: TaskAnswer): TaskView {
  const first = task.originalOwner
  const assignee = task.assignee as { id?: string } | null
  const handedFrom = first && first.id !== assignee?.id ? first : null
  return { ...task, onBehalfOf: task.delegatedFrom ?? handedFrom }
}

/** The submitter takes back a running approval, or submits a rejected one again. */
export function submitterAction(
  entity: string,
  id: string,
  action: 'recall' | 'resubmit',
  comment?: string,
): Promise<unknown> {
  const body = comment ? { comment } : {}
  return api(`${recordPath(entity, id)}/approval/${action}`, { method: 'POST', body })
}

/** Acts on one task: approve, reject, return, delegate, transfer, addSigner, … */
export function actOnTask(task: string, action: string, input: TaskActionInput): Promise<unknown> {
  const path = `/api/tasks/${encodeURIComponent(task)}/${encodeURIComponent(action)}`
  return api(path, { method: 'POST', body: input })
}
