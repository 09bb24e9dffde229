import type { Labels } from '$metadata/labels'
import type { Pool } from '$metadata/pool'
import type { MessageKey } from '$lib/i18n/en'

/** Reasons an automatic reclaim records: the workspace names them itself. */
export const RECLAIM_REASONS: Readonly<Record<string, MessageKey>> = {
  noFollowUp: 'history.reason.noFollowUp',
  noDeal: 'history.reason.noDeal',
}

/**
 * The return reasons of published pool definitions, by value (the first pool naming a value wins).
 * @example toReasonLabels([east]).get('noNeed') // { en: 'No need', 'zh-CN': '无需求' }
 */
export function toReasonLabels(pools: readonly Pool[]): Map<string, Labels> {
  const labels = new Map<string, Labels>()
  for (const pool of pools) {
    if (pool.type !== 'pool') continue
    for (const r of pool.returnReasons ?? []) if (!labels.has(r.value)) labels.set(r.value, r.label)
  }
  return labels
}

/** How a history entry's reason reads: a reclaim's by key, a pool's by its label, else as typed. */
export type ReasonText = { key: MessageKey } | { labels: Labels } | { raw: string }

/**
 * Decides how a recorded reason is shown.
 * @example toReasonText('noFollowUp', new Map()) // { key: 'history.reason.noFollowUp' }
 */
export function toReasonText(value: string, labels: ReadonlyMap<string, Labels>): ReasonText {
  const pooled = labels.get(value)
  if (pooled) return { labels: pooled }
  const key = RECLAIM_REASONS[value]
  return key ? { key } : { raw: value }
}
