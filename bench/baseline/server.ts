// The hand-written reference server: Hono + postgres.js over the same `app.customer` table, no
// Trellis code. Run: DATABASE_URL=… PORT=3101 npx tsx bench/baseline/server.ts
import { randomBytes } from 'node:crypto'
import { serve } from '@hono/node-server'
import { Hono, type Context } from 'hono'
import postgres from 'postgres'
import { bearerAuth, type BaselineEnv } from './auth'
import { readCustomerInput } from './customer-input'
import {
  cappedCount,
  customerWithRelated,
  decodeKeyset,
  encodeKeyset,
  insertAudited,
  insertPlain,
  listPage,
  updateVersioned,
} from './customer-queries'
import { compileFilter } from './list-filter'
import { readRelatedSpecs, type RelatedSpec } from './related-lists'
import { scopeWhere, type BaselineScope } from './scopes'
import { searchCustomers } from './search'
import { baselineApprovalTransition, baselineTransition } from './transition'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const COUNT_CAP = Number(process.env.BASELINE_COUNT_CAP ?? 10_000)

function bad(
  c: Context,
  status: 400 | 404 | 409 | 422,
  code: string,
  details: unknown[] = [],
  extra = {},
) {
  return c.json({ error: { code, message: code, details, ...extra } }, status)
}

/** Only the related lists whose table exists in this database (modules may be missing). */
async function existingRelated(sql: postgres.Sql): Promise<RelatedSpec[]> {
  const tables =
    await sql`select table_name from information_schema.tables where table_schema = 'app'`
  const present = new Set(tables.map((t) => String(t.tableName)))
  return readRelatedSpecs().filter((r) => present.has(r.table))
}

/**
 * The customer list: keyset page newest first, optional filter and capped count; with a scope,
 * only the rows the caller's hand-written scope reaches.
 */
function listCustomers(sql: postgres.Sql, scope?: BaselineScope) {
  return async (c: Context<BaselineEnv>) => {
    const q = c.req.query()
    const limit = Math.min(Math.max(Number(q.limit ?? 20) || 20, 1), 200)
    let filters: ReturnType<typeof compileFilter> = []
    if (q.filter) {
      let parsed: unknown
      try {
        parsed = JSON.parse(q.filter)
      } catch {
        return bad(c, 400, 'bad_request', [{ path: 'filter', message: 'not JSON' }])
      }
      filters = compileFilter(sql, parsed)
      if (!filters) return bad(c, 400, 'bad_request', [{ path: 'filter', message: 'unsupported' }])
    }
    if (scope) filters = [scopeWhere(sql, scope, c.get('user').id), ...filters]
    const after = q.cursor ? decodeKeyset(q.cursor) : null
    if (q.cursor && !after)
      return bad(c, 400, 'bad_request', [{ path: 'cursor', message: 'invalid' }])
    const [page, total] = await Promise.all([
      listPage(sql, filters, after, limit),
      q.count === 'true' ? cappedCount(sql, filters, COUNT_CAP) : undefined,
    ])
    const nextCursor = page.next ? encodeKeyset(page.next) : null
    return c.json({ data: page.rows, nextCursor, ...total })
  }
}

/** Builds the baseline app over one postgres.js pool (same pool size as Trellis: 10). */
export function buildBaseline(sql: postgres.Sql, related: RelatedSpec[]): Hono<BaselineEnv> {
  const app = new Hono<BaselineEnv>()
  app.use('/api/*', bearerAuth(sql))
  app.get('/api/data/customer', listCustomers(sql))
  // The permissions bench: the same list with the caller's scope written by hand.
  app.get('/api/own/customer', listCustomers(sql, 'own'))
  app.get('/api/team/customer', listCustomers(sql, 'ownAndSubordinates'))
  // The search bench: one entity's ILIKE search, ranked and limited like Trellis'.
  app.get('/api/search', searchCustomers(sql))
  app.get('/api/data/customer/:id', async (c) => {
    const id = c.req.param('id')
    if (!UUID.test(id)) return bad(c, 404, 'not_found')
    const withRelated = c.req.query('related') === 'true'
    const row = withRelated
      ? await customerWithRelated(sql, id, related)
      : (await sql`select * from app.customer where id = ${id}`)[0]
    if (!row) return bad(c, 404, 'not_found')
    c.header('ETag', `"${row.version}"`)
    return c.json(row)
  })
  const create = (audited: boolean) => async (c: Context<BaselineEnv>) => {
    const input = readCustomerInput(await c.req.json().catch(() => null), false)
    if ('issues' in input) return bad(c, 422, 'validation_failed', input.issues)
    const user = c.get('user')
    const values = { ...input.values, createdBy: user.id, updatedBy: user.id }
    const row = audited ? await insertAudited(sql, values, user.id) : await insertPlain(sql, values)
    c.header('ETag', `"${row.version}"`)
    return c.json(row, 201)
  }
  app.post('/api/data/customer', create(true))
  app.post('/api/plain/customer', create(false))
  app.patch('/api/data/customer/:id', async (c) => {
    const id = c.req.param('id')
    if (!UUID.test(id)) return bad(c, 404, 'not_found')
    const version = Number((c.req.header('if-match') ?? '').replace(/"/g, ''))
    if (!Number.isInteger(version) || version < 1)
      return bad(c, 422, 'validation_failed', [{ path: 'version', message: 'is required' }])
    const input = readCustomerInput(await c.req.json().catch(() => null), true)
    if ('issues' in input) return bad(c, 422, 'validation_failed', input.issues)
    if (!Object.keys(input.values).length)
      return bad(c, 422, 'validation_failed', [{ path: '', message: 'nothing to change' }])
    const result = await updateVersioned(sql, id, version, input.values, c.get('user').id)
    if ('row' in result) {
      c.header('ETag', `"${result.row.version}"`)
      return c.json(result.row)
    }
    if (result.currentVersion === null) return bad(c, 404, 'not_found')
    return bad(
      c,
      409,
      'conflict',
      [{ path: 'version', message: `the current version is ${result.currentVersion}` }],
      { currentVersion: result.currentVersion },
    )
  })
  // The transition bench: the submission approvals.md asks for (instance with snapshot, task,
  // the approver's notice with signed links) with guard, audit and outbox in one transaction;
  // and the thin one (guard, audit, outbox, task) for orientation.
  const linkSecret = randomBytes(32)
  app.post(
    '/api/data/benchRequest/:id/transitions/:transition',
    baselineApprovalTransition(sql, linkSecret),
  )
  app.post('/api/thin/benchRequest/:id/transitions/:transition', baselineTransition(sql))
  return app
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is required')
  const sql = postgres(url, { max: 10, transform: postgres.camel, onnotice: () => {} })
  const related = await existingRelated(sql)
  const server = serve(
    { fetch: buildBaseline(sql, related).fetch, port: Number(process.env.PORT ?? 3101) },
    (info) => {
      console.log(`Baseline listening on http://localhost:${info.port}`)
    },
  )
  const stop = () => server.close(() => void sql.end({ timeout: 2 }).then(() => process.exit(0)))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

if (process.argv[1]?.endsWith('baseline/server.ts')) {
  main().catch((err: Error) => {
    console.error(err.message)
    process.exit(1)
  })
}
