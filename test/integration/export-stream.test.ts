import { sql } from 'drizzle-orm'
import v8 from 'node:v8'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

/*
 * An export of 100,000 records is streamed: the file (about 30 MB of CSV) is written page by
 * page as the client reads it, and what the process keeps alive meanwhile stays flat. Measured
 * as the heap left after a full collection, sampled while the body is read.
 */
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
const MB = 1024 * 1024
const ROWS = 100_000

/** Reads a body to the end, keeping nothing; answers its size and the heap retained every ½ MB. */
async function drain(res: Response): Promise<{ bytes: number; samples: number[] }> {
  const reader = res.body!.getReader()
  const samples: number[] = []
  let bytes = 0
  let next = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return { bytes, samples }
    bytes += value.length
    if (bytes >= next) {
      gc()
      samples.push(process.memoryUsage().heapUsed)
      next = bytes + MB / 2
    }
  }
}

describe.each(testTargets())('a 100,000-row export on $name', (target) => {
  let f: AppFixture

  beforeAll(async () => {
    f = await openAppFixture(target)
    const res = await f.call('POST', '/api/data/customer', {
      token: f.adminToken,
      body: { name: 'Seed', email: 'seed@example.com', notes: { text: 'n'.repeat(150) } },
    })
    expect(res.status).toBe(201)
    const columns = await f.db.query<{ column_name: string }>(
      sql`select column_name from information_schema.columns
        where table_schema = 'app' and table_name = 'customer' and column_name <> 'id'`,
    )
    const list = sql.join(
      columns.map((c) => sql.identifier(c.column_name)),
      sql`, `,
    )
    const copied = sql.join(
      columns.map((c) =>
        c.column_name === 'name'
          ? sql`'Customer ' || g || ' ' || repeat('x', 80)`
          : sql.identifier(c.column_name),
      ),
      sql`, `,
    )
    await f.db.query(
      sql`insert into app.customer (id, ${list})
        select gen_random_uuid(), ${copied} from app.customer, generate_series(1, ${ROWS - 1}) g`,
    )
  }, 120_000)
  afterAll(async () => f?.close())

  for (const format of ['csv', 'xlsx'] as const) {
    it(`streams it as ${format} with the retained heap flat`, async () => {
      gc()
      const before = process.memoryUsage().heapUsed
      const res = await f.call('GET', `/api/data/customer/export?format=${format}`, {
        token: f.adminToken,
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('x-total-count')).toBe(String(ROWS))
      const { bytes, samples } = await drain(res)
      const peak = Math.max(...samples) - before
      console.info(
        `[export ${format}] ${(bytes / MB).toFixed(1)} MB in ${samples.length} samples; retained heap peak +${(peak / MB).toFixed(1)} MB`,
      )
      // Without the id column (left out by default) the XLSX file is about 4 MB.
      expect(bytes).toBeGreaterThan(format === 'csv' ? 25 * MB : 3 * MB)
      expect(samples.length).toBeGreaterThan(5)
      // Holding the file (or its rows) would retain tens of MB; a stream keeps a page or two.
      expect(peak).toBeLessThan(24 * MB)
    }, 300_000)
  }
})
