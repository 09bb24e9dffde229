import { sql } from 'drizzle-orm'
import type { Ctx } from '../context'
import { scopePredicate } from '../permissions'
import { APP_SCHEMA, tableName } from '../schema'

/** A stored notification as the list reads it. */
export interface StoredNotification {
  id: string
  alert: string | null
  entity: string | null
  recordId: string | null
  title: string
  body: string | null
  createdAt: string
  readAt: string | null
}

/** A notification as its recipient sees it. */
export interface Notification extends StoredNotification {
  /**
   * true when it names a record the recipient cannot read now: then entity, recordId, alert and
   * body are null and the title is a neutral sentence in the recipient's language.
   */
  withheld: boolean
}

const NEUTRAL_TITLES: Record<string, string> = {
  en: 'A notification about a record you can no longer open',
  'zh-CN': '一条关于您已无法查看的记录的通知',
  ko: '더 이상 열 수 없는 레코드에 대한 알림',
}

/** The neutral title of a withheld notification in `locale` (English when unknown). */
export function neutralTitle(locale: string | undefined): string {
  return NEUTRAL_TITLES[locale ?? 'en'] ?? NEUTRAL_TITLES.en
}

/**
 * The rule: a notification that names a record keeps its link, title and body only while the
 * recipient may read that record now (its read scope, shares included, as for GET of the
 * record). A record deleted, moved out of their scope (transferred to another owner), of an
 * entity no longer published or no longer granted is withheld: no link, no body, a neutral
 * title — the stored title may quote the record. One query per entity named on the page.
 * @example await withholdUnreadable(ctx, rows) // [{ …, withheld: false }, { …, withheld: true }]
 */
export async function withholdUnreadable(
  ctx: Ctx,
  rows: StoredNotification[],
): Promise<Notification[]> {
  const byEntity = new Map<string, string[]>()
  for (const row of rows) {
    if (!row.entity || !row.recordId) continue
    byEntity.set(row.entity, [...(byEntity.get(row.entity) ?? []), row.recordId.toLowerCase()])
  }
  const readable = new Set<string>()
  for (const [entityId, ids] of byEntity) {
    for (const id of await readableIds(ctx, entityId, ids)) readable.add(`${entityId}:${id}`)
  }
  const title = neutralTitle(ctx.user?.locale)
  return rows.map((row) => {
    if (!row.entity || !row.recordId) return { ...row, withheld: false }
    if (readable.has(`${row.entity}:${row.recordId.toLowerCase()}`))
      return { ...row, withheld: false }
    return {
      ...row,
      alert: null,
      entity: null,
      recordId: null,
      title,
      body: null,
      withheld: true,
    }
  })
}

/** Of `ids`, those the caller may read; none when the entity is not published. */
async function readableIds(ctx: Ctx, entityId: string, ids: string[]): Promise<string[]> {
  const entity = ctx.meta.entities.get(entityId)
  if (!entity) return []
  const scope = scopePredicate(ctx, entity.id, 'read', { alias: 't' })
  const table = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(tableName(entity))}`
  const list = sql.join(
    [...new Set(ids)].map((id) => sql`${id}::uuid`),
    sql`, `,
  )
  const rows = await ctx.db.query<{ id: string }>(
    sql`select t.id::text as id from ${table} t where t.id in (${list}) and coalesce(${scope ?? sql`true`}, false)`,
  )
  return rows.map((r) => r.id)
}
