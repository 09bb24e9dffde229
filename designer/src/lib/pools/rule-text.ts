import type { Labels } from '$metadata/labels'
import type { Pool } from '$metadata/pool'
import type { MessageKey } from '$lib/i18n/en'

/** How an assignment rule chose the owner, as the workspace words it. */
const HOW: Readonly<Record<string, MessageKey>> = {
  roundRobin: 'history.how.roundRobin',
  leastLoad: 'history.how.leastLoad',
  fallback: 'history.how.fallback',
}

/** An assignment as its history entry names it: the rule's label (or id) and how it chose. */
export interface RuleText {
  labels: Labels | null
  id: string
  how: MessageKey | null
}

/**
 * Reads the `<rule id>:<how>` an automatic assignment records, naming the rule by the label of
 * the published assignment definition (its id when none is published).
 * @example toRuleText('ticket-by-region:fallback', pools)
 *   // { labels: { en: 'Tickets by region', … }, id: 'ticket-by-region', how: 'history.how.fallback' }
 */
export function toRuleText(value: string, pools: readonly Pool[]): RuleText {
  const at = value.lastIndexOf(':')
  const id = at > 0 ? value.slice(0, at) : value
  const how = at > 0 ? (HOW[value.slice(at + 1)] ?? null) : null
  const rule = pools.find((p) => p.type === 'assignment' && p.id === id)
  return { labels: rule?.label ?? null, id, how }
}
