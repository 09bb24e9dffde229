import { sql, type SQL } from 'drizzle-orm'
import type { DedupRule } from '../../metadata/entity'
import type { Locale } from '../../metadata/labels'
import { toLabel } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ConflictError, type Issue } from '../errors'
import { dedupExpression, isNormalizedMatch } from '../schema/dedup-expression'
import type { EntityPlan } from './entity-plan'
import { isEmptyValue, type RecordData } from './record-data'

/** The predicate of one dedup rule for `record`, or null when a compared value is empty. */
export function rulePredicate(plan: EntityPlan, rule: DedupRule, record: RecordData): SQL | null {
  const parts: SQL[] = []
  for (const name of rule.fields) {
    const stored = plan.storedByName.get(name)
    let value = record[name]
    if (!stored || isEmptyValue(value)) return null
    if (stored.field.type === 'money') value = (value as { amount: number }).amount
    if (value !== null && typeof value === 'object') return null
    const column = stored.idents[0]
    if (isNormalizedMatch(rule, stored.field)) {
      parts.push(sql`${dedupExpression(column)} = ${dedupExpression(sql`${String(value)}::text`)}`)
    } else {
      parts.push(sql`${column} = ${value}`)
    }
  }
  return parts.length ? sql.join(parts, sql` and `) : null
}

/**
 * Applies the entity's de-duplication rules to a record about to be saved (`selfId` excluded on
 * update): a `block` match throws 409 naming the existing record, `warn` matches come back as
 * warnings. All rules run in one query.
 *
 * Concurrency: two simultaneous creates can both pass this check. For `block` rules the hard
 * guarantee is a unique expression index over `dedupExpression(column)` built by schema sync; a
 * unique violation then surfaces as a 409 from the write itself.
 */
export async function findDuplicates(
  ctx: Ctx,
  plan: EntityPlan,
  record: RecordData,
  selfId: string | null,
): Promise<Issue[]> {
  const rules = plan.entity.dedup ?? []
  const queries: SQL[] = []
  const title = plan.titleColumn ? sql`${sql.identifier(plan.titleColumn)}::text` : sql`id::text`
  rules.forEach((rule, i) => {
    const predicate = rulePredicate(plan, rule, record)
    if (!predicate) return
    const self = selfId ? sql` and id <> ${selfId}` : sql``
    queries.push(
      sql`(select ${i}::int as rule, id, ${title} as title from ${plan.table} where ${predicate}${self} limit 1)`,
    )
  })
  if (!queries.length) return []
  const rows = await ctx.db.query<{ rule: number; id: string; title: string | null }>(
    sql.join(queries, sql` union all `),
  )
  const locale = (ctx.user?.locale ?? 'en') as Locale
  const warnings: Issue[] = []
  for (const row of rows.sort((a, b) => a.rule - b.rule)) {
    const rule = rules[row.rule]
    const title = row.title ?? row.id
    const message = toLabel(rule.message, locale, `Duplicate of '${title}'`)
    const path = rule.fields[0]
    if (rule.action === 'block') {
      throw new ConflictError(
        `A record like this already exists: '${title}'`,
        [{ path, message }],
        {
          existing: { id: row.id, title },
        },
      )
    }
    warnings.push({ path, message })
  }
  return warnings
}
