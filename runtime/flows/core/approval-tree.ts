import type {
  Approval,
  ApprovalBranches,
  ApprovalNode,
  ApprovalParallel,
  ApprovalStep,
} from '../../../metadata/flow'

/** Where a node sits: its list, its index there, and the branch that list belongs to. */
export interface Place {
  list: ApprovalNode[]
  index: number
  up?: Enclosing
}

/** The branches or parallel node around a list, the branch it is, and where that node sits. */
export interface Enclosing {
  node: ApprovalBranches | ApprovalParallel
  branch: string
  place: Place
}

/** Whether a node is a step (rather than branches or a parallel block). */
export function isStep(node: ApprovalNode): node is ApprovalStep {
  return 'approvers' in node
}

/** Whether a node is a parallel block. */
export function isParallel(node: ApprovalNode): node is ApprovalParallel {
  return 'parallel' in node
}

/** The place of the node with `id` in an approval (undefined: no such node). */
export function locate(approval: Approval, id: string): Place | undefined {
  return locateIn(approval.steps, id, undefined)
}

function locateIn(list: ApprovalNode[], id: string, up: Enclosing | undefined): Place | undefined {
  for (let index = 0; index < list.length; index++) {
    const node = list[index]!
    const place: Place = { list, index, up }
    if (node.id === id) return place
    for (const branch of childLists(node)) {
      const found = locateIn(branch.steps, id, {
        node: node as Enclosing['node'],
        branch: branch.id,
        place,
      })
      if (found) return found
    }
  }
  return undefined
}

/** The lists a node holds (its branches), none for a step. */
export function childLists(node: ApprovalNode): { id: string; steps: ApprovalNode[] }[] {
  if ('branches' in node) return node.branches
  if ('parallel' in node) return node.parallel
  return []
}

/** The step with `id` (undefined: none). */
export function findStep(approval: Approval, id: string): ApprovalStep | undefined {
  const place = locate(approval, id)
  const node = place?.list[place.index]
  return node && isStep(node) ? node : undefined
}

/** The parallel branches around a node, outermost first, as `parallel id` → branch id. */
export function parallelBranchesOf(approval: Approval, id: string): Map<string, string> {
  const out = new Map<string, string>()
  for (let up = locate(approval, id)?.up; up; up = up.place.up) {
    if (isParallel(up.node)) out.set(up.node.id, up.branch)
  }
  return out
}

/**
 * Whether `later` runs after `from` on the same path: false only when some parallel block holds
 * both in different branches (those run side by side, neither after the other).
 */
export function isOnPathOf(approval: Approval, from: string, later: string): boolean {
  const a = parallelBranchesOf(approval, from)
  const b = parallelBranchesOf(approval, later)
  for (const [parallel, branch] of a) {
    if (b.has(parallel) && b.get(parallel) !== branch) return false
  }
  return true
}

/** Every step id inside a node (itself for a step). */
export function stepIdsIn(node: ApprovalNode): string[] {
  if (isStep(node)) return [node.id]
  return childLists(node).flatMap((branch) => branch.steps.flatMap(stepIdsIn))
}
