import type { Approval } from '../../metadata/flow'
import type { Ctx } from '../context'
import type { ApprovalInstance, ApprovalTask } from '../flows/approval-instance'
import { getRecord } from '../records'
import { buildChanges, type FieldChange } from './approval-changes'
import { approvalOf, stepLabel, stepsInOrder } from './approval-steps'
import { instanceFlow } from './instance-flow'
import { latestInstance, taskIds } from './instance-rows'
import type { TaskAction } from './task-event'
import { callerId } from './task-row'
import { toUserRef, userNames, type UserRef } from './user-names'

/** What the approval panel of a record shows. */
export interface ApprovalView {
  instance: {
    id: string
    flow: string
    transition: string
    status: ApprovalInstance['status']
    submitter: UserRef
    startedAt: string
    endedAt: string | null
  } | null
  steps: { id: string; label: string; status: string; tasks: TaskView[] }[]
  timeline: {
    at: string
    action: string
    by: UserRef | null
    onBehalfOf: UserRef | null
    step: string | null
    stepLabel: string | null
    comment: string | null
    to: UserRef[]
    /** Users the action took work from (reclaim: the delegate). */
    from: UserRef[]
  }[]
  changes: FieldChange[]
  myTasks: { id: string; step: string; actions: TaskAction[] }[]
  canRecall: boolean
  canResubmit: boolean
}

interface TaskView {
  id: string | null
  round: number
  status: string
  assignee: UserRef | null
  owner: UserRef | null
  delegatedFrom: UserRef | null
  originalOwner: UserRef | null
  createdAt: string
  decidedAt: string | null
  decidedBy: UserRef | null
  comment: string | null
  auto: string | null
}

const PENDING_ACTIONS: TaskAction[] = [
  'approve',
  'reject',
  'return',
  'delegate',
  'transfer',
  'addSigner',
]

const EMPTY: ApprovalView = {
  instance: null,
  steps: [],
  timeline: [],
  changes: [],
  myTasks: [],
  canRecall: false,
  canResubmit: false,
}

/** Every user id an instance names (for one look-up of their names). */
function usersOf(instance: ApprovalInstance): string[] {
  const ids = [instance.submitter]
  for (const t of instance.tasks)
    ids.push(t.assignee, t.owner, t.delegatedFrom ?? '', t.originalOwner ?? '', t.decidedBy ?? '')
  for (const h of instance.history)
    ids.push(h.by ?? '', h.onBehalfOf ?? '', ...(h.to ?? []), ...(h.from ?? []))
  return ids.filter(Boolean)
}

/**
 * The approval panel of a record the caller may read (404 otherwise): its latest approval's steps
 * with their tasks, the timeline, what changed since submission, the caller's own tasks with the
 * actions they may take, and whether they may recall or resubmit. Users come as `{ id, name }`.
 * @example await getApprovalView(ctx, 'quote', id) // { instance, steps, timeline, changes, myTasks, … }
 */
export async function getApprovalView(ctx: Ctx, entity: string, id: string): Promise<ApprovalView> {
  const me = callerId(ctx)
  const record = await getRecord(ctx, entity, id)
  const instance = await latestInstance(ctx, entity, id)
  if (!instance) return EMPTY
  const flow = await instanceFlow(ctx, instance)
  const approval = approvalOf(flow, instance.transition)
  const locale = ctx.user?.locale ?? 'en'
  const [names, ids] = await Promise.all([
    userNames(ctx, usersOf(instance)),
    taskIds(ctx, instance.id),
  ])
  const ref = (user: string | null | undefined) => toUserRef(names, user)
  const toTask = (t: ApprovalTask): TaskView => ({
    id: ids.get(t.id) ?? null,
    round: t.round,
    status: t.status,
    assignee: ref(t.assignee),
    owner: ref(t.owner),
    delegatedFrom: ref(t.delegatedFrom),
    originalOwner: ref(t.originalOwner),
    createdAt: t.createdAt,
    decidedAt: t.decidedAt ?? null,
    decidedBy: ref(t.decidedBy),
    comment: t.comment ?? null,
    auto: t.auto ?? null,
  })
  const running = instance.status === 'running'
  const mine = instance.submitter === me
  return {
    instance: {
      id: instance.id,
      flow: instance.flow,
      transition: instance.transition,
      status: instance.status,
      submitter: ref(instance.submitter)!,
      startedAt: instance.startedAt,
      endedAt: instance.endedAt ?? null,
    },
    steps: stepViews(instance, approval, locale).map((s) => ({
      ...s,
      tasks: instance.tasks.filter((t) => t.step === s.id).map(toTask),
    })),
    timeline: instance.history.map((h) => ({
      at: h.at,
      action: h.action,
      by: ref(h.by),
      onBehalfOf: ref(h.onBehalfOf),
      step: h.step ?? null,
      stepLabel: stepLabel(approval, h.step, locale),
      comment: h.comment ?? null,
      to: (h.to ?? []).map((u) => ref(u)!),
      from: (h.from ?? []).map((u) => ref(u)!),
    })),
    changes: buildChanges(
      ctx.meta.entities.get(entity)!,
      instance.snapshot,
      record,
      flow ? [flow.stateField] : [],
      locale,
    ),
    myTasks: myTasks(instance, me, ids),
    canRecall: running && mine,
    canResubmit: instance.status === 'rejected' && mine,
  }
}

/** The steps that ran or run, in the definition's order (steps it no longer has come last). */
function stepViews(instance: ApprovalInstance, approval: Approval | undefined, locale: string) {
  const seen = new Set([
    ...instance.completed,
    ...instance.active,
    ...instance.tasks.map((t) => t.step),
  ])
  const ordered = stepsInOrder(approval)
    .map((s) => s.id)
    .filter((s) => seen.has(s))
  for (const s of seen) if (!ordered.includes(s)) ordered.push(s)
  return ordered.map((step) => ({
    id: step,
    label: stepLabel(approval, step, locale) ?? step,
    status: instance.active.includes(step)
      ? 'active'
      : instance.rejectedStep === step
        ? 'rejected'
        : instance.completed.includes(step)
          ? 'approved'
          : 'closed',
  }))
}

/**
 * The caller's tasks and what they may do: act on a pending one; take back one they delegated;
 * withdraw a decision while its
 * step or the step after it has not moved on (the core has the last word).
 */
function myTasks(instance: ApprovalInstance, me: string, ids: Map<string, string>) {
  if (instance.status !== 'running') return []
  const out: ApprovalView['myTasks'] = []
  const last = instance.completed[instance.completed.length - 1]
  const nextActed = instance.tasks.some(
    (t) => instance.active.includes(t.step) && t.decidedBy && !t.auto && t.step !== last,
  )
  for (const t of instance.tasks) {
    const id = ids.get(t.id)
    if (!id) continue
    if (t.status === 'pending' && t.assignee === me)
      out.push({ id, step: t.step, actions: PENDING_ACTIONS })
    // A task I delegated: the delegate works it; I may take it back while they have not decided.
    else if (t.status === 'pending' && t.delegatedFrom === me)
      out.push({ id, step: t.step, actions: ['reclaim'] })
    const decided = t.status === 'approved' || t.status === 'rejected'
    const stepOpen = instance.active.includes(t.step) || (t.step === last && !nextActed)
    if (decided && t.decidedBy === me && stepOpen)
      out.push({ id, step: t.step, actions: ['withdraw'] })
  }
  return out
}
