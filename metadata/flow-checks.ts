import { validateUnique } from './duplicates'
import type {
  ApprovalNode,
  ApprovalStep,
  ApproverSource,
  Flow,
  FlowEffect,
  FlowTransition,
} from './flow'
import { toIssue, type MetadataIssue } from './issue'
import { joinPath } from './json-path'
import { validateRuleSize } from './rule-limits'

/** Calls `visit` for every node of an approval tree, depth first, with its JSON path. */
export function walkApprovalNodes(
  nodes: readonly ApprovalNode[],
  path: string,
  visit: (node: ApprovalNode, path: string) => void,
): void {
  nodes.forEach((node, i) => {
    const at = `${path}[${i}]`
    visit(node, at)
    if ('branches' in node)
      node.branches.forEach((b, j) =>
        walkApprovalNodes(b.steps, `${at}.branches[${j}].steps`, visit),
      )
    else if ('parallel' in node)
      node.parallel.forEach((b, j) =>
        walkApprovalNodes(b.steps, `${at}.parallel[${j}].steps`, visit),
      )
  })
}

function sourceIssues(sources: readonly ApproverSource[] | undefined, path: string) {
  const issues: MetadataIssue[] = []
  sources?.forEach((source, i) => {
    if (!('submitterPick' in source)) return
    const { min, max } = source.submitterPick
    if (min !== undefined && max !== undefined && min > max)
      issues.push(toIssue(`${path}[${i}].submitterPick.min`, `is more than max (${max})`))
  })
  return issues
}

function stepIssues(step: ApprovalStep, path: string): MetadataIssue[] {
  const issues = [
    ...sourceIssues(step.approvers, `${path}.approvers`),
    ...sourceIssues(step.cc, `${path}.cc`),
  ]
  if (step.mode === 'vote' && step.threshold === undefined && !step.complete)
    issues.push(toIssue(`${path}.threshold`, 'a vote step needs a threshold (0 < threshold ≤ 1)'))
  if (step.threshold !== undefined && step.mode !== 'vote')
    issues.push(toIssue(`${path}.threshold`, "is used only with mode 'vote'"))
  if (step.when !== undefined) issues.push(...validateRuleSize(step.when, `${path}.when`))
  for (const key of ['approve', 'reject'] as const)
    if (step.complete?.[key] !== undefined)
      issues.push(...validateRuleSize(step.complete[key], `${path}.complete.${key}`))
  const after = step.timeout?.after
  if (after && (after.days ?? 0) + (after.hours ?? 0) + (after.minutes ?? 0) <= 0)
    issues.push(toIssue(`${path}.timeout.after`, 'must be longer than 0'))
  if (step.timeout?.repeat !== undefined && step.timeout.action !== 'remind')
    issues.push(toIssue(`${path}.timeout.repeat`, "is used only with action 'remind'"))
  return issues
}

/** Step ids unique across the whole tree; branch ids unique within their node; rule sizes. */
function approvalTreeIssues(nodes: readonly ApprovalNode[], path: string): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  const seen = new Set<string>()
  walkApprovalNodes(nodes, path, (node, at) => {
    if (seen.has(node.id)) issues.push(toIssue(`${at}.id`, `duplicate step id '${node.id}'`))
    seen.add(node.id)
    if ('branches' in node) {
      issues.push(
        ...validateUnique(
          node.branches,
          (b) => b.id,
          (j) => `${at}.branches[${j}].id`,
          'branch id',
        ),
      )
      node.branches.forEach((b, j) => {
        if (b.when !== undefined)
          issues.push(...validateRuleSize(b.when, `${at}.branches[${j}].when`))
      })
    } else if ('parallel' in node) {
      issues.push(
        ...validateUnique(
          node.parallel,
          (b) => b.id,
          (j) => `${at}.parallel[${j}].id`,
          'branch id',
        ),
      )
    } else issues.push(...stepIssues(node, at))
  })
  return issues
}

