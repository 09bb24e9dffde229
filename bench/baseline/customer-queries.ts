import type postgres from 'postgres'
import type { RelatedSpec } from './related-lists'

type Fragment = postgres.PendingQuery<postgres.Row[]>
type Row = postgres.Row

/** The keyset position after a page: created_at as PostgreSQL text (microseconds kept) and id. */
export interface Keyset {
  ts: string
  id: string
}

/** Encodes a keyset as an opaque cursor. */
export function encodeKeyset(key: Keyset): string {
  return Buffer.from(JSON.stringify([key.ts, key.id])).toString('base64url')
}

/** Decodes a cursor made by `encodeKeyset`, or null when it is not one. */
export function decodeKeyset(text: string): Keyset | null {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown
    if (!Array.isArray(parsed) || parsed.length !== 2) return null
    const [ts, id] = parsed as unknown[]
    return typeof ts === 'string' && typeof id === 'string' ? { ts, id } : null
  } catch {
    return null
  }
}

function where(sql: postgres.Sql, parts: Fragment[]): Fragment {
  if (!parts.length) return sql``
  return sql`where ${parts.reduce((acc, p) => sql`${acc} and ${p}`)}`
}

/**
 * One page, newest first, by keyset on (created_at, id) — served by the (created_at, id) index.
 * Fetches limit + 1 rows: the extra one says there is a next page.
 */
export async function listPage(
  sql: postgres.Sql,
  filters: Fragment[],
  after: Keyset | null,
  limit: number,
): Promise<{ rows: Row[]; next: Keyset | null }> {
  const parts = [...filters]
  if (after) parts.push(sql`(created_at, id) < (${after.ts}::timestamptz, ${after.id}::uuid)`)
  const rows = await sql`
    select *, created_at::text as keyset_ts from app.customer ${where(sql, parts)}
    order by created_at desc, id desc limit ${limit + 1}`
  const more = rows.length > limit
  const page = more ? rows.slice(0, limit) : [...rows]
  const last = page[page.length - 1]
  const next = more && last ? { ts: String(last.keysetTs), id: String(last.id) } : null
  for (const row of page) delete row.keysetTs
  return { rows: page, next }
}

/** Matching rows counted up to `cap` (+1 tells "more than cap"): bounded work on big tables. */
export async function cappedCount(
  sql: postgres.Sql,
  filters: Fragment[],
  cap: number,
): Promise<{ total: number; totalCapped: boolean }> {
  const [row] = await sql`
    select count(*)::int as n from (select 1 from app.customer ${where(sql, filters)} limit ${cap + 1}) s`
  const n = Number(row.n)
  return { total: Math.min(n, cap), totalCapped: n > cap }
}

/**
 * A customer and each related list trimmed to its limit + 1, newest first, in one statement
 * (each subquery uses the reference column's index).
 */
export async function customerWithRelated(
  sql: postgres.Sql,
  id: string,
  related: RelatedSpec[],
): Promise<Row | null> {
  const lists = related.map(
    (r, i) => sql`, (select coalesce(json_agg(x), '[]'::json) from (
        select * from ${sql(`app.${r.table}`)} where ${sql(r.column)} = t.id
        order by created_at desc, id desc limit ${r.limit + 1}) x) as ${sql(`rel${i}`)}`,
  )
  const [row] = await sql`
    select t.* ${lists.reduce((acc, l) => sql`${acc}${l}`, sql``)}
    from app.customer t where t.id = ${id}`
  if (!row) return null
  const out: Row = { ...row, related: {} }
  related.forEach((r, i) => {
    const data = (out[`rel${i}`] as Row[] | null) ?? []
    delete out[`rel${i}`]
    out.related[r.id] = { data: data.slice(0, r.limit), hasMore: data.length > r.limit }
  })
  return out
}

/** The plain insert: one statement, nothing else. */
export async function insertPlain(sql: postgres.Sql, values: Row): Promise<Row> {
  const [row] = await sql`insert into app.customer ${sql(values)} returning *`
  return row
}

/** Insert + audit row + outbox row in one statement (data-modifying CTEs: one round trip, atomic). */
export async function insertAudited(sql: postgres.Sql, values: Row, userId: string): Promise<Row> {
  const changes = JSON.stringify(
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { after: v }])),
  )
  const [row] = await sql`
    with c as (insert into app.customer ${sql(values)} returning *),
    a as (insert into audit_log (entity, record_id, action, user_id, changes, version)
      select 'customer', c.id, 'create', ${userId}, ${changes}::jsonb, c.version from c),
    o as (insert into outbox (entity, record_id, event, payload, user_id)
      select 'customer', c.id, 'created', to_jsonb(c), ${userId} from c)
    select * from c`
  return row
}

/**
 * Optimistic-lock update + audit + outbox in one statement: `where id and version` makes a stale
 * writer miss (0 rows), never overwrite. On a miss the current version is read for the 409.
 */
export async function updateVersioned(
  sql: postgres.Sql,
  id: string,
  version: number,
  patch: Row,
  userId: string,
): Promise<{ row: Row } | { currentVersion: number | null }> {
  const changes = JSON.stringify(
    Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, { after: v }])),
  )
  const [row] = await sql`
    with u as (update app.customer set ${sql(patch)}, version = version + 1, updated_at = now(),
        updated_by = ${userId}
      where id = ${id} and version = ${version} returning *),
    a as (insert into audit_log (entity, record_id, action, user_id, changes, version)
      select 'customer', u.id, 'update', ${userId}, ${changes}::jsonb, u.version from u),
    o as (insert into outbox (entity, record_id, event, payload, user_id)
      select 'customer', u.id, 'updated', ${changes}::jsonb, ${userId} from u)
    select * from u`
  if (row) return { row }
  const [current] = await sql`select version from app.customer where id = ${id}`
  return { currentVersion: current ? Number(current.version) : null }
}
