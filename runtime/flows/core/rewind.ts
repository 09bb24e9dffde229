import { isOnPathOf, locate, parallelBranchesOf } from './approval-tree'
import type { Draft } from './draft'
import { runFrom } from './navigate'
import { cancelOpenTasks } from './tasks'

/**
 * Runs the approval again from an earlier step: the steps running after it are cancelled and
 * it and the steps after it leave the completed list, then it starts a new round.
 */
export function rewindTo(d: Draft, stepId: string): void {
  forgetFrom(d, stepId)
  runFrom(d, locate(d.approval, stepId)!)
}

/** Drops a step and what came after it on its path from the running, completed and joined sets. */
export function forgetFrom(d: Draft, stepId: string): void {
  const after = (s: string) => s === stepId || isOnPathOf(d.approval, stepId, s)
  const at = d.inst.completed.indexOf(stepId)
  const later = d.inst.active.filter(after)
  cancelOpenTasks(d, later)
  d.inst.active = d.inst.active.filter((s) => !later.includes(s))
  d.inst.completed = d.inst.completed.filter((s, i) => (at < 0 || i < at ? true : !after(s)))
  const branches = parallelBranchesOf(d.approval, stepId)
  d.inst.joined = d.inst.joined.filter((key) => {
    const [parallel, branch] = key.split('/')
    return branches.get(parallel!) !== branch
  })
}
