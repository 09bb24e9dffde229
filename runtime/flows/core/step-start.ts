import type { ApprovalStep } from '../../../metadata/flow'
import type { UserId } from '../approval-instance'
import { resolveApprovers, resolveSources } from './approvers'
import { addHistory, type Draft, notify } from './draft'
import { decideStep, modeOf, type StepOutcome } from './step-decision'
import { addTask, currentRound } from './tasks'

/**
 * Starts a step (a new round of it): finds its approvers, applies the submitter and
 * no-approver rules, makes one task each (the ones who approved the previous step approve
 * again at once), copies the CC, and says where the step stands right away.
 */
export function startStep(d: Draft, step: ApprovalStep): StepOutcome {
  const found = resolveApprovers(d, step)
  const approvers = applySubmitterRule(d, found)
  d.inst.active.push(step.id)
  notify(d, resolveSources(d, step.cc ?? []), 'cc')
  if (!found.length) return noApprover(d, step)
  // Passed to a manager who does not exist: nobody approves, so the no-approver rule decides.
  if (!approvers.length && d.approval.submitterApproves === 'manager') return noApprover(d, step)
  if (!approvers.length) {
    addHistory(d, {
      action: 'skip',
      by: null,
      step: step.id,
      comment: 'the submitter is the approver',
    })
    return 'approved'
  }
  const round = currentRound(d, step.id) + 1
  const repeated = previousApprovers(d)
  const inTurn = modeOf(step) === 'sequence'
  approvers.forEach((approver, order) => {
    const owner = d.ctx.org.substituteOf(approver, d.ctx.now) ?? approver
    const handover =
      owner === approver ? {} : { originalOwner: approver, handover: 'substitute' as const }
    const base = { step: step.id, round, assignee: owner, owner, order, ...handover }
    if (repeated.has(approver) && d.approval.repeatedApprover !== 'ask') {
      const task = addTask(d, {
        ...base,
        status: 'approved',
        auto: 'repeated',
        decidedAt: d.ctx.now.toISOString(),
      })
      addHistory(d, {
        action: 'approve',
        by: null,
        onBehalfOf: approver,
        step: step.id,
        task: task.id,
        comment: 'approved in the previous step',
      })
      return
    }
    addTask(d, { ...base, status: inTurn ? 'waiting' : 'pending' })
  })
  return decideStep(d, step)
}

/** The submitter as an approver: left out (default), replaced by their manager, or kept. */
function applySubmitterRule(d: Draft, approvers: UserId[]): UserId[] {
  const rule = d.approval.submitterApproves ?? 'skip'
  const submitter = d.inst.submitter
  if (rule === 'keep' || !approvers.includes(submitter)) return approvers
  const manager = rule === 'manager' ? d.ctx.org.managerOf(submitter) : null
  const swapped = approvers.map((u) => (u === submitter ? manager : u))
  return [...new Set(swapped.filter((u): u is UserId => !!u))]
}

/** No approver found: approve the step, reject it, or give it to the administrators (default). */
function noApprover(d: Draft, step: ApprovalStep): StepOutcome {
  const rule = d.approval.noApprover ?? 'admin'
  const admins = rule === 'admin' ? d.ctx.org.admins().filter((u) => d.ctx.org.isActive(u)) : []
  if (admins.length) {
    const round = currentRound(d, step.id) + 1
    admins.forEach((admin, order) =>
      addTask(d, { step: step.id, round, assignee: admin, owner: admin, order, status: 'pending' }),
    )
    addHistory(d, {
      action: 'skip',
      by: null,
      step: step.id,
      comment: 'no approver: sent to the administrators',
      to: admins,
    })
    return 'open'
  }
  const approve = rule === 'approve'
  addHistory(d, {
    action: 'skip',
    by: null,
    step: step.id,
    comment: `no approver: ${approve ? 'approved' : 'rejected'}`,
  })
  return approve ? 'approved' : 'rejected'
}

/** Who approved (in person) the step completed last: they approve once only. */
function previousApprovers(d: Draft): Set<UserId> {
  const last = d.inst.completed.at(-1)
  if (!last) return new Set()
  const round = currentRound(d, last)
  const tasks = d.inst.tasks.filter(
    (t) => t.step === last && t.round === round && t.status === 'approved',
  )
  return new Set(tasks.flatMap((t) => [t.owner, t.originalOwner ?? t.owner]))
}
