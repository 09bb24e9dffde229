import { toIssue, type MetadataIssue } from './issue'

/** How deep and how large a rule may be; bigger rules are refused when a definition is saved. */
export const RULE_LIMITS = { maxDepth: 32, maxNodes: 2000 } as const

/** Depth (nesting of arrays and objects) and node count (every JSON value) of a rule. */
export function measureRule(rule: unknown): { depth: number; nodes: number } {
  let nodes = 0
  let depth = 0
  // Iterative walk: a hostile rule must not overflow the stack. Stops once both limits are passed.
  const stack: [unknown, number][] = [[rule, 0]]
  while (stack.length > 0) {
    const [value, level] = stack.pop()!
    nodes += 1
    if (value === null || typeof value !== 'object') continue
    depth = Math.max(depth, level + 1)
    if (nodes > RULE_LIMITS.maxNodes && depth > RULE_LIMITS.maxDepth) break
    const children = Array.isArray(value) ? value : Object.values(value)
    for (const child of children) stack.push([child, level + 1])
  }
  return { depth, nodes }
}

/** Issues for a rule that is nested deeper or has more nodes than `RULE_LIMITS` allow. */
export function validateRuleSize(rule: unknown, path: string): MetadataIssue[] {
  const { depth, nodes } = measureRule(rule)
  const issues: MetadataIssue[] = []
  if (depth > RULE_LIMITS.maxDepth) {
    issues.push(toIssue(path, `rule is nested more than ${RULE_LIMITS.maxDepth} levels deep`))
  }
  if (nodes > RULE_LIMITS.maxNodes) {
    issues.push(toIssue(path, `rule has more than ${RULE_LIMITS.maxNodes} nodes`))
  }
  return issues
}
