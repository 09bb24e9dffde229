import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../metadata/role'
import { FIXTURE_BUNDLE, openAppFixture, type AppFixture } from '../support/app-fixture'
import { testTargets } from '../support/databases'

const label = (en: string) => ({ en, 'zh-CN': en, ko: en })
const role = (id: string, extra: Partial<Role> = {}): Role => ({
  id,
  label: label(id),
  grants: [{ entity: 'customer', scopes: { read: 'own' } }],
  ...extra,
})
const BUNDLE = {
  ...FIXTURE_BUNDLE,
  roles: [role('salesRep'), role('finance'), role('orgAdmin', { all: true, grants: [] })],
}

interface ErrorBody {
  error: { code: string; details: { path: string }[] }
}
const paths = async (res: Response) =>
  ((await res.json()) as ErrorBody).error.details.map((d) => d.path)

describe.each(testTargets())('admin organisation API on $name', (target) => {
  let f: AppFixture
  let clerkId: string
  beforeAll(async () => {
    f = await openAppFixture(target, { bundle: BUNDLE })
    const me = await f.call('GET', '/api/auth/me', { token: f.clerkToken })
    clerkId = ((await me.json()) as { user: { id: string } }).user.id
  })
  afterAll(() => f?.close())

  const admin = (method: string, path: string, body?: unknown) =>
    f.call(method, path, { token: f.adminToken, body })
  const json = async <T>(res: Response) => (await res.json()) as T

  it('answers 403 to a non-administrator on every admin endpoint', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/admin/users'],
      ['POST', '/api/admin/users', { username: 'x', password: 'long-enough-1', displayName: 'X' }],
      ['PATCH', `/api/admin/users/${clerkId}`, { displayName: 'Me' }],
      ['POST', `/api/admin/users/${clerkId}/password`, { password: 'long-enough-2' }],
      ['GET', '/api/admin/departments'],
      ['POST', '/api/admin/departments', { name: 'D' }],
      ['GET', '/api/admin/positions'],
      ['POST', '/api/admin/positions', { name: 'P' }],
      ['PATCH', `/api/admin/positions/${clerkId}`, { name: 'P' }],
      ['DELETE', `/api/admin/positions/${clerkId}`],
      ['GET', '/api/admin/roles'],
    ]
    for (const [method, path, body] of calls) {
      const res = await f.call(method, path, { token: f.clerkToken, body })
      expect(res.status, `${method} ${path}`).toBe(403)
    }
  })

  it('lists users with their organisation fields, filtered by q', async () => {
    const res = await admin('GET', '/api/admin/users?q=cler')
    expect(res.status).toBe(200)
    const { data } = await json<{ data: Record<string, unknown>[] }>(res)
    expect(data).toHaveLength(1)
    expect(data[0]).toEqual({
      id: clerkId,
      username: 'clerk',
      displayName: 'Clerk',
      email: null,
      locale: 'en',
      isAdmin: false,
      disabled: false,
      departmentId: null,
      managerId: null,
      positionId: null,
      roles: [],
      attributes: {},
    })
    expect((await admin('GET', '/api/admin/users?sort=x')).status).toBe(400)
  })

  it('creates a user with department, manager, position, roles and attributes', async () => {
    const dept = await json<{ id: string }>(
      await admin('POST', '/api/admin/departments', { name: 'Ops' }),
    )
    const position = await json<{ id: string }>(
      await admin('POST', '/api/admin/positions', { name: 'Clerk', departmentId: dept.id }),
    )
    const res = await admin('POST', '/api/admin/users', {
      username: 'nina',
      password: 'long-enough-1',
      displayName: 'Nina',
      email: 'nina@example.com',
      departmentId: dept.id,
      managerId: clerkId,
      positionId: position.id,
      roles: ['salesRep', 'finance'],
      attributes: { region: 'east' },
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({
      username: 'nina',
      departmentId: dept.id,
      managerId: clerkId,
      positionId: position.id,
      roles: ['finance', 'salesRep'],
      attributes: { region: 'east' },
    })
    const login = await f.call('POST', '/api/auth/login', {
      body: { username: 'nina', password: 'long-enough-1' },
    })
    const { user } = await json<{ user: Record<string, unknown> }>(login)
    expect(user).toMatchObject({
      departmentId: dept.id,
      managerId: clerkId,
      roles: ['finance', 'salesRep'],
      attributes: { region: 'east' },
    })
  })

  it('refuses bad user input naming each field, and writes nothing', async () => {
    const bad = await admin('POST', '/api/admin/users', {
      username: 'bad user',
      password: 'short',
      displayName: '',
      roles: ['salesRep', 'wizard'],
      departmentId: 'not-a-uuid',
      colour: 'red',
    })
    expect(bad.status).toBe(422)
    expect((await paths(bad)).sort()).toEqual(
      ['colour', 'departmentId', 'displayName', 'password', 'roles', 'username'].sort(),
    )
    const missing = await admin('POST', '/api/admin/users', {
      username: 'ghostly',
      password: 'long-enough-1',
      displayName: 'Ghost',
      departmentId: '00000000-0000-4000-8000-000000000000',
    })
    expect(missing.status).toBe(422)
    expect(await paths(missing)).toEqual(['departmentId'])
    const rows = await f.db.query(sql`select 1 from users where username = 'ghostly'`)
    expect(rows).toHaveLength(0)
    const taken = await admin('POST', '/api/admin/users', {
      username: 'CLERK',
      password: 'long-enough-1',
      displayName: 'Dup',
    })
    expect(taken.status).toBe(409)
    expect((await admin('POST', '/api/admin/users', '[1]')).status).toBe(400)
  })

  it('refuses a manager loop naming managerId and an unknown role naming roles', async () => {
    const boss = await json<{ id: string }>(
      await admin('POST', '/api/admin/users', {
        username: 'boss',
        password: 'long-enough-1',
        displayName: 'Boss',
        managerId: null,
      }),
    )
    expect(
      (await admin('PATCH', `/api/admin/users/${boss.id}`, { managerId: clerkId })).status,
    ).toBe(200)
    const loop = await admin('PATCH', `/api/admin/users/${clerkId}`, { managerId: boss.id })
    expect(loop.status).toBe(422)
    expect(await paths(loop)).toEqual(['managerId'])
    const self = await admin('PATCH', `/api/admin/users/${clerkId}`, { managerId: clerkId })
    expect(await paths(self)).toEqual(['managerId'])
    const roles = await admin('PATCH', `/api/admin/users/${clerkId}`, { roles: ['root'] })
    expect(roles.status).toBe(422)
    expect(await paths(roles)).toEqual(['roles'])
    const types = await admin('PATCH', `/api/admin/users/${clerkId}`, {
      disabled: 'yes',
      attributes: [1],
      email: 'nope',
    })
    expect((await paths(types)).sort()).toEqual(['attributes', 'disabled', 'email'])
    expect((await admin('PATCH', '/api/admin/users/not-an-id', { displayName: 'X' })).status).toBe(
      404,
    )
    await admin('PATCH', `/api/admin/users/${boss.id}`, { managerId: null })
  })

  it('applies an organisation change to the very next request of that user', async () => {
    const before = await f.call('GET', '/api/auth/me', { token: f.clerkToken })
    expect(await json(before)).toMatchObject({ user: { departmentId: null, roles: [] } })
    const dept = await json<{ id: string }>(
      await admin('POST', '/api/admin/departments', { name: 'Field' }),
    )
    const patched = await admin('PATCH', `/api/admin/users/${clerkId}`, {
      departmentId: dept.id,
      roles: ['salesRep'],
      attributes: { region: 'west' },
    })
    expect(patched.status).toBe(200)
    const after = await f.call('GET', '/api/auth/me', { token: f.clerkToken })
    expect(await json(after)).toMatchObject({
      user: { departmentId: dept.id, roles: ['salesRep'], attributes: { region: 'west' } },
    })
  })

  it('disables a user at once and enables them again', async () => {
    await admin('POST', '/api/admin/users', {
      username: 'temp',
      password: 'long-enough-1',
      displayName: 'Temp',
    })
    const login = await f.call('POST', '/api/auth/login', {
      body: { username: 'temp', password: 'long-enough-1' },
    })
    const { token, user } = await json<{ token: string; user: { id: string } }>(login)
    expect((await f.call('GET', '/api/auth/me', { token })).status).toBe(200)
    expect((await admin('PATCH', `/api/admin/users/${user.id}`, { disabled: true })).status).toBe(
      200,
    )
    expect((await f.call('GET', '/api/auth/me', { token })).status).toBe(401)
    const refused = await f.call('POST', '/api/auth/login', {
      body: { username: 'temp', password: 'long-enough-1' },
    })
    expect(refused.status).toBe(401)
    await admin('PATCH', `/api/admin/users/${user.id}`, { disabled: false })
    const again = await f.call('POST', '/api/auth/login', {
      body: { username: 'temp', password: 'long-enough-1' },
    })
    expect(again.status).toBe(200)
  })

  it('refuses to let administrators disable themselves', async () => {
    const me = await json<{ user: { id: string } }>(
      await f.call('GET', '/api/auth/me', { token: f.adminToken }),
    )
    const res = await admin('PATCH', `/api/admin/users/${me.user.id}`, { disabled: true })
    expect(res.status).toBe(422)
    expect(await paths(res)).toEqual(['disabled'])
  })

  it('resets a password and ends that user’s sessions', async () => {
    const created = await json<{ id: string }>(
      await admin('POST', '/api/admin/users', {
        username: 'forgetful',
        password: 'long-enough-1',
        displayName: 'F',
      }),
    )
    const login = await f.call('POST', '/api/auth/login', {
      body: { username: 'forgetful', password: 'long-enough-1' },
    })
    const { token } = await json<{ token: string }>(login)
    const weak = await admin('POST', `/api/admin/users/${created.id}/password`, { password: 'x' })
    expect(weak.status).toBe(422)
    expect(await paths(weak)).toEqual(['password'])
    expect((await f.call('GET', '/api/auth/me', { token })).status).toBe(200)
    const reset = await admin('POST', `/api/admin/users/${created.id}/password`, {
      password: 'brand-new-pw',
    })
    expect(reset.status).toBe(204)
    expect((await f.call('GET', '/api/auth/me', { token })).status).toBe(401)
    const fresh = await f.call('POST', '/api/auth/login', {
      body: { username: 'forgetful', password: 'brand-new-pw' },
    })
    expect(fresh.status).toBe(200)
  })

  it('creates, moves and deletes departments with the contract’s errors', async () => {
    const create = (body: unknown) => admin('POST', '/api/admin/departments', body)
    const company = await json<{ id: string; kind: string }>(
      await create({ name: 'Acme', kind: 'company' }),
    )
    expect(company.kind).toBe('company')
    const a = await json<{ id: string }>(await create({ name: 'A', parentId: company.id }))
    const b = await json<{ id: string }>(await create({ name: 'B', parentId: a.id }))
    const bad = await create({ name: '', kind: 'team', parentId: 'x', sortOrder: 1.5 })
    expect(bad.status).toBe(422)
    expect((await paths(bad)).sort()).toEqual(['kind', 'name', 'parentId', 'sortOrder'])
    const loop = await admin('PATCH', `/api/admin/departments/${a.id}`, { parentId: b.id })
    expect(loop.status).toBe(422)
    expect(await paths(loop)).toEqual(['parentId'])
    const renamed = await admin('PATCH', `/api/admin/departments/${b.id}`, {
      name: 'B2',
      parentId: company.id,
      sortOrder: 3,
    })
    expect(await json(renamed)).toMatchObject({ name: 'B2', parentId: company.id, sortOrder: 3 })
    await create({ name: 'C', parentId: a.id })
    const notEmpty = await admin('DELETE', `/api/admin/departments/${a.id}`)
    expect(notEmpty.status).toBe(409)
    expect(await json(notEmpty)).toMatchObject({
      error: { code: 'conflict', users: 0, departments: 1 },
    })
    expect((await admin('DELETE', `/api/admin/departments/${b.id}`)).status).toBe(204)
    expect((await admin('DELETE', `/api/admin/departments/${b.id}`)).status).toBe(404)
    const list = await json<{ data: { id: string; name: string; parentId: string | null }[] }>(
      await admin('GET', '/api/admin/departments'),
    )
    expect(list.data.find((d) => d.id === a.id)).toMatchObject({ name: 'A', parentId: company.id })
  })

  it('renames, re-homes and deletes positions, refusing one still held with 409', async () => {
    const dept = await json<{ id: string }>(
      await admin('POST', '/api/admin/departments', { name: 'Support' }),
    )
    const made = await admin('POST', '/api/admin/positions', { name: 'Agent' })
    const position = await json<{ id: string }>(made)
    const renamed = await admin('PATCH', `/api/admin/positions/${position.id}`, {
      name: ' Senior agent ',
      departmentId: dept.id,
    })
    expect(renamed.status).toBe(200)
    expect(await json(renamed)).toEqual({
      id: position.id,
      name: 'Senior agent',
      departmentId: dept.id,
    })
    const kept = await admin('PATCH', `/api/admin/positions/${position.id}`, { name: 'Lead' })
    expect(await json(kept)).toMatchObject({ name: 'Lead', departmentId: dept.id })
    const bad = await admin('PATCH', `/api/admin/positions/${position.id}`, {
      name: '',
      departmentId: 'x',
      rank: 2,
    })
    expect(bad.status).toBe(422)
    expect((await paths(bad)).sort()).toEqual(['departmentId', 'name', 'rank'])
    const unknownDept = await admin('PATCH', `/api/admin/positions/${position.id}`, {
      departmentId: clerkId,
    })
    expect(unknownDept.status).toBe(422)
    expect(await paths(unknownDept)).toEqual(['departmentId'])
    const missing = await admin('PATCH', `/api/admin/positions/${clerkId}`, { name: 'X' })
    expect(missing.status).toBe(404)

    const holdersOf = async (id: string) => {
      const { data } = await json<{ data: { id: string; holders: number }[] }>(
        await admin('GET', '/api/admin/positions'),
      )
      return data.find((p) => p.id === id)?.holders
    }
    expect(await holdersOf(position.id)).toBe(0)
    await admin('PATCH', `/api/admin/users/${clerkId}`, { positionId: position.id })
    // Counted by the server over every user, not over a page of them.
    expect(await holdersOf(position.id)).toBe(1)
    const held = await admin('DELETE', `/api/admin/positions/${position.id}`)
    expect(held.status).toBe(409)
    expect(await json(held)).toMatchObject({
      error: { code: 'conflict', details: [{ path: 'users' }], users: 1 },
    })
    await admin('PATCH', `/api/admin/users/${clerkId}`, { positionId: null })
    expect((await admin('DELETE', `/api/admin/positions/${position.id}`)).status).toBe(204)
    expect((await admin('DELETE', `/api/admin/positions/${position.id}`)).status).toBe(404)
    expect((await admin('DELETE', '/api/admin/positions/nope')).status).toBe(404)
    const { data } = await json<{ data: { id: string }[] }>(
      await admin('GET', '/api/admin/positions'),
    )
    expect(data.map((p) => p.id)).not.toContain(position.id)
    // Deleting a department leaves its positions in place, tied to no department.
    const other = await json<{ id: string }>(
      await admin('POST', '/api/admin/positions', { name: 'Orphan', departmentId: dept.id }),
    )
    expect((await admin('DELETE', `/api/admin/departments/${dept.id}`)).status).toBe(204)
    const after = await json<{ data: { id: string; departmentId: string | null }[] }>(
      await admin('GET', '/api/admin/positions'),
    )
    expect(after.data.find((p) => p.id === other.id)).toMatchObject({ departmentId: null })
  })

  it('never leaves a user holding a deleted position when giving and deleting race', async () => {
    for (let i = 0; i < 6; i++) {
      const made = await admin('POST', '/api/admin/positions', { name: `Race ${i}` })
      const { id } = await json<{ id: string }>(made)
      const [given, deleted] = await Promise.all([
        admin('PATCH', `/api/admin/users/${clerkId}`, { positionId: id }),
        admin('DELETE', `/api/admin/positions/${id}`),
      ])
      expect([200, 422]).toContain(given.status)
      expect([204, 409]).toContain(deleted.status)
      // Exactly one of them won: the clerk holds the position, or it is gone and not held.
      expect(given.status === 200).toBe(deleted.status === 409)
      const dangling = await f.db.query(sql`select 1 from users u where u.position_id is not null
        and not exists (select 1 from positions p where p.id = u.position_id)`)
      expect(dangling).toEqual([])
      if (given.status === 200)
        await admin('PATCH', `/api/admin/users/${clerkId}`, { positionId: null })
    }
    // The key holds even against a write that skips the API.
    const { id } = await json<{ id: string }>(
      await admin('POST', '/api/admin/positions', { name: 'Held' }),
    )
    await f.db.query(sql`update users set position_id = ${id}::uuid where id = ${clerkId}::uuid`)
    await expect(f.db.query(sql`delete from positions where id = ${id}::uuid`)).rejects.toThrow()
    await f.db.query(sql`update users set position_id = null where id = ${clerkId}::uuid`)
  })

  it('answers 4xx, never 500, when a department is deleted while people or positions move in', async () => {
    const before = await json<{ user: { departmentId: string | null } }>(
      await f.call('GET', '/api/auth/me', { token: f.clerkToken }),
    )
    for (let i = 0; i < 6; i++) {
      const { id } = await json<{ id: string }>(
        await admin('POST', '/api/admin/departments', { name: `Short-lived ${i}` }),
      )
      const [moved, placed, deleted] = await Promise.all([
        admin('PATCH', `/api/admin/users/${clerkId}`, { departmentId: id }),
        admin('POST', '/api/admin/positions', { name: `Seat ${i}`, departmentId: id }),
        admin('DELETE', `/api/admin/departments/${id}`),
      ])
      expect([200, 422]).toContain(moved.status)
      expect([201, 422]).toContain(placed.status)
      expect([204, 409]).toContain(deleted.status)
      // Deleted only if the clerk did not get in first (positions are let go, not counted).
      if (moved.status === 200) expect(deleted.status).toBe(409)
      const dangling = await f.db.query(sql`select 1 from users u where u.department_id is not null
        and not exists (select 1 from departments d where d.id = u.department_id)
        union all select 1 from positions p where p.department_id is not null
        and not exists (select 1 from departments d where d.id = p.department_id)`)
      expect(dangling).toEqual([])
      await admin('PATCH', `/api/admin/users/${clerkId}`, {
        departmentId: before.user.departmentId ?? null,
      })
    }
  })

  it('lists the roles of the metadata', async () => {
    const { data } = await json<{ data: { id: string }[] }>(await admin('GET', '/api/admin/roles'))
    expect(data.map((r) => r.id).sort()).toEqual(['finance', 'orgAdmin', 'salesRep'])
  })

  it('lets a role with `all` administer the organisation', async () => {
    const created = await json<{ id: string }>(
      await admin('POST', '/api/admin/users', {
        username: 'deputy',
        password: 'long-enough-1',
        displayName: 'Deputy',
        roles: ['orgAdmin'],
      }),
    )
    expect(created.id).toBeTruthy()
    const login = await f.call('POST', '/api/auth/login', {
      body: { username: 'deputy', password: 'long-enough-1' },
    })
    const { token } = await json<{ token: string }>(login)
    expect((await f.call('GET', '/api/admin/users', { token })).status).toBe(200)
  })

  it('gives every signed-in user the directory of colleagues and departments', async () => {
    const users = await f.call('GET', '/api/directory/users?q=ADM&limit=5', { token: f.clerkToken })
    expect(users.status).toBe(200)
    const { data } = await json<{ data: Record<string, unknown>[] }>(users)
    expect(data).toEqual([
      { id: expect.any(String), displayName: 'Admin', username: 'admin', departmentId: null },
    ])
    const departments = await f.call('GET', '/api/directory/departments', { token: f.clerkToken })
    const list = await json<{ data: Record<string, unknown>[] }>(departments)
    expect(list.data.length).toBeGreaterThan(0)
    expect(Object.keys(list.data[0]).sort()).toEqual(['id', 'kind', 'name', 'parentId'])
    expect((await f.call('GET', '/api/directory/users')).status).toBe(401)
    expect(
      (await f.call('GET', '/api/directory/users?limit=0', { token: f.clerkToken })).status,
    ).toBe(400)
  })

  it('names the users asked for by id in the directory, disabled ones included', async () => {
    const gone = await json<{ id: string }>(
      await admin('POST', '/api/admin/users', {
        username: 'leaver',
        password: 'long-enough-1',
        displayName: 'Lee Leaver',
      }),
    )
    await admin('PATCH', `/api/admin/users/${gone.id}`, { disabled: true })
    const dir = (query: string) =>
      f.call('GET', `/api/directory/users?${query}`, { token: f.clerkToken })
    const searched = await json<{ data: { id: string }[] }>(await dir('q=leaver'))
    expect(searched.data).toEqual([])
    const named = await dir(`ids=${gone.id},${clerkId},${gone.id.toUpperCase()}`)
    expect(named.status).toBe(200)
    const { data } = await json<{ data: Record<string, unknown>[] }>(named)
    expect(data.map((u) => [u.id, u.displayName])).toEqual([
      [clerkId, 'Clerk'],
      [gone.id, 'Lee Leaver'],
    ])
    const bad = await dir(`ids=${clerkId},1;drop`)
    expect(bad.status).toBe(400)
    expect(await paths(bad)).toEqual(['ids'])
    const many = Array.from({ length: 201 }, () => clerkId).join(',')
    expect((await dir(`ids=${many}`)).status).toBe(400)
  })
})
