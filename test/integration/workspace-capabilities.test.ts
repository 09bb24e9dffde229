import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { buildMetadataSet, createMetadataCache } from '../../runtime/registry'
import { buildApp } from '../../server/app'
import { installDemo } from '../../server/cli/demo'
import { testTargets } from '../support/databases'

/**
 * What the workspace is told over the shipped modules and demo: each entity's actions and
 * read-only fields, each record's update/delete/share/transfer, and pickers' search by code with
 * a second line.
 */

type Json = Record<string, unknown>

describe.each(testTargets())('capabilities and picker search on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let app: ReturnType<typeof buildApp>
  const tokens = new Map<string, string>()

  async function api(who: string, path: string, init: { method?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(who)}` }
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    const res = await app.request(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json }
  }

  async function login(username: string, password: string) {
    const res = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`)
    tokens.set(username, ((await res.json()) as { token: string }).token)
  }

  /** GET /api/meta/entities as `who`: each entity's `can`, by id. */
  async function entityCan(who: string) {
    const { body } = await api(who, '/api/meta/entities')
    const rows = body.data as { id: string; can: { actions: string[]; readOnlyFields: string[] } }[]
    return new Map(rows.map((r) => [r.id, r.can]))
  }

  /** One record of `entity` owned (owner field or creator) by `who`, else any. */
  async function someRecord(entity: string, column: string, who?: string): Promise<string> {
    const owner = who
      ? sql`where ${sql.identifier(column)} = (select id from users where username = ${who})`
      : sql``
    const rows = await db.query<{ id: string }>(
      sql`select id::text as id from ${sql.identifier('app')}.${sql.identifier(entity)} ${owner} limit 1`,
    )
    if (!rows[0]) throw new Error(`no ${entity} for ${who}`)
    return rows[0].id
  }

  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const empty = buildMetadataSet({ packages: [], entities: [], forms: [], views: [] }, 0)
    const ctx: Ctx = {
      db,
      user: SYSTEM_USER,
      clock: { now: () => new Date() },
      log: silentLogger,
      meta: empty,
    }
    await installDemo(ctx, 0.1)
    app = buildApp({
      db,
      clock: { now: () => new Date() },
      log: pino({ level: 'silent' }),
      metadata: createMetadataCache(db),
    })
    await login('admin', 'admin')
    for (const who of ['agent1', 'rep_east1', 'mgr_east']) await login(who, 'demo')
  }, 180_000)
  afterAll(async () => close?.())

  it('tells each user the actions their roles grant per entity', async () => {
    const agent = await entityCan('agent1')
    expect(agent.get('lead')!.actions).toEqual([])
    expect(agent.get('ticket')!.actions).toEqual(
      expect.arrayContaining(['read', 'create', 'update']),
    )
    const rep = await entityCan('rep_east1')
    expect(rep.get('campaign')!.actions).toEqual(['read'])
    expect(rep.get('lead')!.actions).toEqual(expect.arrayContaining(['read', 'create']))
    expect(rep.get('followUp')!.readOnlyFields).toContain('managerComment')
    const admin = await entityCan('admin')
    expect(admin.get('lead')!.actions).toContain('delete')
    expect(admin.get('followUp')!.readOnlyFields).toEqual([])
  })

  it("answers a record's update, delete, share and transfer rights and read-only fields", async () => {
    const campaign = await someRecord('campaign', 'owner')
    const asRep = await api('rep_east1', `/api/data/campaign/${campaign}?can=true`)
    expect(asRep.status).toBe(200)
    expect(asRep.body.can).toMatchObject({ update: false, delete: false, transfer: false })
    const asAdmin = await api('admin', `/api/data/campaign/${campaign}?can=true`)
    expect(asAdmin.body.can).toMatchObject({ update: true, delete: true, share: true })
    // Without the parameter the record answers as before.
    expect((await api('rep_east1', `/api/data/campaign/${campaign}`)).body).not.toHaveProperty(
      'can',
    )

    const followUp = await someRecord('follow_up', 'owner', 'rep_east1')
    const own = await api('rep_east1', `/api/data/followUp/${followUp}?can=true`)
    expect(own.status).toBe(200)
    expect(own.body.can).toMatchObject({ update: true, delete: true, share: true })
    expect((own.body.can as Json).readOnlyFields).toContain('managerComment')
    // The rep may not give it away (no assign right): its owner field is read-only for them.
    expect((own.body.can as Json).transfer).toBe(false)
    expect((own.body.can as Json).readOnlyFields).toContain('owner')
    const boss = await api('mgr_east', `/api/data/followUp/${followUp}?can=true`)
    expect((boss.body.can as Json).readOnlyFields).not.toContain('managerComment')
    expect((asAdmin.body.can as Json).readOnlyFields).not.toContain('owner')
    expect((boss.body.can as Json).share).toBe(true)
  })

  it('answers 404, not rights, for a record the caller cannot read', async () => {
    const lead = await someRecord('lead', 'owner')
    expect((await api('agent1', `/api/data/lead/${lead}?can=true`)).status).toBe(404)
    const other = await someRecord('follow_up', 'owner', 'rep_west1')
    expect((await api('rep_east1', `/api/data/followUp/${other}?can=true`)).status).toBe(404)
  })

  it('finds a product by its code and a customer by its number, with the second line', async () => {
    const made = await api('admin', '/api/data/product', {
      method: 'POST',
      body: {
        code: 'P90002',
        name: '工业控制器',
        spec: 'TR-900 IP65',
        price: { amount: 5000, currency: 'CNY' },
      },
    })
    expect(made.status).toBe(201)
    const byCode = await api('rep_east1', '/api/search?q=P10001&entities=product')
    expect(byCode.status).toBe(200)
    const hits = byCode.body.data as { title: string; subtitle: Json; matched: string[] }[]
    expect(hits.map((h) => h.subtitle.code)).toEqual(['P10001'])
    expect(hits[0].matched).toContain('code')
    expect(typeof hits[0].subtitle.spec).toBe('string')
    const same = await api(
      'rep_east1',
      `/api/search?q=${encodeURIComponent('工业控制器')}&entities=product`,
    )
    const specs = (same.body.data as { subtitle: Json }[]).map((h) => h.subtitle.spec)
    expect(specs).toContain('TR-900 IP65')
    expect(new Set(specs).size).toBe(specs.length)

    const [customer] = await db.query<{ code: string }>(sql`select code from app.customer limit 1`)
    const byNumber = await api('admin', `/api/search?q=${customer.code}&entities=customer`)
    const found = byNumber.body.data as { subtitle: Json }[]
    expect(found.map((h) => h.subtitle.code)).toEqual([customer.code])
  })
})
