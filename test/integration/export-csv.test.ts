import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../runtime/clock'
import { SYSTEM_USER, silentLogger, type Ctx } from '../../runtime/context'
import { exportCsv } from '../../runtime/io'
import { createMetadataCache } from '../../runtime/registry'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

/**
 * The clerk reads and creates only their own customers, never the email, and holds an `all` export
 * scope on them (an export never reaches past the read scope); quotes: read only.
 */
const bundle = {
  ...FIXTURE_BUNDLE,
  roles: [
    {
      id: 'clerk',
      label: { en: 'Clerk' },
      grants: [
        {
          entity: 'customer',
          scopes: { read: 'own', create: 'own', export: 'all' } as const,
          fields: { email: 'none' as const },
        },
        { entity: 'quote', scopes: { read: 'all' } as const },
      ],
    },
  ],
}

const BOM = '\uFEFF'

/** Lines of a CSV body whose cells hold no line breaks (Response.text() drops the BOM). */
const lines = (text: string) => text.replace(BOM, '').split('\r\n').filter(Boolean)

describe.each(testTargets())('CSV export on $name', (target) => {
  let f: AppFixture
  const adminNames = ['Admin Co 1', 'Admin Co 2', 'Admin Co 3']

  const get = (path: string, token: string) => f.call('GET', path, { token })
  const create = async (entity: string, body: unknown, token = f.adminToken) => {
    const res = await f.call('POST', `/api/data/${entity}`, { token, body })
    expect(res.status).toBe(201)
    return ((await res.json()) as { id: string }).id
  }

  beforeAll(async () => {
    f = await openAppFixture(target, { bundle })
    for (const name of adminNames) {
      await create('customer', {
        name,
        email: `${name.replace(/ /g, '')}@example.com`,
        revenue: { amount: 1250.5, currency: 'CNY' },
      })
    }
    await create('customer', { name: 'Clerk Co' }, f.clerkToken)
  })
  afterAll(async () => f?.close())

  it('gives an admin every record as UTF-8 CSV with a BOM and a header row', async () => {
    const res = await get('/api/data/customer/export', f.adminToken)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(text.startsWith(BOM)).toBe(true)
    const [header, ...rows] = lines(text)
    // Headed by the fields' labels in the caller's language, never their names; no id column.
    expect(header).toBe(
      'Name,Email,Employees,Status,Revenue,Revenue (currency),Since,VIP,Owner,Notes',
    )
    expect(rows).toHaveLength(4)
    expect(rows.find((r) => r.includes('Admin Co 1'))).toMatch(
      /^Admin Co 1,AdminCo1@example\.com,,,1250\.5,CNY,,,,$/,
    )
  })

  it('gives a restricted user only the rows they may read and never a hidden field', async () => {
    const res = await get('/api/data/customer/export', f.clerkToken)
    expect(res.status).toBe(200)
    const text = await res.text()
    const [header, ...rows] = lines(text)
    expect(header.split(',')).not.toContain('Email')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain('Clerk Co')
    expect(text).not.toContain('@example.com')
  })

  it('refuses an entity the caller has no export grant for with 403', async () => {
    const res = await get('/api/data/quote/export', f.clerkToken)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('export')
  })

  it('refuses a hidden field named in fields with 403 naming it', async () => {
    const res = await get('/api/data/customer/export?fields=name,email', f.clerkToken)
    expect(res.status).toBe(403)
    const body = (await res.json()) as { error: { details: { path: string; message: string }[] } }
    expect(JSON.stringify(body)).toContain("'email'")
  })

  it('exports only the named fields, in their order', async () => {
    const res = await get('/api/data/customer/export?fields=revenue,name', f.adminToken)
    expect(res.status).toBe(200)
    const [header, ...rows] = lines(await res.text())
    expect(header).toBe('Revenue,Revenue (currency),Name')
    expect(rows).toContain('1250.5,CNY,Admin Co 2')
  })

  it('answers 400 naming fields for an unknown field', async () => {
    const res = await get('/api/data/customer/export?fields=name,nope', f.adminToken)
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).toContain('"fields"')
    expect(text).toContain('nope')
  })

  it('answers 400 for a bad filter', async () => {
    const notJson = await get('/api/data/customer/export?filter=%7Bnope', f.adminToken)
    expect(notJson.status).toBe(400)
    const unknown = encodeURIComponent(JSON.stringify({ '==': [{ var: 'nope' }, 1] }))
    const res = await get(`/api/data/customer/export?filter=${unknown}`, f.adminToken)
    expect(res.status).toBe(400)
  })

  it('applies the filter and refuses filtering on a hidden field with 403', async () => {
    const rule = encodeURIComponent(JSON.stringify({ '==': [{ var: 'name' }, 'Admin Co 2'] }))
    const res = await get(`/api/data/customer/export?filter=${rule}&fields=name`, f.adminToken)
    expect(lines(await res.text())).toEqual(['Name', 'Admin Co 2'])
    const byEmail = encodeURIComponent(JSON.stringify({ '==': [{ var: 'email' }, 'x'] }))
    const hidden = await get(`/api/data/customer/export?filter=${byEmail}`, f.clerkToken)
    expect(hidden.status).toBe(403)
  })

  it('escapes quotes, commas and line breaks and defuses formulas', async () => {
    await create('quote', {
      title: 'Deal, "big"\nsecond line',
      tags: ['hot'],
    })
    await create('quote', { title: '=HYPERLINK("http://x")', tags: [] })
    await create('quote', { title: '@SUM(A1)' })
    await create('customer', { name: '-1+2', notes: { a: [1, 'b,c'] } })
    const quotes = await (
      await get('/api/data/quote/export?fields=title,tags', f.adminToken)
    ).text()
    // Select values are written as their labels (in the reader's language), not codes.
    expect(quotes).toContain('\r\n"Deal, ""big""\nsecond line",Hot\r\n')
    expect(quotes).toContain('\r\n"\'=HYPERLINK(""http://x"")",\r\n')
    expect(quotes).toContain("\r\n'@SUM(A1),\r\n")
    const customers = await (
      await get('/api/data/customer/export?fields=name,notes', f.adminToken)
    ).text()
    expect(customers).toContain('\r\n\'-1+2,"{""a"":[1,""b,c""]}"\r\n')
  })

  it('streams a multi-page export with every row exactly once', async () => {
    const ctx: Ctx = {
      db: f.db,
      user: SYSTEM_USER,
      clock: systemClock,
      log: silentLogger,
      meta: await createMetadataCache(f.db).current(),
      requestId: 'export-test',
    }
    for (let i = 0; i < 7; i++) await create('customer', { name: `Paged ${i}` })
    const expected = await (await get('/api/data/customer?limit=100', f.adminToken)).json()
    const ids = (expected as { data: { id: string }[] }).data.map((r) => r.id).sort()
    expect(ids.length).toBeGreaterThan(10)
    for (const sort of [undefined, '-createdAt', 'name']) {
      const chunks: string[] = []
      for await (const chunk of exportCsv(ctx, 'customer', { fields: 'id', sort, pageSize: 3 }))
        chunks.push(chunk)
      expect(chunks.length).toBeGreaterThan(4)
      const got = lines(chunks.join('')).slice(1)
      expect([...got].sort()).toEqual(ids)
    }
  })
})
