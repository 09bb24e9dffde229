import type { ApprovalNode, ApprovalStep, Flow } from '$metadata/flow'
import type { PickView } from '$lib/api/flows'

/** Every step of an approval tree, branches and parallel ones included, in definition order. */
function stepsOf(nodes: ApprovalNode[]): ApprovalStep[] {
  return nodes.flatMap((node) => {
    if ('branches' in node) return node.branches.flatMap((b) => stepsOf(b.steps))
    if ('parallel' in node) return node.parallel.flatMap((p) => stepsOf(p.steps))
    return [node]
  })
}

/**
 * The approvers a submitter picks when firing a transition: one entry per step whose approvers
 * include `submitterPick` (with its role and how many), from the flow's definition.
 * @example submitterPicks(flow, 'submit') // [{ step: 'reviewers', label: {…}, min: 1, max: 2 }]
 */
export function submitterPicks(flow: Flow, transition: string): PickView[] {
  const approval = flow.transitions.find((t) => t.id === transition)?.approval
  if (!approval) return []
  return stepsOf(approval.steps).flatMap((step) => {
    const source = step.approvers.find((a) => 'submitterPick' in a)
    if (!source || !('submitterPick' in source)) return []
    const { role, min, max } = source.submitterPick
    return [{ step: step.id, label: step.label, role, min, max }]
  })
}
