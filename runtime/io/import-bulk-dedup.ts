import type { DedupRule } from '../../metadata/entity'
import type { Ctx } from '../context'
import { ruleParts, type EntityPlan } from '../records'
import type { Planned } from './import-bulk-plan'
import { buildBulkDedupCheck, buildBulkDedupLocks, type DedupDoc } from './import-bulk-sql'

/**
 * A row whose key rule was locked before the key probe: the rule, the values locked and probed,
 * the key text, and the one record the probe found (null: none). Any record with those values
 * but that one is a duplicate, so the probe answered the rule's check for them.
 */
export interface AnsweredKey {
  rule: DedupRule
  values: string[]
  key: string
  id: string | null
}

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
 * A rule `answered` already checked for a row (locked, then probed, with the values the record
 * has) is neither locked nor checked again.
 */
export async function probeDedup(
  ctx: Ctx,
  plan: EntityPlan,
  planned: Planned[],
  answered: Map<number, AnsweredKey> = new Map(),
): Promise<DedupProbe> {
  const checks = new Map<DedupRule, DedupDoc[]>()
  const locks = new Map<DedupRule, DedupDoc[]>()
  const add = (into: Map<DedupRule, DedupDoc[]>, rule: DedupRule, doc: DedupDoc) => {
    const docs = into.get(rule) ?? []
    docs.push(doc)
    into.set(rule, docs)
  }
  const probe: DedupProbe = { keys: new Map(), blocked: new Set() }
  const all = plan.entity.dedup ?? []
  for (const item of planned) {
    if (item.kind !== 'create' && item.kind !== 'update') continue
    const self = item.kind === 'update' ? item.id : null
    const known = answered.get(item.row.number)
    for (const rule of item.checks) {
      const p = ruleParts(plan, rule, item.record)!.map(({ value }) => String(value))
      if (known?.rule === rule && known.id === self && sameTexts(known.values, p)) {
        const keys = probe.keys.get(item.row.number) ?? []
        keys.push(`${all.indexOf(rule)}\u001f${known.key}`)
        probe.keys.set(item.row.number, keys)
        continue
      }
      const doc = { n: item.row.number, s: self, p }
      add(checks, rule, doc)
      if (item.locks.includes(rule)) add(locks, rule, doc)
    }
  }
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

const sameTexts = (a: string[], b: string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i])
