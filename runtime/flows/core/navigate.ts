import type { ApprovalNode } from '../../../metadata/flow'
import { type Enclosing, isParallel, isStep, locate, type Place, stepIdsIn } from './approval-tree'
import { holds } from './conditions'
import { addHistory, type Draft } from './draft'
import { finishApproved, finishRejected } from './outcome'
import { startStep } from './step-start'
import { cancelOpenTasks } from './tasks'

/** How far a walk got: steps wait for people, the path ran to its end, or a step rejected. */
type Walk = 'running' | 'done' | { rejected: string }

/** Runs the approval from a node's place (itself included) on, finishing it if the walk ends. */
export function runFrom(d: Draft, place: Place): void {
  settle(d, climb(d, place, place.index))
}

/** A step ended approved: it is completed, and the approval moves on from it. */
export function stepApproved(d: Draft, stepId: string): void {
  markDone(d, stepId)
  const place = locate(d.approval, stepId)!
  settle(d, climb(d, place, place.index + 1))
}

/** A step ended rejected: the approval is rejected. */
export function stepRejected(d: Draft, stepId: string): void {
  d.inst.active = d.inst.active.filter((s) => s !== stepId)
  finishRejected(d, stepId)
}

function settle(d: Draft, walk: Walk): void {
  if (walk === 'done') finishApproved(d)
  else if (walk !== 'running') finishRejected(d, walk.rejected)
}

/** Walks a list from `index`, then the lists around it as each one ends. */
function climb(d: Draft, place: Place, index: number): Walk {
  const walk = enterList(d, place.list, index, place.up)
  if (walk !== 'done' || !place.up) return walk
  const up = place.up
  if (isParallel(up.node)) {
    d.inst.joined.push(`${up.node.id}/${up.branch}`)
    if (
      !isJoined(
        d,
        up.node.id,
        up.node.parallel.map((b) => b.id),
      )
    )
      return 'running'
  }
  return climb(d, up.place, up.place.index + 1)
}

function enterList(d: Draft, list: ApprovalNode[], index: number, up?: Enclosing): Walk {
  for (let i = index; i < list.length; i++) {
    const walk = enterNode(d, list[i]!, { list, index: i, up })
    if (walk !== 'done') return walk
  }
  return 'done'
}

function enterNode(d: Draft, node: ApprovalNode, place: Place): Walk {
  if (isStep(node)) {
    if (!holds(node.when, d.ctx, `${node.id}.when`)) {
      addHistory(d, { action: 'skip', by: null, step: node.id })
      return 'done'
    }
    const outcome = startStep(d, node)
    if (outcome === 'open') return 'running'
    if (outcome === 'rejected') return { rejected: node.id }
    markDone(d, node.id)
    return 'done'
  }
  if (isParallel(node)) return enterParallel(d, node, place)
  const branch = node.branches.find((b, i) =>
    holds(b.when, d.ctx, `${node.id}.branches[${i}].when`),
  )
  if (!branch) return 'done'
  return enterList(d, branch.steps, 0, { node, branch: branch.id, place })
}

function enterParallel(
  d: Draft,
  node: Extract<ApprovalNode, { parallel: unknown }>,
  place: Place,
): Walk {
  d.inst.joined = d.inst.joined.filter((key) => !key.startsWith(`${node.id}/`))
  for (const branch of node.parallel) {
    const walk = enterList(d, branch.steps, 0, { node, branch: branch.id, place })
    if (walk === 'done') d.inst.joined.push(`${node.id}/${branch.id}`)
    else if (walk !== 'running') return walk
  }
  return isJoined(
    d,
    node.id,
    node.parallel.map((b) => b.id),
  )
    ? 'done'
    : 'running'
}

function isJoined(d: Draft, parallel: string, branches: string[]): boolean {
  return branches.every((b) => d.inst.joined.includes(`${parallel}/${b}`))
}

/** A step leaves the running set for the completed list; its open tasks close. */
function markDone(d: Draft, stepId: string): void {
  cancelOpenTasks(d, [stepId])
  d.inst.active = d.inst.active.filter((s) => s !== stepId)
  d.inst.completed.push(stepId)
  addHistory(d, { action: 'complete', by: null, step: stepId })
}

/** Every step id inside the approval's node list (for resets). */
export function allStepIds(d: Draft): string[] {
  return d.approval.steps.flatMap(stepIdsIn)
}
