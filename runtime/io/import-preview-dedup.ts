import type { Locale } from '../../metadata/labels'
import { toLabel } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ConflictError, type Issue } from '../errors'
import { findDuplicates, normalizeForDedup, type EntityPlan, type RecordData } from '../records'
import { ruleParts } from '../records/dedup-lock'

/**
 * What a preview says of a row the run would refuse as a duplicate (a `block` de-duplication
 * rule): a stored record it matches (named as the write names it, in the anti-collision wording
 * when the caller cannot read it), or an earlier row of the same file that the run would have
 * written first (unless `inFile` is false). Rows without other problems are checked, in file order.
 * @example const duplicates = previewDuplicates(ctx, plan); issues.push(...(await duplicates(3, input)))
 */
export function previewDuplicates(
  ctx: Ctx,
  plan: EntityPlan,
): (number: number, input: RecordData, inFile?: boolean) => Promise<Issue[]> {
  const rules = (plan.entity.dedup ?? []).filter((r) => r.action === 'block')
  const seen = new Map<string, number>()
  const locale = (ctx.user?.locale ?? 'en') as Locale
  return async (number, input, inFile = true) => {
    if (!rules.length) return []
    try {
      await findDuplicates(ctx, plan, input, null)
    } catch (err) {
      if (err instanceof ConflictError) return err.details
      throw err
    }
    if (!inFile) return []
    const keys: string[] = []
    for (const rule of rules) {
      const parts = ruleParts(plan, rule, input)
      if (!parts) continue
      const text = parts.map(({ value }) =>
        rule.match === 'normalized' ? normalizeForDedup(String(value)) : String(value),
      )
      const key = JSON.stringify([rule.id, ...text])
      const first = seen.get(key)
      if (first !== undefined) {
        const message = rule.message
          ? `${toLabel(rule.message, locale)} (row ${first})`
          : `Duplicate of row ${first}`
        return [{ path: rule.fields[0], message }]
      }
      keys.push(key)
    }
    for (const key of keys) seen.set(key, number)
    return []
  }
}
