import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] }
}
type Rec = Record<string, unknown> & { id: string; version: number }

const MISSING_ID = '00000000-0000-4000-8000-000000000001'

describe.each(testTargets())('API records on $name', (target) => {
  let f: AppFixture
  beforeAll(async () => {
    f = await openAppFixture(target)
  })
  afterAll(() => f?.close())

  const call = (
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) => f.call(method, path, { token: f.adminToken, ...init })

  const customers = async () => {
    const res = await call('GET', '/api/data/customer?limit=500')
    expect(res.status).toBe(200)
    return ((await res.json()) as { data: Rec[] }).data
  }

  /** Expects a 4xx naming `path`, and the customer table unchanged. */
  const expectRefused = async (res: Response, status: number, path: string) => {
    const text = await res.text()
    expect(res.status, text).toBe(status)
    const body = JSON.parse(text) as ErrorBody
    expect(
      body.error.details.map((d) => d.path),
      text,
    ).toContain(path)
  }

  it('creates, reads, lists, updates, shows the history of and deletes a record', async () => {
    const created = await call('POST', '/api/data/customer', {
      body: {
        name: 'Acme',
        email: 'sales@acme.test',
        employees: 12,
        status: 'lead',
        revenue: { amount: 1200.5, currency: 'CNY' },
      },
    })
    expect(created.status, await created.clone().text()).toBe(201)
    expect(created.headers.get('etag')).toBe('"1"')
    const record = (await created.json()) as Rec
    expect(record).toMatchObject({
      name: 'Acme',
      employees: 12,
      version: 1,
      revenue: { amount: 1200.5, currency: 'CNY' },
    })

    const one = await call('GET', `/api/data/customer/${record.id}`)
    expect(one.status).toBe(200)
    expect(one.headers.get('etag')).toBe('"1"')
    expect(await one.json()).toMatchObject({ id: record.id, name: 'Acme' })

    const list = await call('GET', '/api/data/customer?count=true&sort=-name&limit=10')
    const page = (await list.json()) as { data: Rec[]; nextCursor: string | null; total: number }
    expect(page.data.map((r) => r.id)).toContain(record.id)
    expect(page.total).toBeGreaterThanOrEqual(1)

    const patched = await call('PATCH', `/api/data/customer/${record.id}`, {
      body: { employees: 13 },
      headers: { 'if-match': '"1"' },
    })
    expect(patched.status, await patched.clone().text()).toBe(200)
    expect(patched.headers.get('etag')).toBe('"2"')
    expect(await patched.json()).toMatchObject({ employees: 13, version: 2 })

    const stale = await call('PATCH', `/api/data/customer/${record.id}`, {
      body: { employees: 1, version: 1 },
    })
    expect(stale.status).toBe(409)

    const history = await call('GET', `/api/data/customer/${record.id}/history`)
    expect(history.status).toBe(200)
    expect(((await history.json()) as { data: unknown[] }).data.length).toBeGreaterThanOrEqual(2)

    const gone = await call('DELETE', `/api/data/customer/${record.id}`, {
      headers: { 'if-match': '2' },
    })
    expect(gone.status).toBe(204)
    expect((await call('GET', `/api/data/customer/${record.id}`)).status).toBe(404)
  })

  it('filters a list with json-logic', async () => {
    await call('POST', '/api/data/customer', { body: { name: 'Filtered Co', status: 'active' } })
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'status' }, 'active'] }))
    const res = await call('GET', `/api/data/customer?filter=${filter}`)
    expect(res.status, await res.clone().text()).toBe(200)
    const { data } = (await res.json()) as { data: Rec[] }
    expect(data.length).toBeGreaterThan(0)
    expect(data.every((r) => r.status === 'active')).toBe(true)
  })

  it('creates a record with child rows', async () => {
    const res = await call('POST', '/api/data/quote', {
      body: {
        title: 'Q-1',
        tags: ['hot'],
        lines: [
          { product: 'Bolt', qty: 3 },
          { product: 'Nut', qty: 5 },
        ],
      },
    })
    expect(res.status, await res.clone().text()).toBe(201)
    const quote = (await res.json()) as Rec & { lines: { product: string }[] }
    expect(quote.lines.map((l) => l.product)).toEqual(['Bolt', 'Nut'])
  })

  it('refuses bad input naming the field, writing nothing', async () => {
    const before = (await customers()).length
    await expectRefused(
      await call('POST', '/api/data/customer', { body: { name: 'X', colour: 'red' } }),
      422,
      'colour',
    )
    await expectRefused(
      await call('POST', '/api/data/customer', { body: { name: 'X', employees: 'many' } }),
      422,
      'employees',
    )
    await expectRefused(
      await call('POST', '/api/data/customer', { body: { name: 'x'.repeat(101) } }),
      422,
      'name',
    )
    await expectRefused(
      await call('POST', '/api/data/customer', { body: { email: 'a@b.co' } }),
      422,
      'name',
    )
    await expectRefused(
      await call('POST', '/api/data/customer', { body: { name: 'X', status: 'gone' } }),
      422,
      'status',
    )
    await expectRefused(
      await call('POST', '/api/data/customer', { body: { name: 'X', since: '2024-13-45' } }),
      422,
      'since',
    )
    await expectRefused(
      await call('POST', '/api/data/customer', { body: { name: 'X', revenue: 12 } }),
      422,
      'revenue',
    )
    await expectRefused(await call('POST', '/api/data/customer', { body: '{"name":' }), 400, 'body')
    await expectRefused(await call('POST', '/api/data/customer', { body: '[]' }), 400, 'body')
    await expectRefused(
      await call('POST', '/api/data/nothing', { body: { name: 'X' } }),
      404,
      'entity',
    )
    await expectRefused(
      await call('POST', '/api/data/customer?x=1', { body: { name: 'X' } }),
      400,
      'x',
    )
    expect((await customers()).length).toBe(before)
  })

  it('refuses bad list parameters naming them', async () => {
    await expectRefused(await call('GET', '/api/data/customer?filter={oops'), 400, 'filter')
    await expectRefused(await call('GET', '/api/data/customer?limit=abc'), 400, 'limit')
    await expectRefused(await call('GET', '/api/data/customer?limit=0'), 400, 'limit')
    await expectRefused(await call('GET', '/api/data/customer?count=maybe'), 400, 'count')
    await expectRefused(await call('GET', '/api/data/customer?page=2'), 400, 'page')
    await expectRefused(await call('GET', '/api/data/customer?limit=1&limit=2'), 400, 'limit')
    await expectRefused(await call('GET', '/api/data/nothing'), 404, 'entity')
    const unknownField = encodeURIComponent(JSON.stringify({ '==': [{ var: 'nope' }, 1] }))
    const res = await call('GET', `/api/data/customer?filter=${unknownField}`)
    expect(res.status).toBe(400)
    const sorted = await call('GET', '/api/data/customer?sort=nope')
    expect(sorted.status).toBe(400)
  })

  it('answers unknown or malformed record ids with 404, and bad versions with 400 or 409', async () => {
    await expectRefused(await call('GET', '/api/data/customer/not-a-uuid'), 404, 'id')
    expect((await call('GET', `/api/data/customer/${MISSING_ID}`)).status).toBe(404)
    expect((await call('GET', `/api/data/customer/${MISSING_ID}?related=true`)).status).toBe(404)
    await expectRefused(
      await call('GET', `/api/data/customer/${MISSING_ID}?related=yes`),
      400,
      'related',
    )
    await expectRefused(await call('GET', `/api/data/customer/${MISSING_ID}?deep=1`), 400, 'deep')
    expect(
      (await call('DELETE', `/api/data/customer/${MISSING_ID}`, { headers: { 'if-match': '1' } }))
        .status,
    ).toBe(404)
    expect((await call('GET', `/api/data/customer/${MISSING_ID}/history`)).status).toBe(404)

    const created = (await (
      await call('POST', '/api/data/customer', { body: { name: 'Versioned' } })
    ).json()) as Rec
    const path = `/api/data/customer/${created.id}`
    await expectRefused(
      await call('PATCH', path, { body: { name: 'Y' }, headers: { 'if-match': 'abc' } }),
      400,
      'If-Match',
    )
    await expectRefused(
      await call('PATCH', path, { body: { name: 'Y', version: 'one' } }),
      400,
      'version',
    )
    await expectRefused(
      await call('PATCH', path, { body: { employees: -1 }, headers: { 'if-match': '1' } }),
      422,
      'employees',
    )
    await expectRefused(
      await call('PATCH', path, { body: { colour: 'red' }, headers: { 'if-match': '1' } }),
      422,
      'colour',
    )
    await expectRefused(
      await call('DELETE', path, { headers: { 'if-match': '"x"' } }),
      400,
      'If-Match',
    )
    expect(
      (
        await call('PATCH', `/api/data/customer/${MISSING_ID}`, {
          body: { name: 'Y' },
          headers: { 'if-match': '1' },
        })
      ).status,
    ).toBe(404)
    const after = (await (await call('GET', path)).json()) as Rec
    expect(after).toMatchObject({ name: 'Versioned', version: 1 })
  })

  it('answers bad input on every record endpoint with a 4xx naming the part, never a 500', async () => {
    const created = (await (
      await call('POST', '/api/data/customer', { body: { name: 'Probe' } })
    ).json()) as Rec
    const item = `/api/data/customer/${created.id}`
    const cases: [string, string, { body?: unknown; headers?: Record<string, string> }, string][] =
      [
        ['PATCH', item, { body: '{"name":', headers: { 'if-match': '1' } }, 'body'],
        ['PATCH', item, { body: '"text"', headers: { 'if-match': '1' } }, 'body'],
        ['PATCH', item, { headers: { 'if-match': '1' } }, 'body'],
        ['PATCH', `${item}?force=1`, { body: {}, headers: { 'if-match': '1' } }, 'force'],
        [
          'PATCH',
          `/api/data/nothing/${created.id}`,
          { body: {}, headers: { 'if-match': '1' } },
          'entity',
        ],
        ['DELETE', `/api/data/nothing/${created.id}`, {}, 'entity'],
        ['DELETE', `${item}?hard=true`, {}, 'hard'],
        ['GET', `/api/data/nothing/${created.id}/history`, {}, 'entity'],
        ['GET', `${item}/history?limit=2`, {}, 'limit'],
        ['GET', '/api/data/customer/not-a-uuid/history', {}, 'id'],
        ['DELETE', '/api/data/customer/not-a-uuid', {}, 'id'],
      ]
    for (const [method, path, init, part] of cases) {
      const res = await call(method, path, init)
      const text = await res.text()
      expect(res.status, `${method} ${path}: ${text}`).toBeGreaterThanOrEqual(400)
      expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(500)
      expect(
        (JSON.parse(text) as ErrorBody).error.details.map((d) => d.path),
        `${method} ${path}`,
      ).toContain(part)
    }
    const after = (await (await call('GET', item)).json()) as Rec
    expect(after).toMatchObject({ name: 'Probe', version: 1 })
  })

  it('requires a session for records', async () => {
    const res = await f.call('POST', '/api/data/customer', { body: { name: 'Anon' } })
    expect(res.status).toBe(401)
  })
})
