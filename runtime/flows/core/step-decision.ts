import type { ApprovalStep, StepMode } from '../../../metadata/flow'
import type { ApprovalTask } from '../approval-instance'
import { hasManagerChain } from './approvers'
import { holds } from './conditions'
import type { Draft } from './draft'
import { stepHistory } from './step-history'
import { openTask, roundTasks } from './tasks'

export type StepOutcome = 'open' | 'approved' | 'rejected'

/** The counts completion rules see (with `history`, see step-history.ts). */
export interface StepCounts {
  approved: number
  rejected: number
  total: number
  pending: number
}

/** A step's mode: as written, else in turn for a manager chain, else or-sign. */
export function modeOf(step: ApprovalStep): StepMode {
  return step.mode ?? (hasManagerChain(step) ? 'sequence' : 'any')
}

/** Counts over a round's tasks; cancelled ones (removed signers, closed steps) do not count. */
export function countTasks(tasks: ApprovalTask[]): StepCounts {
  const live = tasks.filter((t) => t.status !== 'cancelled')
  const count = (ok: (t: ApprovalTask) => boolean) => live.filter(ok).length
  return {
    approved: count((t) => t.status === 'approved'),
    rejected: count((t) => t.status === 'rejected' || t.status === 'returned'),
    total: live.length,
    pending: count((t) => t.status === 'pending' || t.status === 'waiting'),
  }
}

/**
 * Where a step stands after its tasks changed: the `complete` rules first (over the counts, the
 * round's `history`, the record and `$user`), then its mode. An in-turn step that is still open
 * hands the turn on.
 */
export function decideStep(d: Draft, step: ApprovalStep): StepOutcome {
  const tasks = roundTasks(d, step.id)
  const counts = countTasks(tasks)
  const outcome = byRules(d, step, counts, tasks) ?? byMode(step, counts)
  if (outcome === 'open' && modeOf(step) === 'sequence') handTurnOn(d, tasks)
  return outcome
}

function byRules(
  d: Draft,
  step: ApprovalStep,
  counts: StepCounts,
  round: ApprovalTask[],
): StepOutcome | undefined {
  const rules = step.complete
  if (!rules) return undefined
  const extra = { ...counts, history: stepHistory(round, d.inst.history, d.ctx.org) }
  if (rules.approve && holds(rules.approve, d.ctx, `${step.id}.complete.approve`, extra)) {
    return 'approved'
  }
  if (rules.reject && holds(rules.reject, d.ctx, `${step.id}.complete.reject`, extra)) {
    return 'rejected'
  }
  return counts.pending > 0 ? 'open' : undefined
}

/** The decision a mode gives over the counts. */
export function byMode(step: ApprovalStep, c: StepCounts): StepOutcome {
  switch (modeOf(step)) {
    case 'any':
      if (c.approved > 0) return 'approved'
      return c.rejected > 0 || c.total === 0 ? 'rejected' : 'open'
    case 'vote': {
      const threshold = step.threshold ?? 0.5
      if (c.total > 0 && c.approved / c.total >= threshold) return 'approved'
      return (c.approved + c.pending) / Math.max(c.total, 1) < threshold ? 'rejected' : 'open'
    }
    default:
      if (c.rejected > 0) return 'rejected'
      return c.pending > 0 ? 'open' : 'approved'
  }
}

/** In turn: when nobody is pending, the first waiting approver's turn comes. */
function handTurnOn(d: Draft, tasks: ApprovalTask[]): void {
  if (tasks.some((t) => t.status === 'pending')) return
  const next = tasks.filter((t) => t.status === 'waiting').sort((a, b) => a.order - b.order)[0]
  if (next) openTask(d, next)
}
