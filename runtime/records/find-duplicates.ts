import { sql, type SQL } from 'drizzle-orm'
import type { DedupRule } from '../../metadata/entity'
import type { Locale } from '../../metadata/labels'
import { toLabel } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ConflictError, type Issue } from '../errors'
import { dedupExpression, isNormalizedMatch } from '../schema/dedup-expression'
import { hiddenFields, ownerColumn, scopePredicate } from '../permissions'
import type { EntityPlan } from './entity-plan'
import { ROW_ALIAS } from './record-access'
import { ruleParts } from './dedup-lock'
import type { RecordData } from './record-data'

/** The predicate of one dedup rule for `record`, or null when a compared value is empty. */
export function rulePredicate(
  plan: EntityPlan,
  rule: DedupRule,
  record: RecordData,
  alias?: string,
): SQL | null {
  const parts = ruleParts(plan, rule, record)
  if (!parts) return null
  const compared = parts.map(({ stored, value }) => {
    const column = alias ? sql`${sql.identifier(alias)}.${stored.idents[0]}` : stored.idents[0]
    return isNormalizedMatch(rule, stored.field)
      ? sql`${dedupExpression(column)} = ${dedupExpression(sql`${String(value)}::text`)}`
      : sql`${column} = ${value}`
  })
  return sql.join(compared, sql` and `)
}

/** One record a dedup rule matched, with whether the caller may read it. */
export interface MatchRow {
  rule: number
  id: string
  title: string | null
  owner_name: string | null
  readable: boolean
}

/**
 * Applies the entity's de-duplication rules to a record about to be saved (`selfId` excluded on
 * update): a `block` match throws 409 naming the existing record, `warn` matches come back as
 * warnings. All rules run in one query. A match the caller cannot read is told as the lookup
 * tells it (anti-collision): only that it exists, its title and its owner's name, never its id.
 *
 * Concurrency: on its own this check races (two creates can both find nothing). Writers that
 * fill a `block` rule use `writeUnderDedupLocks` instead, which runs this query after the rule's
 * lock, so the later writer sees the earlier one's committed row.
 */
export async function findDuplicates(
  ctx: Ctx,
  plan: EntityPlan,
  record: RecordData,
  selfId: string | null,
): Promise<Issue[]> {
  const query = buildDuplicateQuery(ctx, plan, record, selfId)
  if (!query) return []
  return toDuplicateWarnings(ctx, plan, await ctx.db.query<MatchRow>(query))
}

/**
 * The one query that finds a match per dedup rule the record fills (with `only`, per rule of that
 * action); null when it fills none.
 */
export function buildDuplicateQuery(
  ctx: Ctx,
  plan: EntityPlan,
  record: RecordData,
  selfId: string | null,
  only?: DedupRule['action'],
): SQL | null {
  const rules = plan.entity.dedup ?? []
  const queries: SQL[] = []
  const t = sql.identifier(ROW_ALIAS)
  const titleHidden = hiddenFields(ctx, plan.entity.id)?.has(plan.entity.titleField ?? '')
  const title =
    plan.titleColumn && !titleHidden
      ? sql`${t}.${sql.identifier(plan.titleColumn)}::text`
      : sql`null`
  const owner = sql`${t}.${sql.identifier(ownerColumn(plan.entity))}`
  const read = scopePredicate(ctx, plan.entity.id, 'read', { alias: ROW_ALIAS })
  const readable = read ? sql`coalesce(${read}, false)` : sql`true`
  // A readable match is named before an unreadable one.
  const order = read ? sql` order by readable desc` : sql``
  rules.forEach((rule, i) => {
    if (only && rule.action !== only) return
    const predicate = rulePredicate(plan, rule, record, ROW_ALIAS)
    if (!predicate) return
    const self = selfId ? sql` and ${t}.id <> ${selfId}` : sql``
    queries.push(
      sql`(select ${i}::int as rule, ${t}.id::text as id, ${title} as title,
        (select u.display_name from users u where u.id = ${owner}) as owner_name,
        ${readable} as readable
        from ${plan.table} ${t} where ${predicate}${self}${order} limit 1)`,
    )
  })
  return queries.length ? sql.join(queries, sql` union all `) : null
}

/** The matches as the write answers them: 409 for a `block` rule's match, else the warnings. */
export function toDuplicateWarnings(ctx: Ctx, plan: EntityPlan, rows: MatchRow[]): Issue[] {
  const rules = plan.entity.dedup ?? []
  const locale = (ctx.user?.locale ?? 'en') as Locale
  const warnings: Issue[] = []
  for (const row of [...rows].sort((a, b) => a.rule - b.rule)) {
    const rule = rules[row.rule]
    const { name, existing } = describeMatch(row)
    const message = toLabel(rule.message, locale, `Duplicate of ${name}`)
    const path = rule.fields[0]
    if (rule.action === 'block') {
      throw new ConflictError(`A record like this already exists: ${name}`, [{ path, message }], {
        existing,
      })
    }
    warnings.push({ path, message })
  }
  return warnings
}

/** How a match is named: readable → id and title; else title and owner's name only. */
function describeMatch(row: MatchRow): { name: string; existing: Record<string, unknown> } {
  if (row.readable) {
    const title = row.title ?? row.id
    return {
      name: `'${title}'`,
      existing: { id: row.id, title, ownerName: row.owner_name, readable: true },
    }
  }
  const owned = row.owner_name ? ` (owner: ${row.owner_name})` : ''
  return {
    name: `${row.title === null ? 'a record you cannot read' : `'${row.title}'`}${owned}`,
    existing: { title: row.title, ownerName: row.owner_name, readable: false },
  }
}
