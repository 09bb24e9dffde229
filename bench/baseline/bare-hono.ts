// Bare Hono: no middleware, no database. Target 0's reference. It answers the same path Trellis is
// measured on (GET /api/meta/entities/customer) with the same definition, read once from the seed
// file and serialised once (as Trellis serialises a published definition once), so the difference
// is Trellis' middleware chain (request id, body limit, auth, metadata lookup), not the payload. Run: PORT=3102 npx tsx bench/baseline/bare-hono.ts
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const ENTITY_FILE = fileURLToPath(
  new URL('../../seeds/customer/entities/customer.json', import.meta.url),
)

/** The bare app: the customer definition and a tiny JSON route. */
export function buildBareHono(): Hono {
  const { $schema: _schema, ...entity } = JSON.parse(readFileSync(ENTITY_FILE, 'utf8')) as Record<
    string,
    unknown
  >
  const json = JSON.stringify(entity)
  return new Hono()
    .get('/api/meta/entities/customer', (c) =>
      c.body(json, 200, { 'content-type': 'application/json' }),
    )
    .get('/api/ping', (c) => c.json({ ok: true }))
}

if (process.argv[1]?.endsWith('bare-hono.ts')) {
  const server = serve(
    { fetch: buildBareHono().fetch, port: Number(process.env.PORT ?? 3102) },
    (info) => {
      console.log(`Bare Hono listening on http://localhost:${info.port}`)
    },
  )
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
  process.on('SIGINT', () => server.close(() => process.exit(0)))
}
