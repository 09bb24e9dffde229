import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { responseChecker, type Doc } from './openapi-doc-checks'
import {
  movableClock,
  openSharingFixture,
  read,
  type Person,
  type SharingFixture,
} from './sharing-fixture'

const MISSING = '00000000-0000-4000-8000-000000000001'
const CUSTOMER = '/api/data/customer'

describe.each(testTargets())('Responses match the OpenAPI document on $name', (target) => {
  let f: SharingFixture
  let check: ReturnType<typeof responseChecker>
  let acme: string
  beforeAll(async () => {
    f = await openSharingFixture(target, movableClock('2026-03-01T09:00:00.000Z'))
    const doc = (await (await f.call('GET', '/api/openapi.json')).json()) as Doc
    check = responseChecker(doc)
    acme = await f.create('customer', { name: 'Acme', owner: f.ids.rep1 })
  })
  afterAll(() => f?.close())

  /**
   * Calls `url` as `who` and checks the answer against the operation of `path` (the documented
   * path, `{param}`s and all); answers the response for further checks.
   */
  async function call(
    who: Person | 'admin',
    method: string,
    path: string,
    url: string,
    body?: unknown,
  ) {
    const res = await f.as(who, method, url, body)
    expect(await check(method.toLowerCase(), path, res)).toEqual([])
    return res
  }

  it('answers the admin endpoints as documented, errors included', async () => {
    const { rep1 } = f.ids
    const { east } = f.departments
    await call('admin', 'GET', '/api/admin/users', '/api/admin/users?q=person&limit=3')
    await call('admin', 'GET', '/api/admin/users/{id}', `/api/admin/users/${rep1}`)
    const patch = { attributes: { region: 'east' }, email: 'rep1@example.com' }
    await call('admin', 'PATCH', '/api/admin/users/{id}', `/api/admin/users/${rep1}`, patch)
    const taken = { username: 'rep1', password: 'long-enough-1', displayName: 'Again' }
    expect(
      (await call('admin', 'POST', '/api/admin/users', '/api/admin/users', taken)).status,
    ).toBe(409)
    const bad = { username: 'x y', password: 'short', displayName: '' }
    expect((await call('admin', 'POST', '/api/admin/users', '/api/admin/users', bad)).status).toBe(
      422,
    )
    const dept = await call('admin', 'POST', '/api/admin/departments', '/api/admin/departments', {
      name: 'North',
      parentId: east,
    })
    expect(dept.status).toBe(201)
    const notEmpty = `/api/admin/departments/${east}`
    expect((await call('admin', 'DELETE', '/api/admin/departments/{id}', notEmpty)).status).toBe(
      409,
    )
    const position = { name: 'Rep', departmentId: east }
    const made = await call(
      'admin',
      'POST',
      '/api/admin/positions',
      '/api/admin/positions',
      position,
    )
    const one = `/api/admin/positions/${((await made.json()) as { id: string }).id}`
    const rename = { name: 'Senior rep', departmentId: null }
    await call('admin', 'PATCH', '/api/admin/positions/{id}', one, rename)
    expect((await call('admin', 'DELETE', '/api/admin/positions/{id}', one)).status).toBe(204)
    expect((await call('admin', 'DELETE', '/api/admin/positions/{id}', one)).status).toBe(404)
    for (const path of ['/api/admin/departments', '/api/admin/positions', '/api/admin/roles']) {
      expect((await call('admin', 'GET', path, path)).status, path).toBe(200)
    }
    expect((await call('rep1', 'GET', '/api/admin/users', '/api/admin/users')).status).toBe(403)
  })

  it('answers the directory and metadata endpoints as documented', async () => {
    const reads = ['/api/directory/users', '/api/directory/departments', '/api/meta/packages']
    for (const kind of ['entities', 'forms', 'views', 'roles']) reads.push(`/api/meta/${kind}`)
    for (const path of reads) expect((await call('rep1', 'GET', path, path)).status, path).toBe(200)
    const named = `/api/directory/users?ids=${f.ids.rep1},${f.ids.rep2}`
    const users = await call('rep1', 'GET', '/api/directory/users', named)
    expect(((await users.json()) as { data: unknown[] }).data).toHaveLength(2)
    const one = '/api/meta/{kind}/{id}'
    expect((await call('rep1', 'GET', one, '/api/meta/entities/customer')).status).toBe(200)
    expect((await call('rep1', 'GET', one, '/api/meta/roles/rep')).status).toBe(200)
    expect((await call('rep1', 'GET', one, '/api/meta/nope/customer')).status).toBe(404)
  })

  it('answers own password and API token endpoints as documented', async () => {
    const made = await call('viewer', 'POST', '/api/auth/tokens', '/api/auth/tokens', {
      name: 'ci',
    })
    expect(made.status).toBe(201)
    const { id, token } = (await made.json()) as { id: string; token: string }
    await call('viewer', 'GET', '/api/auth/tokens', '/api/auth/tokens')
    await call('viewer', 'GET', '/api/auth/me', '/api/auth/me')
    const viaToken = await f.call('GET', '/api/auth/tokens', { token })
    expect(await check('get', '/api/auth/tokens', viaToken)).toEqual([])
    expect(viaToken.status).toBe(403)
    const one = '/api/auth/tokens/{id}'
    expect((await call('viewer', 'DELETE', one, `/api/auth/tokens/${id}`)).status).toBe(204)
    expect((await call('viewer', 'DELETE', one, `/api/auth/tokens/${MISSING}`)).status).toBe(404)
    const wrong = { currentPassword: 'not-mine', newPassword: 'long-enough-2' }
    const change = '/api/auth/password'
    expect((await call('viewer', 'POST', change, change, wrong)).status).toBe(422)
    const right = { currentPassword: 'viewer-password', newPassword: 'long-enough-2' }
    expect((await call('viewer', 'POST', change, change, right)).status).toBe(204)
  })

  it('answers sharing, transfer, duplicates and export as documented', async () => {
    const { rep2, repW } = f.ids
    const shares = `${CUSTOMER}/{id}/shares`
    const url = `${CUSTOMER}/${acme}/shares`
    const made = await call('rep1', 'POST', shares, url, { userId: rep2, access: 'read' })
    expect(made.status).toBe(201)
    await call('rep1', 'GET', shares, url)
    expect((await call('rep2', 'POST', shares, url, { userId: repW, access: 'read' })).status).toBe(
      403,
    )
    const shareId = ((await made.json()) as { id: string }).id
    const unshare = await call('rep1', 'DELETE', `${shares}/{shareId}`, `${url}/${shareId}`)
    expect(unshare.status).toBe(204)
    expect((await call('rep1', 'GET', shares, `${CUSTOMER}/${MISSING}/shares`)).status).toBe(404)

    const lookup = `${CUSTOMER}/duplicates`
    const hits = await read(
      await call('rep2', 'POST', lookup, lookup, { values: { name: 'acme' } }),
    )
    expect(hits.body.data).toEqual([{ title: 'Acme', ownerName: 'Person rep1', readable: false }])
    const mine = await read(
      await call('rep1', 'POST', lookup, lookup, { values: { name: 'acme' } }),
    )
    expect(mine.body.data).toMatchObject([{ id: acme, readable: true }])

    const bulk = `${CUSTOMER}/bulk/share`
    const west = { ids: [acme], departmentId: f.departments.west, access: 'read' }
    expect((await call('admin', 'POST', bulk, bulk, west)).status).toBe(200)
    const transfer = `${CUSTOMER}/bulk/transfer`
    const moved = { ids: [acme], toUserId: rep2, keepAsCollaborator: true, moveRelated: true }
    expect((await read(await call('admin', 'POST', transfer, transfer, moved))).body).toEqual({
      transferred: 1,
      related: { contact: 0 },
    })
    expect((await call('admin', 'POST', transfer, transfer, { ids: [] })).status).toBe(422)

    const csv = await call('admin', 'GET', `${CUSTOMER}/export`, `${CUSTOMER}/export?fields=name`)
    const bytes = await csv.arrayBuffer()
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(
      '\uFEFFName\r\nAcme\r\n',
    )
    expect((await call('viewer', 'GET', `${CUSTOMER}/export`, `${CUSTOMER}/export`)).status).toBe(
      403,
    )
  })
})
