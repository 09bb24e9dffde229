import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { listRecords } from '../../runtime/records'
import { buildMetadataSet, loadPublishedMetadata } from '../../runtime/registry'
import { ensureDemoAdmin, installModules, loadDemoData } from '../../server/cli/demo'
import { loadSeedBundle } from '../../seeds'
import { testTargets } from '../support/databases'

describe.each(testTargets())('the four shipped modules on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let ctx: Ctx
  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const empty = buildMetadataSet({ packages: [], entities: [], forms: [], views: [] }, 0)
    ctx = { db, user: SYSTEM_USER, clock: systemClock, log: silentLogger, meta: empty }
  })
  afterAll(() => close())

  it('install into an empty instance: a table for every entity', async () => {
    ctx = await installModules(ctx)
    const bundle = loadSeedBundle()
    const tables = await db.query<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'app'`,
    )
    expect(tables).toHaveLength(bundle.entities.length)
    expect((await loadPublishedMetadata(db)).entities.size).toBe(bundle.entities.length)
  })

  it('load the demo data through the records runtime, every rule applied', async () => {
    const admin = await ensureDemoAdmin(ctx)
    const count = await loadDemoData(ctx, admin, 0.1)
    expect(count).toBeGreaterThan(100)
    const asAdmin = { ...ctx, user: admin }
    for (const entity of ctx.meta.bundle.entities.filter((e) => !e.childOf)) {
      const { data } = await listRecords(asAdmin, entity.id, { limit: 1 })
      expect(data.length, entity.id).toBeLessThanOrEqual(1)
    }
    const { total } = await listRecords(asAdmin, 'customer', { count: true })
    expect(total).toBe(20)
    // One 'created' entry per record; roll-ups (order paid, last follow-up) add 'updated' ones.
    const [audited] = await db.query<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'created'`,
    )
    expect(audited.n).toBe(count)
    const [unpaid] = await db.query<{ n: number }>(sql`
      select count(*)::int as n from app.sales_order o
      where o.paid is distinct from (select coalesce(sum(p.amount), 0) from app.payment p where p.sales_order = o.id)
        or o.outstanding is distinct from o.total - o.paid`)
    expect(unpaid.n).toBe(0)
    const [followed] = await db.query<{ n: number }>(sql`
      select count(*)::int as n from app.customer c
      where c.last_follow_up_at is distinct from (select max(f.follow_up_at) from app.follow_up f where f.customer = c.id)`)
    expect(followed.n).toBe(0)
  })

  it('every shipped view, with its sort and each saved filter, runs against its table', async () => {
    const admin = await ensureDemoAdmin(ctx)
    const asAdmin = { ...ctx, user: admin }
    for (const view of ctx.meta.bundle.views) {
      const plain = await listRecords(asAdmin, view.entity, { sort: view.sort, limit: 5 })
      expect(plain.data.length, view.id).toBeGreaterThan(0)
      for (const saved of view.filters ?? []) {
        const result = await listRecords(asAdmin, view.entity, {
          filter: saved.filter,
          sort: view.sort,
          limit: 5,
        })
        expect(Array.isArray(result.data), `${view.id}.${saved.id}`).toBe(true)
      }
    }
  })
})
