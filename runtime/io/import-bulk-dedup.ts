import type { DedupRule } from '../../metadata/entity'
import type { Ctx } from '../context'
import { ruleParts, type EntityPlan } from '../records'
import type { Planned } from './import-bulk-plan'
import { buildBulkDedupCheck, buildBulkDedupLocks, type DedupDoc } from './import-bulk-sql'

/** What the block rules say of a batch: each row's key texts, and the rows a stored record blocks. */
export interface DedupProbe {
  keys: Map<number, string[]>
  blocked: Set<number>
}

/**
 * The block rules of a batch's planned writes, as the per-row writes check them: first every
 * lock the rows take (rule by rule, key order), then, in the next statement and so in a snapshot
 * that sees whatever an earlier holder committed, whether a stored record (other than the one a
 * row updates) already has a row's key. A blocked row is left to the per-row path, which refuses
 * it naming the record; the key texts let the caller find rows of the file that share a key.
 */
export async function probeDedup(
  ctx: Ctx,
  plan: EntityPlan,
  planned: Planned[],
): Promise<DedupProbe> {
  const checks = new Map<DedupRule, DedupDoc[]>()
  const locks = new Map<DedupRule, DedupDoc[]>()
  const add = (into: Map<DedupRule, DedupDoc[]>, rule: DedupRule, doc: DedupDoc) => {
    const docs = into.get(rule) ?? []
    docs.push(doc)
    into.set(rule, docs)
  }
  for (const item of planned) {
    if (item.kind !== 'create' && item.kind !== 'update') continue
    const self = item.kind === 'update' ? item.id : null
    for (const rule of item.checks) {
      const p = ruleParts(plan, rule, item.record)!.map(({ value }) => String(value))
      const doc = { n: item.row.number, s: self, p }
      add(checks, rule, doc)
      if (item.locks.includes(rule)) add(locks, rule, doc)
    }
  }
  const probe: DedupProbe = { keys: new Map(), blocked: new Set() }
  if (locks.size) await ctx.db.query(buildBulkDedupLocks(plan, locks))
  if (!checks.size) return probe
  const rows = await ctx.db.query<{ n: number; rule: number; key: string; dup: boolean }>(
    buildBulkDedupCheck(plan, checks),
  )
  for (const { n, rule, key, dup } of rows) {
    const keys = probe.keys.get(Number(n)) ?? []
    keys.push(`${rule}\u001f${key}`)
    probe.keys.set(Number(n), keys)
    if (dup) probe.blocked.add(Number(n))
  }
  return probe
}
