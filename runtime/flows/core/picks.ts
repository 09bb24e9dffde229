import type { ApprovalNode, ApproverSource } from '../../../metadata/flow'
import type { Rule } from '../../../metadata/rule'
import { ValidationError, type Issue } from '../../errors'
import type { OrgView, UserId } from '../approval-instance'
import { childLists, isStep } from './approval-tree'
import type { RefusalWords } from './refusal-words'

type Pick = Extract<ApproverSource, { submitterPick: unknown }>['submitterPick']

/**
 * Checks the submitter's picks against the steps that let them pick: known steps only, each
 * user active and holding the allowed role, at most `max`; at least `min` (default 1) for the
 * steps the approval will reach as things stand (`holds` says which conditions hold now).
 * Throws a ValidationError naming `picks.<step>`, worded by `w`.
 */
export function assertPicks(
  steps: ApprovalNode[],
  picks: Record<string, UserId[]>,
  org: OrgView,
  holds: (rule: Rule | undefined) => boolean,
  w: RefusalWords,
): void {
  const all = pickRules(steps, () => true)
  const reached = pickRules(steps, holds)
  const issues: Issue[] = []
  for (const step of Object.keys(picks)) {
    if (!all.has(step))
      issues.push({ path: `picks.${step}`, message: w.text('pickNoStep', { step: w.step(step) }) })
  }
  for (const [step, rule] of all) {
    const needed = reached.has(step) ? rule : { ...rule, min: 0 }
    issues.push(...pickIssues(step, needed, picks[step] ?? [], org, w))
  }
  if (issues.length) throw new ValidationError(w.text('picksDontFit'), issues)
}

function pickIssues(
  step: string,
  rule: Pick,
  users: unknown,
  org: OrgView,
  w: RefusalWords,
): Issue[] {
  const path = `picks.${step}`
  if (!Array.isArray(users)) return [{ path, message: w.text('pickList') }]
  const unique = [...new Set(users)]
  const min = rule.min ?? 1
  const named = { step: w.step(step), min: String(min), max: String(rule.max) }
  if (unique.length < min) return [{ path, message: w.text('pickAtLeast', named) }]
  if (rule.max !== undefined && unique.length > rule.max) {
    return [{ path, message: w.text('pickAtMost', named) }]
  }
  return unique.flatMap((user, i) => {
    if (typeof user !== 'string' || !org.isActive(user)) {
      return [{ path: `${path}[${i}]`, message: w.text('notActiveUser') }]
    }
    if (rule.role && !org.hasRole(user, rule.role)) {
      return [{ path: `${path}[${i}]`, message: w.text('lacksRole', { role: w.role(rule.role) }) }]
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
