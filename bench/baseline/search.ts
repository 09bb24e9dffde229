import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Context } from 'hono'
import type postgres from 'postgres'
import type { BaselineEnv } from './auth'
import { snake } from './related-lists'

const DEFAULT_LIMIT = 5
const MAX_LIMIT = 50

const ENTITY_FILE = fileURLToPath(
  new URL('../../seeds/customer/entities/customer.json', import.meta.url),
)

/** The customer's searched fields (title first) and subtitle fields, read once from its seed. */
export function readSearchFields(file: string = ENTITY_FILE) {
  const entity = JSON.parse(readFileSync(file, 'utf8')) as {
    titleField: string
    searchFields?: string[]
    subtitleFields?: string[]
  }
  const searched = [...(entity.searchFields ?? [])]
  if (!searched.includes(entity.titleField)) searched.unshift(entity.titleField)
  return { title: entity.titleField, searched, subtitle: entity.subtitleFields ?? [] }
}

const column = (field: string) => {
  const name = snake(field)
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected field name ${field}`)
  return `"${name}"`
}

/**
 * The customer search written by hand: a searched field contains the text, case folded; title
 * (name) prefixes first, then prefixes of another searched field, then newest. Which fields
 * matched and the subtitle are worked out for the kept rows only. Planned for each text (no
 * prepared statement): a rare word reads the trigram indexes, a common one may scan.
 */
export function buildSearchSql(fields = readSearchFields()): string {
  const searched = fields.searched.map(column)
  const matched = fields.searched.map((f, i) => `case when f${i} ilike $1 then '${f}' end`)
  const subtitle = fields.subtitle.length
    ? `json_build_object(${fields.subtitle.map((f, i) => `'${f}', s${i}::text`).join(', ')})`
    : 'null::json'
  return `
  select id, title, array_remove(array[${matched.join(', ')}]::text[], null) as matched,
    ${subtitle} as subtitle
  from (select id::text as id, ${column(fields.title)} as title, created_at,
      case when ${column(fields.title)} ilike $2 then 0
        when ${searched.map((c) => `${c} ilike $2`).join(' or ')} then 1 else 2 end as rank,
      ${[...searched.map((c, i) => `${c} as f${i}`), ...fields.subtitle.map((f, i) => `${column(f)} as s${i}`)].join(', ')}
    from app.customer
    where ${searched.map((c) => `${c} ilike $1`).join(' or ')}
    order by rank, created_at desc, customer.id desc
    limit $3) kept
  order by rank, created_at desc, id desc`
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&')

/**
 * `GET /api/search?q=&entities=customer&limit=`: the one-entity equivalent of Trellis' search,
 * answering its JSON (`data` of hits, `more` naming customer when there are more than `limit`).
 */
export function searchCustomers(sql: postgres.Sql) {
  const text = buildSearchSql()
  return async (c: Context<BaselineEnv>) => {
    const q = (c.req.query('q') ?? '').trim()
    const entities = c.req.query('entities') ?? 'customer'
    const limit = Number(c.req.query('limit') ?? DEFAULT_LIMIT)
    if (!q || q.length > 200 || q.includes('\u0000'))
      return c.json({ error: { code: 'bad_request', details: [{ path: 'q' }] } }, 400)
    if (entities !== 'customer')
      return c.json({ error: { code: 'bad_request', details: [{ path: 'entities' }] } }, 400)
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      return c.json({ error: { code: 'bad_request', details: [{ path: 'limit' }] } }, 400)
    const rows = await sql.unsafe(text, [`%${escapeLike(q)}%`, `${escapeLike(q)}%`, limit + 1], {
      prepare: false,
    })
    const data = rows.slice(0, limit).map((r) => ({
      entity: 'customer',
      id: String(r.id),
      title: r.title as string | null,
      matched: r.matched as string[],
      ...(r.subtitle ? { subtitle: r.subtitle as Record<string, string | null> } : {}),
    }))
    return c.json({ data, more: rows.length > limit ? ['customer'] : [] })
  }
}
