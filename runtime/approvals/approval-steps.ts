import type { Approval, ApprovalNode, ApprovalStep, Flow } from '../../metadata/flow'
import { toLabel, type Locale } from '../../metadata/labels'

/** The approval a transition of the flow carries (undefined: none, or no such transition). */
export function approvalOf(flow: Flow | undefined, transition: string): Approval | undefined {
  return flow?.transitions.find((t) => t.id === transition)?.approval
}

/** The steps of an approval in the order they are written, branches and parallel blocks walked. Pure. */
export function stepsInOrder(approval: Approval | undefined): ApprovalStep[] {
  const out: ApprovalStep[] = []
  const walk = (nodes: ApprovalNode[]) => {
    for (const node of nodes) {
      if ('approvers' in node) out.push(node)
      else if ('branches' in node) node.branches.forEach((b) => walk(b.steps))
      else if ('parallel' in node) node.parallel.forEach((b) => walk(b.steps))
    }
  }
  walk(approval?.steps ?? [])
  return out
}

/**
 * A step's label in `locale`, from the flow definition; the step id when the definition no longer
 * has it. Pure.
 */
export function stepLabel(
  approval: Approval | undefined,
  step: string | null | undefined,
  locale: string,
): string | null {
  if (!step) return null
  const found = stepsInOrder(approval).find((s) => s.id === step)
  return found ? toLabel(found.label, locale as Locale, step) : step
}
