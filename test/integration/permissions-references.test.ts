import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import { fixedClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import type { Db } from '../../runtime/db'
import { buildMetadataSet, createMetadataCache } from '../../runtime/registry'
import { APP_SCHEMA } from '../../runtime/schema'
import { buildApp, type AppEnv } from '../../server/app'
import { installDemo } from '../../server/cli/demo'
import { testTargets } from '../support/databases'

/**
 * With the SHIPPED roles over the demo: a sales rep cannot hang a contact or an opportunity on
 * another rep's customer, and learns nothing from trying (the answer of a missing id).
 */

type Json = Record<string, unknown>
const clock = fixedClock(new Date('2026-03-02T09:00:00Z'))

describe.each(testTargets())('references across reps with the shipped roles on $name', (target) => {
  let db: Db
  let close: () => Promise<void>
  let app: Hono<AppEnv>
  const tokens = new Map<string, string>()
  let eastCustomer: string
  let westCustomer: string

  const api = async (method: string, path: string, who: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${tokens.get(who)}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Json }
  }
  const count = async (table: string) => {
    const ident = sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(table)}`
    return (await db.query<{ n: number }>(sql`select count(*)::int as n from ${ident}`))[0].n
  }
  const customerOf = async (username: string) => {
    const rows = await db.query<{ id: string }>(sql`select c.id::text as id
      from ${sql.identifier(APP_SCHEMA)}.customer c join users u on u.id = c.owner
      where u.username = ${username} order by c.created_at limit 1`)
    if (!rows.length) throw new Error(`the demo gives ${username} no customer`)
    return rows[0].id
  }

  beforeAll(async () => {
    ;({ db, close } = await target.open())
    const empty = buildMetadataSet({ packages: [], entities: [], forms: [], views: [] }, 0)
    const ctx: Ctx = { db, user: SYSTEM_USER, clock, log: silentLogger, meta: empty }
    await installDemo(ctx, 0.1)
    app = buildApp({ db, clock, log: pino({ level: 'silent' }), metadata: createMetadataCache(db) })
    for (const username of ['rep_west1', 'rep_east1']) {
      const res = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'demo' }),
      })
      tokens.set(username, ((await res.json()) as { token: string }).token)
    }
    eastCustomer = await customerOf('rep_east1')
    westCustomer = await customerOf('rep_west1')
  }, 180_000)
  afterAll(() => close?.())

  it('refuses a contact on another rep’s customer exactly as on a missing one', async () => {
    const before = await count('contact')
    const foreign = await api('POST', '/api/data/contact', 'rep_west1', {
      name: 'Sneaky',
      customer: eastCustomer,
    })
    const missing = await api('POST', '/api/data/contact', 'rep_west1', {
      name: 'Sneaky',
      customer: randomUUID(),
    })
    expect(foreign.status).toBe(422)
    expect(foreign).toEqual(missing)
    expect(await count('contact')).toBe(before)
    const own = await api('POST', '/api/data/contact', 'rep_west1', {
      name: 'Fair',
      customer: westCustomer,
    })
    expect(own.status, JSON.stringify(own.body)).toBe(201)
  })

  it('refuses an opportunity on another rep’s customer, and it never reaches their lists', async () => {
    const body = (customer: string) => ({ name: 'Sneaky deal', stage: 'qualification', customer })
    const foreign = await api('POST', '/api/data/opportunity', 'rep_west1', body(eastCustomer))
    const missing = await api('POST', '/api/data/opportunity', 'rep_west1', body(randomUUID()))
    expect(foreign.status).toBe(422)
    expect(foreign).toEqual(missing)
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'name' }, 'Sneaky deal'] }))
    const theirs = await api('GET', `/api/data/opportunity?filter=${filter}`, 'rep_east1')
    expect(theirs.status).toBe(200)
    expect(theirs.body.data).toEqual([])
  })
})
