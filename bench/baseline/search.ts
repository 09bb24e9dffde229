import type { Context } from 'hono'
import type postgres from 'postgres'
import type { BaselineEnv } from './auth'

const DEFAULT_LIMIT = 5
const MAX_LIMIT = 50

// The customer search written by hand: the title (name) and the phone contain the text, case
// folded; name prefixes first, then phone prefixes, then newest. Planned for each text (no
// prepared statement): a rare word reads the trigram indexes, a common one may scan.
const SEARCH_SQL = `
  select id::text as id, name as title,
    array_remove(array[case when name ilike $1 then 'name' end,
      case when phone ilike $1 then 'phone' end], null) as matched
  from app.customer
  where name ilike $1 or phone ilike $1
  order by case when name ilike $2 then 0 when phone ilike $2 then 1 else 2 end,
    created_at desc, id desc
  limit $3`

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&')

/**
 * `GET /api/search?q=&entities=customer&limit=`: the one-entity equivalent of Trellis' search,
 * answering its JSON (`data` of hits, `more` naming customer when there are more than `limit`).
 */
export function searchCustomers(sql: postgres.Sql) {
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
    const rows = await sql.unsafe(
      SEARCH_SQL,
      [`%${escapeLike(q)}%`, `${escapeLike(q)}%`, limit + 1],
      {
        prepare: false,
      },
    )
    const data = rows.slice(0, limit).map((r) => ({
      entity: 'customer',
      id: String(r.id),
      title: r.title as string | null,
      matched: r.matched as string[],
    }))
    return c.json({ data, more: rows.length > limit ? ['customer'] : [] })
  }
}
