import type { ApprovalNode } from '../../../metadata/flow'
import {
  childLists,
  isOnPathOf,
  isParallel,
  locate,
  parallelBranchesOf,
  stepIdsIn,
} from './approval-tree'
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

/**
 * Picks a stopped approval up at a step: it runs again, and so does each parallel lane beside
 * it that had not joined (at its first step not completed), so the join can still be reached.
 */
export function resumeAt(d: Draft, stepId: string): void {
  const lanes = [...parallelBranchesOf(d.approval, stepId)].flatMap(([parallelId, own]) => {
    const place = locate(d.approval, parallelId)!
    const node = place.list[place.index]!
    if (!isParallel(node)) return []
    return childLists(node)
      .filter((b) => b.id !== own && !d.inst.joined.includes(`${parallelId}/${b.id}`))
      .map((b) => {
        const done = (n: ApprovalNode) => stepIdsIn(n).every((s) => d.inst.completed.includes(s))
        const index = b.steps.findIndex((n) => !done(n))
        return {
          list: b.steps,
          index: index < 0 ? b.steps.length : index,
          up: { node, branch: b.id, place },
        }
      })
  })
  rewindTo(d, stepId)
  for (const lane of lanes) if (d.inst.status === 'running') runFrom(d, lane)
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
