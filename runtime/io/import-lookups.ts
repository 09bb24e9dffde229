import { sql, type SQL } from 'drizzle-orm'
import type { Field } from '../../metadata/field'
import { toLabel, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { listDepartments } from '../org'
import { scopePredicate } from '../permissions'
import { entityPlan, type EntityPlan } from '../records'
import { isUuid } from '../records/record-data'

/** What one looked-up text resolved to: exactly one id, or why not. */
export type Resolved = { id: string } | { issue: string }

/** text → ids per field (a child table's field apart from a record field of the same name). */
export type LookupTable = Map<Field, Map<string, string[]>>

/** The columns a record of `plan` is found by: its title, auto-numbers and unique text fields. */
function keyColumns(plan: EntityPlan): SQL[] {
  const names = new Set<string>()
  if (plan.entity.titleField) names.add(plan.entity.titleField)
  for (const field of plan.entity.fields)
    if (field.type === 'autoNumber' || (field.unique && field.type === 'text'))
      names.add(field.name)
  return [...names].flatMap((n) => plan.storedByName.get(n)?.idents.slice(0, 1) ?? [])
}

function addMatch(table: Map<string, string[]>, text: string, id: string): void {
  const ids = table.get(text) ?? []
  if (!ids.includes(id)) ids.push(id)
  table.set(text, ids)
}

/** Records of the target entity whose title, code or id is one of `texts`, in the read scope. */
async function findRecords(
  ctx: Ctx,
  field: Field,
  texts: string[],
): Promise<Map<string, string[]>> {
  const plan = entityPlan(ctx.meta, field.entity!)
  const values = sql.join(
    texts.map((t) => sql`${t}`),
    sql`, `,
  )
  const columns = keyColumns(plan)
  const matches = columns.map((c) => sql`${c}::text in (${values})`)
  const ids = texts.filter(isUuid)
  if (ids.length)
    matches.push(
      sql`id in (${sql.join(
        ids.map((t) => sql`${t}::uuid`),
        sql`, `,
      )})`,
    )
  const table = new Map<string, string[]>()
  if (!matches.length) return table
  const scope = scopePredicate(ctx, plan.entity.id, 'read')
  const where = scope
    ? sql`(${sql.join(matches, sql` or `)}) and ${scope}`
    : sql.join(matches, sql` or `)
  const keys = sql.join([sql`id::text`, ...columns.map((c) => sql`${c}::text`)], sql`, `)
  const rows = await ctx.db.query<Record<string, string | null>>(
    sql`select array[${keys}] as keys from ${plan.table} where ${where}`,
  )
  const wanted = new Set(texts)
  for (const row of rows) {
    const [id, ...found] = row.keys as unknown as (string | null)[]
    for (const key of [id, ...found]) if (key !== null && wanted.has(key)) addMatch(table, key, id!)
  }
  return table
}

/** Active users by username (any case) or display name. */
async function findUsers(ctx: Ctx, texts: string[]): Promise<Map<string, string[]>> {
  const values = sql.join(
    texts.map((t) => sql`${t}`),
    sql`, `,
  )
  const lower = sql.join(
    texts.map((t) => sql`${t.toLowerCase()}`),
    sql`, `,
  )
  const rows = await ctx.db.query<{ id: string; username: string; display_name: string }>(
    sql`select id::text as id, username, display_name from users
      where not disabled and (lower(username) in (${lower}) or display_name in (${values}))`,
  )
  const table = new Map<string, string[]>()
  for (const text of texts) {
    for (const row of rows)
      if (row.username.toLowerCase() === text.toLowerCase() || row.display_name === text)
        addMatch(table, text, row.id)
  }
  return table
}

/** Departments by name or by path from the top (`Sales/East`). */
async function findDepartments(ctx: Ctx, texts: string[]): Promise<Map<string, string[]>> {
  const all = await listDepartments(ctx)
  const byId = new Map(all.map((d) => [d.id, d]))
  const pathOf = (id: string, seen = new Set<string>()): string => {
    const d = byId.get(id)!
    if (!d.parentId || seen.has(d.parentId) || !byId.has(d.parentId)) return d.name
    seen.add(id)
    return `${pathOf(d.parentId, seen)}/${d.name}`
  }
  const table = new Map<string, string[]>()
  const wanted = new Set(texts.map((t) => t.replace(/\s*\/\s*/g, '/')))
  for (const d of all) {
    const path = pathOf(d.id)
    for (const key of [d.name, path, d.id]) if (wanted.has(key)) addMatch(table, key, d.id)
  }
  return table
}

/**
 * Resolves the looked-up texts of a batch, one query per field: references by the target's
 * title, auto-number, unique text field or id (in the caller's read scope: a record the caller
 * cannot see is not found), users by username or display name, departments by name or path.
 */
export async function resolveLookups(
  ctx: Ctx,
  texts: Map<Field, Set<string>>,
): Promise<LookupTable> {
  const out: LookupTable = new Map()
  for (const [field, set] of texts) {
    if (!set.size) continue
    const list = [...set]
    const found =
      field.type === 'user'
        ? await findUsers(ctx, list)
        : field.type === 'department'
          ? await findDepartments(ctx, list)
          : await findRecords(ctx, field, list)
    out.set(field, found)
  }
  return out
}

/** One text's resolution: never a guess when several records match. */
export function toResolved(ctx: Ctx, table: LookupTable, field: Field, text: string): Resolved {
  const key = field.type === 'department' ? text.replace(/\s*\/\s*/g, '/') : text
  const ids = table.get(field)?.get(key) ?? []
  if (ids.length === 1) return { id: ids[0] }
  const what =
    field.type === 'reference'
      ? toLabel(
          ctx.meta.entities.get(field.entity!)?.label,
          (ctx.user?.locale ?? 'en') as Locale,
          field.entity,
        )
      : field.type
  if (!ids.length) return { issue: `no ${what} '${text}' found` }
  return { issue: `'${text}' matches ${ids.length} ${what} records: use a code or id` }
}
