import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testTargets } from '../support/databases'
import { openImportFixture, type ImportFixture } from './import-fixture'

// zh-CN headers for name, department, manager and roles; 'Staff ID' is mapped by hand.
const STAFF = [
  'Staff ID,姓名,部门,上级,角色,Notes',
  'hwang,王伟,ACME/Sales/East,admin,clerk,first',
  'hli,李娜,ACME / Sales / East,王伟,clerk;ghost,',
  'hkim,김민수,ACME/Service,Nobody,rep,',
  'htwin1,Twin,,,,',
  'htwin2,Twin,,,,',
  'hpark,박지성,ACME/Service,Twin,,',
  'clerk,Clerk Renamed,,hwang,,',
  ',No Username,,,,',
].join('\n')
const MAPPING = {
  'Staff ID': 'username',
  姓名: 'displayName',
  部门: 'department',
  上级: 'manager',
  角色: 'roles',
  Notes: null,
}

interface Problem {
  row: number
  field: string
  text: string
  reason: string
}

describe.each(testTargets())('organisation import over HTTP on $name', (target) => {
  let f: ImportFixture

  const upload = (path: string, token: string, text = STAFF, name = 'staff.csv') => {
    const form = new FormData()
    form.append('file', new Blob([text], { type: 'text/csv' }), name)
    return Promise.resolve(
      f.app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      }),
    )
  }
  const withMapping = (path: string, mapping: unknown) =>
    `${path}?mapping=${encodeURIComponent(JSON.stringify(mapping))}`
  const userCount = async () =>
    (await f.db.query<{ n: number }>(sql`select count(*)::int as n from users`))[0].n

  beforeAll(async () => {
    f = await openImportFixture(target)
  })
  afterAll(async () => f?.close())

  it('previews the mapping, the users, the departments and what would not resolve, writing nothing', async () => {
    const before = await userCount()
    // 'Staff ID' is no name of the username: the preview shows the headers to map by hand …
    const suggested = await upload('/api/admin/org-import/preview', f.adminToken)
    expect(suggested.status).toBe(200)
    expect(await suggested.json()).toMatchObject({
      mapping: { 'Staff ID': null, 姓名: 'displayName' },
      totalRows: 8,
      problems: [{ row: 0, field: 'username', reason: 'no column holds the username' }],
    })
    // … and a run without it is refused, naming the mapping.
    const unmapped = await upload('/api/admin/org-import', f.adminToken)
    expect(unmapped.status).toBe(400)
    expect(await unmapped.json()).toMatchObject({ error: { details: [{ path: 'mapping' }] } })

    const res = await upload(withMapping('/api/admin/org-import/preview', MAPPING), f.adminToken)
    expect(res.status).toBe(200)
    const preview = (await res.json()) as {
      mapping: Record<string, string | null>
      totalRows: number
      creates: number
      updates: number
      departmentsCreated: string[]
      rows: { row: number; action: string }[]
      problems: Problem[]
    }
    expect(preview).toMatchObject({ mapping: MAPPING, totalRows: 8, creates: 6, updates: 1 })
    expect(preview.departmentsCreated).toEqual([
      'ACME',
      'ACME/Sales',
      'ACME/Sales/East',
      'ACME/Service',
    ])
    expect(preview.rows.find((r) => r.row === 7)?.action).toBe('update')
    expect(preview.problems).toEqual([
      { row: 2, field: 'roles', text: 'ghost', reason: "no role 'ghost'" },
      { row: 8, field: 'username', text: '', reason: 'is required' },
      { row: 3, field: 'manager', text: 'Nobody', reason: "no user 'Nobody'" },
      {
        row: 6,
        field: 'manager',
        text: 'Twin',
        reason: "2 users are called 'Twin': give a username",
      },
    ])
    expect(await userCount()).toBe(before)
    const [depts] = await f.db.query<{ n: number }>(
      sql`select count(*)::int as n from departments where name = 'ACME'`,
    )
    expect(depts.n).toBe(0)
  })

  it('runs it: departments from paths, managers by name or username, roles, and the report', async () => {
    const res = await upload(withMapping('/api/admin/org-import', MAPPING), f.adminToken)
    expect(res.status).toBe(200)
    const report = (await res.json()) as { created: number; updated: number; problems: Problem[] }
    expect(report).toMatchObject({ created: 6, updated: 1 })
    expect(report.problems.map((p) => [p.row, p.field, p.text])).toEqual([
      [2, 'roles', 'ghost'],
      [8, 'username', ''],
      [3, 'manager', 'Nobody'],
      [6, 'manager', 'Twin'],
    ])
    const users = await f.db.query<{ username: string; dept: string; manager: string | null }>(
      sql`select u.username, d.name as dept, m.username as manager
        from users u left join departments d on d.id = u.department_id
        left join users m on m.id = u.manager_id
        where u.username in ('hwang', 'hli', 'clerk') order by u.username`,
    )
    expect(users).toEqual([
      { username: 'clerk', dept: null, manager: 'hwang' },
      { username: 'hli', dept: 'East', manager: 'hwang' },
      { username: 'hwang', dept: 'East', manager: 'admin' },
    ])
  })

  it('answers 403 to anyone but an administrator and 400 naming a bad mapping', async () => {
    const before = await userCount()
    const refused = await upload(withMapping('/api/admin/org-import', MAPPING), f.clerkToken)
    expect(refused.status).toBe(403)
    const rep = await upload('/api/admin/org-import/preview', f.repToken)
    expect(rep.status).toBe(403)
    const twice = await upload(
      withMapping('/api/admin/org-import', { ...MAPPING, Notes: 'username' }),
      f.adminToken,
    )
    expect(twice.status).toBe(400)
    expect(await twice.json()).toMatchObject({ error: { details: [{ path: 'mapping.Notes' }] } })
    const unknown = await upload(
      withMapping('/api/admin/org-import', { ...MAPPING, Notes: 'salary' }),
      f.adminToken,
    )
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toMatchObject({ error: { details: [{ path: 'mapping.Notes' }] } })
    const missing = await upload(
      withMapping('/api/admin/org-import', { ...MAPPING, Phone: 'email' }),
      f.adminToken,
    )
    expect(await missing.json()).toMatchObject({ error: { details: [{ path: 'mapping.Phone' }] } })
    expect(await userCount()).toBe(before)
  })

  it('answers a file over the limit with 413 naming the file and the real limit', async () => {
    const big = `username\n${'x'.repeat(21 * 1024 * 1024)}\n`
    const res = await upload('/api/admin/org-import', f.adminToken, big)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({
      error: {
        message: 'The file is larger than the limit of 20 MB',
        details: [{ path: 'file', message: 'is larger than 20 MB' }],
      },
    })
  })
})
