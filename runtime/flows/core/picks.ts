import type { ApprovalNode, ApproverSource } from '../../../metadata/flow'
import type { Rule } from '../../../metadata/rule'
import { ValidationError, type Issue } from '../../errors'
import type { OrgView, UserId } from '../approval-instance'
import { childLists, isStep } from './approval-tree'

type Pick = Extract<ApproverSource, { submitterPick: unknown }>['submitterPick']

/**
 * Checks the submitter's picks against the steps that let them pick: known steps only, each
 * user active and holding the allowed role, at most `max`; at least `min` (default 1) for the
 * steps the approval will reach as things stand (`holds` says which conditions hold now).
 * Throws a ValidationError naming `picks.<step>`.
 */
export function assertPicks(
  steps: ApprovalNode[],
  picks: Record<string, UserId[]>,
  org: OrgView,
  holds: (rule: Rule | undefined) => boolean,
): void {
  const all = pickRules(steps, () => true)
  const reached = pickRules(steps, holds)
  const issues: Issue[] = []
  for (const step of Object.keys(picks)) {
    if (!all.has(step)) issues.push({ path: `picks.${step}`, message: 'this step takes no picks' })
  }
  for (const [step, rule] of all) {
    const needed = reached.has(step) ? rule : { ...rule, min: 0 }
    issues.push(...pickIssues(step, needed, picks[step] ?? [], org))
  }
  if (issues.length) throw new ValidationError('The picked approvers do not fit', issues)
}

function pickIssues(step: string, rule: Pick, users: unknown, org: OrgView): Issue[] {
  const path = `picks.${step}`
  if (!Array.isArray(users)) return [{ path, message: 'must be a list of user ids' }]
  const unique = [...new Set(users)]
  const min = rule.min ?? 1
  if (unique.length < min) return [{ path, message: `pick at least ${min}` }]
  if (rule.max !== undefined && unique.length > rule.max) {
    return [{ path, message: `pick at most ${rule.max}` }]
  }
  return unique.flatMap((user, i) => {
    if (typeof user !== 'string' || !org.isActive(user)) {
      return [{ path: `${path}[${i}]`, message: 'is not an active user' }]
    }
    if (rule.role && !org.hasRole(user, rule.role)) {
      return [{ path: `${path}[${i}]`, message: `does not hold the role '${rule.role}'` }]
    }
    return []
  })
}

/** Step id → its pick rule, for the steps with a `submitterPick` source that `holds` reaches. */
function pickRules(
  steps: ApprovalNode[],
  holds: (rule: Rule | undefined) => boolean,
): Map<string, Pick> {
  const out = new Map<string, Pick>()
  for (const node of steps) {
    if (isStep(node)) {
      const source = node.approvers.find((s) => 'submitterPick' in s)
      if (source && 'submitterPick' in source && holds(node.when)) {
        out.set(node.id, source.submitterPick)
      }
    }
    const lists =
      'branches' in node ? node.branches.filter((b) => holds(b.when)).slice(0, 1) : childLists(node)
    for (const branch of lists) {
      for (const [k, v] of pickRules(branch.steps, holds)) out.set(k, v)
    }
  }
  return out
}