function effectIssues(effects: readonly FlowEffect[] | undefined, path: string): MetadataIssue[] {
  const issues: MetadataIssue[] = []
  const names = new Set<string>()
  effects?.forEach((effect, i) => {
    const at = `${path}[${i}].params`
    for (const [name, rule] of Object.entries(effect.params.values))
      issues.push(...validateRuleSize(rule, joinPath(`${at}.values`, name)))
    if (effect.type !== 'create') return
    if (names.has(effect.params.as))
      issues.push(toIssue(`${at}.as`, `'${effect.params.as}' names an earlier created record`))
    names.add(effect.params.as)
    effect.params.children?.forEach((c, j) => {
      for (const [name, rule] of Object.entries(c.values))
        issues.push(...validateRuleSize(rule, joinPath(`${at}.children[${j}].values`, name)))
    })
  })
  return issues
}

function transitionIssues(
  flow: Flow,
  t: FlowTransition,
  path: string,
  finals: ReadonlySet<string>,
): MetadataIssue[] {
  const states = new Set(flow.states.map((s) => s.id))
  const issues: MetadataIssue[] = []
  const expectState = (id: string | undefined, at: string) => {
    if (id !== undefined && !states.has(id))
      issues.push(toIssue(at, `no state '${id}' in the flow`))
  }
  t.from.forEach((s, j) => {
    expectState(s, `${path}.from[${j}]`)
    if (finals.has(s))
      issues.push(toIssue(`${path}.from[${j}]`, `'${s}' is final: no transition leaves it`))
  })
  expectState(t.to, `${path}.to`)
  if (t.guard !== undefined) issues.push(...validateRuleSize(t.guard, `${path}.guard`))
  const required = new Set(t.requires ?? [])
  t.inputs?.forEach((f, j) => {
    if (required.has(f)) issues.push(toIssue(`${path}.inputs[${j}]`, `'${f}' is also in requires`))
  })
  issues.push(...effectIssues(t.effects, `${path}.effects`))
  const approval = t.approval
  if (!approval) return issues
  expectState(approval.pending, `${path}.approval.pending`)
  expectState(approval.rejected, `${path}.approval.rejected`)
  expectState(approval.recalled, `${path}.approval.recalled`)
  if (finals.has(approval.pending))
    issues.push(toIssue(`${path}.approval.pending`, `'${approval.pending}' is final`))
  if (approval.when !== undefined)
    issues.push(...validateRuleSize(approval.when, `${path}.approval.when`))
  issues.push(...sourceIssues(approval.cc, `${path}.approval.cc`))
  issues.push(...approvalTreeIssues(approval.steps, `${path}.approval.steps`))
  return issues
}

/**
 * The problems of a flow a schema cannot see, each at its path: repeated state, transition and
 * step ids (step ids unique across an approval, branch ids within their node), not exactly one
 * initial state, transitions and approval states naming no state of the flow, a transition out
 * of a final state, a vote without threshold, a zero timeout, min above max, rule sizes.
 * @example validateFlow(flow) // [{ path: 'transitions[1].to', message: "no state 'lost' in the flow" }]
 */
export function validateFlow(flow: Flow): MetadataIssue[] {
  const issues = [
    ...validateUnique(
      flow.states,
      (s) => s.id,
      (i) => `states[${i}].id`,
      'state id',
    ),
    ...validateUnique(
      flow.transitions,
      (t) => t.id,
      (i) => `transitions[${i}].id`,
      'transition id',
    ),
  ]
  const initial = flow.states.filter((s) => s.initial)
  if (initial.length === 0) issues.push(toIssue('states', 'needs exactly one initial state'))
  flow.states.forEach((s, i) => {
    if (s.initial && initial[0] !== s)
      issues.push(
        toIssue(`states[${i}].initial`, `'${initial[0].id}' is already the initial state`),
      )
  })
  const finals = new Set(flow.states.filter((s) => s.final).map((s) => s.id))
  flow.transitions.forEach((t, i) =>
    issues.push(...transitionIssues(flow, t, `transitions[${i}]`, finals)),
  )
  return issues
}
